"""E-mail about prompts: instant (one per new prompt) and a weekly digest. Mails hold a link only.

Instant mails for a materialiser run are queued with one INSERT … SELECT into the outbox (the
per-mail `queue_email` flushes once per mail: seconds for a 10,000-person team). The mail text is
rendered once per language and the per-person parts (name, prompt id) are joined in SQL.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    case,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from app.auth.models import User
from app.clock import AMSTERDAM
from app.db import UTCDateTime, cast_result, db
from app.mail.models import OutboxEmail
from app.mail.services import external_url, queue_email
from app.prompts import occurrences
from app.prompts.models import Prompt
from app.prompts.queries import nagging
from app.reflection.models import DEFAULT_EMAIL_MODE, ReflectionPreference

NAME_MARK = "\x01NAME\x01"
ID_MARK = 987654321  # stands in for the prompt id while the text is rendered once per language
DIGEST_FROM = (0, 8)  # the weekly digest goes out from Monday 08:00 Amsterdam time


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def _prompt_mail_parts(language: str) -> tuple[str, str, str, str]:
    """Subject and the body cut around the name and the prompt id, in one language."""
    link = external_url("prompts.answer", prompt_id=ID_MARK)
    with force_locale(language):
        subject = _("A reflection prompt is waiting for you")
        body = render_template("prompts/mail/prompt.txt", name=NAME_MARK, link=link)
    before_name, rest = body.split(NAME_MARK, 1)
    before_id, after_id = rest.split(str(ID_MARK), 1)
    return subject, before_name, before_id, after_id


def _by_language(parts: dict[str, str]) -> ColumnElement[str]:
    """SQL CASE on users.language picking one of `parts` (Dutch, the default, otherwise)."""
    whens = [(User.language == lang, literal(text, String)) for lang, text in parts.items() if lang != "nl"]
    default = literal(parts["nl"], String)
    return case(*whens, else_=default) if whens else default


def queue_instant_mails(run_id: str, now: datetime) -> int:
    """Queue one outbox mail per prompt created by `run_id` whose recipient wants instant mail.

    Only the run that inserted a prompt stamps it with its id, so parallel runs never queue a
    mail twice. Flushes nothing through the ORM; returns the number of mails queued.
    """
    parts = {lang: _prompt_mail_parts(lang) for lang in _languages()}
    subject = _by_language({lang: p[0] for lang, p in parts.items()})
    body = (
        cast(_by_language({lang: p[1] for lang, p in parts.items()}), String)
        .concat(User.display_name)
        .concat(cast(_by_language({lang: p[2] for lang, p in parts.items()}), String))
        .concat(cast(Prompt.id, String))
        .concat(cast(_by_language({lang: p[3] for lang, p in parts.items()}), String))
    )
    mode = func.coalesce(ReflectionPreference.email_mode, DEFAULT_EMAIL_MODE)
    rows = (
        select(
            User.email, subject, body, literal(now, UTCDateTime()), literal(now, UTCDateTime()),
            literal(0, Integer),
        )
        .select_from(Prompt)
        .join(User, User.id == Prompt.user_id)
        .outerjoin(ReflectionPreference, ReflectionPreference.user_id == User.id)
        .where(Prompt.run_id == run_id, mode == "instant", User.active.is_(True))
        .order_by(Prompt.id)
    )
    columns = ["recipient", "subject", "body", "created_at", "next_attempt_at", "attempts"]
    # An INSERT reports its rowcount only when asked to (preserve_rowcount).
    stmt = insert(OutboxEmail).from_select(columns, rows).execution_options(preserve_rowcount=True)
    result = cast_result(db.session.execute(stmt))
    return max(int(result.rowcount or 0), 0)


def digest_due(now: datetime) -> bool:
    """The weekly digest goes out from Monday 08:00 (Amsterdam) on, once per ISO week."""
    local = now.astimezone(AMSTERDAM)
    return not (local.weekday() == DIGEST_FROM[0] and local.hour < DIGEST_FROM[1])


def send_digests(now: datetime) -> int:
    """Queue this week's digest for every digest reader with a waiting prompt; flushes.

    Idempotent per user per ISO week: the week is claimed with a conditional UPDATE before the
    mail is queued, so a second run (or a parallel one) finds nothing left to claim.
    """
    if not digest_due(now):
        return 0
    week = occurrences.iso_week(now)
    not_this_week = or_(ReflectionPreference.digest_week.is_(None), ReflectionPreference.digest_week != week)
    waiting = select(Prompt.user_id).where(nagging(now)).distinct()
    candidates = db.session.scalars(
        select(ReflectionPreference.user_id).where(
            ReflectionPreference.email_mode == "digest", not_this_week,
            ReflectionPreference.user_id.in_(waiting),
        )
    ).all()
    link = external_url("prompts.inbox")
    sent = 0
    for user_id in candidates:
        claimed = cast_result(db.session.execute(
            update(ReflectionPreference)
            .where(ReflectionPreference.user_id == user_id, not_this_week)
            .values(digest_week=week)
        ))
        user = db.session.get(User, user_id)
        if not claimed.rowcount or user is None or not user.active:
            continue
        with force_locale(user.language):
            queue_email(
                user.email,
                _("Reflection prompts are waiting for you"),
                render_template("prompts/mail/digest.txt", name=user.display_name, link=link),
            )
        sent += 1
    return sent

