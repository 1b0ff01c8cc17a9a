"""A bare Flask hello-world (no database, no session): the yardstick other benchmarks divide by."""

from flask import Flask

app = Flask(__name__)
app.add_url_rule("/", "hello", lambda: "Hello, World!")
