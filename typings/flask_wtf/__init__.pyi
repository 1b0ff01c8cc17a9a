# Flask-WTF 1.3 ships no type information; these stubs cover the part Werkzaam uses.
from flask_wtf.csrf import CSRFProtect as CSRFProtect
from flask_wtf.form import FlaskForm as FlaskForm
