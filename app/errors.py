"""Error pages in the user's language; never a stack trace. JSON endpoints get their errors as JSON."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

# Endpoints a page script calls with fetch(): an HTML error page means nothing to it.
JSON_ENDPOINTS = frozenset({"reflection.autosave"})

MESSAGES = {
    400: (
        _l("Something went wrong with this request"),
        _l("The page could not process what was sent. Go back and try again."),
    ),
    403: (_l("No access"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not possible"), _l("This action is not possible on this page.")),
    410: (_l("Link no longer valid"), _l("This link has expired or was already used.")),
    413: (
        _l("Too much sent at once"),
        _l("What you sent is too large. Go back, make the text shorter and try again."),
    ),
    429: (_l("Too many attempts"), _l("Please wait a moment and try again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("We could not finish this. Your data is safe; please try again later."),
    ),
}


def _page(code: int, title: object, text: object) -> ResponseReturnValue:
    if request.endpoint in JSON_ENDPOINTS:
        return jsonify(saved=False, error=code, message=str(title)), code
    return render_template("errors/error.html", code=code, title=title, text=text), code


def register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> ResponseReturnValue:
        title = _l("The form has expired")
        text = _l("Go back, reload the page and try again. What you typed may still be there.")
        return _page(400, title, text)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        code = exc.code or 500
        return _page(code, *MESSAGES.get(code, MESSAGES[500]))

    @app.errorhandler(InternalServerError)
    def server_error(_exc: Exception) -> ResponseReturnValue:
        return _page(500, *MESSAGES[500])
