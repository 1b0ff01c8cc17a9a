"""`_()` and `ngettext` in templates: translated, formatted, escaped, and in the right language."""

from __future__ import annotations

from flask import Flask, render_template_string, session
from flask_babel import force_locale, refresh


def test_a_value_put_into_a_translated_string_is_escaped(app: Flask) -> None:
    with app.test_request_context("/"):
        page = render_template_string(
            '{{ _("your self-rating of those sessions: %(rating)s / 5", rating=value) }}',
            value="<b>4</b>")
    assert page == "jouw eigen oordeel over die gesprekken: &lt;b&gt;4&lt;/b&gt; van 5"


def test_a_translated_string_is_always_a_format_string(app: Flask) -> None:
    with app.test_request_context("/"):
        assert render_template_string('{{ _("100%% sure") }}') == "100% sure"


def test_a_plural_takes_its_number(app: Flask) -> None:
    template = '{{ ngettext("%(num)d answer", "%(num)d answers", n) }}'
    with app.test_request_context("/"):
        assert render_template_string(template, n=1) == "1 antwoord"
        assert render_template_string(template, n=3) == "3 antwoorden"


def test_a_text_template_is_not_escaped(app: Flask) -> None:
    template = ('{% autoescape false %}{{ _("your self-rating of those sessions: %(rating)s / 5", '
                'rating="<4>") }}{% endautoescape %}')
    with app.test_request_context("/"):
        assert render_template_string(template) == "jouw eigen oordeel over die gesprekken: <4> van 5"


def test_the_language_follows_a_forced_locale_and_a_refresh_within_one_request(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert render_template_string('{{ _("Home") }}') == "Start"
        with force_locale("en"):
            assert render_template_string('{{ _("Home") }}') == "Home"
        assert render_template_string('{{ _("Home") }}') == "Start"
        session["language"] = "en"
        refresh()
        assert render_template_string('{{ _("Home") }}') == "Home"
