"""`_()` and `ngettext` in templates: translated, formatted, escaped, and in the right language."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, render_template_string, session
from flask_babel import force_locale, format_date, refresh


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


def test_a_day_is_written_in_the_language_of_the_moment_and_a_time_in_amsterdam(app: Flask) -> None:
    day, late = date(2026, 3, 2), datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # Monday 00:30 in Amsterdam
    template = "{{ d|dateformat }} | {{ d|dateformat('EEEE d MMMM') }}"
    with app.test_request_context("/"):
        for language in ("nl", "en", "nl", "en"):  # the second time in each, the text comes from memory
            with force_locale(language):
                assert render_template_string(template, d=day) == (
                    f"{format_date(day)} | {format_date(day, 'EEEE d MMMM')}")
                assert render_template_string(template, d=late) == (
                    f"{format_date(late)} | {format_date(late, 'EEEE d MMMM')}")
        with force_locale("nl"):
            assert render_template_string("{{ d|dateformat('EEEE d MMMM') }}", d=day) == "maandag 2 maart"
            assert render_template_string("{{ d|dateformat('EEEE d MMMM') }}", d=late) == "maandag 2 maart"
        with force_locale("en"):
            assert render_template_string("{{ d|dateformat('EEEE d MMMM') }}", d=day) == "Monday 2 March"
