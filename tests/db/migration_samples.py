"""Sample rows for every Alembic revision, for the up-and-down tests in test_migrations.py.

SAMPLES[revision] holds the rows inserted right after upgrading to that revision, written against
the schema *of that revision* (plain column names, inserted through tables reflected from the
database, never through the ORM models, which only know the newest schema). The rows of earlier
revisions are already there, so ids may refer to them.

A new revision needs an entry, or the migration tests fail:
- rows for every table it creates, and a non-NULL value in some row for every column it adds;
- `lost_on_downgrade`: the tables ("table") and columns ("table.column") its downgrade drops, with
  their data. Anything else must come through downgrade and upgrade unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any


@dataclass(frozen=True)
class Sample:
    rows: dict[str, list[dict[str, Any]]]
    lost_on_downgrade: frozenset[str] = field(default_factory=frozenset)


AT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 1, 12, 17, 45, 30, tzinfo=UTC)
TOKEN = "a" * 64


def _lost(*names: str) -> frozenset[str]:
    return frozenset(names)


SAMPLES: dict[str, Sample] = {
    "0001": Sample(
        rows={
            "organisations": [
                {"id": 1, "name": "Jeugdteam Noord", "min_group_size": 5, "created_at": AT},
                {"id": 2, "name": "Zorg & Welzijn – Zuid", "min_group_size": 3, "created_at": LATER},
            ],
            "teams": [
                {"id": 1, "organisation_id": 1, "name": "Team Oost", "created_at": AT},
                {"id": 2, "organisation_id": 2, "name": "Team Één", "created_at": AT},
            ],
            "users": [
                {"id": 1, "organisation_id": 1, "email": "Anna@Example.org",
                 "email_normalized": "anna@example.org",
                 "display_name": "Anna de Vries", "language": "nl", "password_hash": "$argon2id$v=19$x",
                 "active": True, "session_token": TOKEN, "created_at": AT, "last_login_at": LATER},
                {"id": 2, "organisation_id": 1, "email": "coach@example.org",
                 "email_normalized": "coach@example.org",
                 "display_name": "Coach Bram", "language": "en", "password_hash": "$argon2id$v=19$y",
                 "active": True, "session_token": "b" * 64, "created_at": AT, "last_login_at": None},
                {"id": 3, "organisation_id": 2, "email": "invited@example.org",
                 "email_normalized": "invited@example.org", "display_name": "Nog Niet Actief",
                 "language": "nl",
                 "password_hash": None, "active": False, "session_token": "c" * 64, "created_at": LATER,
                 "last_login_at": None},
            ],
            "auth_tokens": [
                {"id": 1, "user_id": 3, "purpose": "invite", "token_hash": "d" * 64, "created_at": AT,
                 "expires_at": LATER, "used_at": None},
                {"id": 2, "user_id": 1, "purpose": "reset", "token_hash": "e" * 64, "created_at": AT,
                 "expires_at": LATER, "used_at": AT},
            ],
            "coach_assignments": [
                {"id": 1, "organisation_id": 1, "coach_id": 2, "coachee_id": 1, "started_at": AT,
                 "ended_at": None},
            ],
            "memberships": [
                {"id": 1, "user_id": 1, "team_id": 1, "role": "practitioner", "started_on": date(2025, 9, 1),
                 "ended_on": None},
                {"id": 2, "user_id": 2, "team_id": 1, "role": "lead", "started_on": date(2024, 1, 1),
                 "ended_on": date(2025, 12, 31)},
            ],
            "organisation_roles": [
                {"id": 1, "user_id": 2, "role": "admin"},
                {"id": 2, "user_id": 2, "role": "privacy_officer"},
            ],
            "outbox_emails": [
                {"id": 1, "recipient": "anna@example.org", "subject": "Welkom",
                 "body": "Hallo Anna,\n\nWelkom.",
                 "created_at": AT, "next_attempt_at": AT, "attempts": 0, "sent_at": None, "failed_at": None,
                 "last_error": None},
                {"id": 2, "recipient": "coach@example.org", "subject": "Reset", "body": "…", "created_at": AT,
                 "next_attempt_at": AT, "attempts": 1, "sent_at": LATER, "failed_at": None,
                 "last_error": None},
                {"id": 3, "recipient": "gone@example.org", "subject": "Uitnodiging", "body": "x",
                 "created_at": AT,
                 "next_attempt_at": LATER, "attempts": 5, "sent_at": None, "failed_at": LATER,
                 "last_error": "550 mailbox unavailable"},
            ],
            "throttle_events": [
                {"id": 1, "bucket": "login", "key": "anna@example.org|192.0.2.1", "created_at": AT},
            ],
        },
        lost_on_downgrade=_lost("organisations", "teams", "users", "auth_tokens", "coach_assignments",
                                "memberships", "organisation_roles", "outbox_emails", "throttle_events"),
    ),
    "0002": Sample(
        rows={
            "core_elements": [
                {"id": 1, "key": "relationship", "position": 1, "label_nl": "Werkrelatie",
                 "label_en": "Relationship"},
                {"id": 2, "key": "goals", "position": 2, "label_nl": "Doelen", "label_en": "Goals"},
            ],
            "techniques": [
                {"id": 1, "organisation_id": 1, "element_id": 1, "key": "active-listening", "position": 1,
                 "label_nl": "Actief luisteren", "label_en": "Active listening", "howto_nl": "Vat samen.",
                 "howto_en": "Summarise.", "created_at": AT, "retired_at": None},
                {"id": 2, "organisation_id": 1, "element_id": 2, "key": "scaling", "position": 1,
                 "label_nl": "Schaalvraag", "label_en": "Scaling question", "howto_nl": "", "howto_en": "",
                 "created_at": AT, "retired_at": LATER},
            ],
            "practice_logs": [
                {"id": 1, "organisation_id": 1, "author_id": 1, "team_id": 1, "session_date": date(2026, 1,
                 5),
                 "duration_minutes": 60, "setting": "home", "age_band": "4-12", "phase": "working",
                 "note": "Goed gesprek met moeder.", "private": False,
                 "submission_key": "6f1c2a9e-2b7d-4c2e-9a51-0d1f3c5e7b90", "created_at": AT,
                 "updated_at": LATER},
                {"id": 2, "organisation_id": 1, "author_id": 1, "team_id": None, "session_date": date(2026,
                 1, 6),
                 "duration_minutes": None, "setting": "online", "age_band": "18-23", "phase": "relationship",
                 "note": None, "private": True, "submission_key": "0b7e4d2c-8f3a-4e61-b2d9-5c1a7e3f9d08",
                 "created_at": AT, "updated_at": AT},
            ],
            "practice_log_elements": [
                {"log_id": 1, "element_id": 1, "self_rating": 4},
                {"log_id": 1, "element_id": 2, "self_rating": 1},
                {"log_id": 2, "element_id": 1, "self_rating": 5},
            ],
            "practice_log_participants": [
                {"log_id": 1, "participant": "youth"},
                {"log_id": 1, "participant": "parent"},
            ],
            "practice_log_techniques": [
                {"log_id": 1, "technique_id": 1},
                {"log_id": 2, "technique_id": 2},
            ],
            "access_logs": [
                {"id": 1, "at": AT, "organisation_id": 1, "actor_id": 2, "actor_role": "coach",
                 "action": "view",
                 "object_type": "practice_log", "object_id": 1, "subject_id": 1, "ip_address": "192.0.2.1"},
                {"id": 2, "at": LATER, "organisation_id": 1, "actor_id": 2, "actor_role": "admin",
                 "action": "export", "object_type": "organisation", "object_id": None, "subject_id": None,
                 "ip_address": "2001:db8::1"},
            ],
        },
        lost_on_downgrade=_lost("core_elements", "techniques", "practice_logs", "practice_log_elements",
                                "practice_log_participants", "practice_log_techniques", "access_logs"),
    ),
    "0010": Sample(
        rows={
            "reflection_settings": [
                {"organisation_id": 1, "skj_target_hours": 40, "skj_cycle_years": 3,
                 "skj_min_session_minutes": 45,
                 "prompt_expiry_days": 14},
                {"organisation_id": 2},  # the server defaults
            ],
            "reflection_preferences": [
                {"user_id": 1, "email_mode": "digest", "skj_cycle_start": date(2024, 3, 1),
                 "digest_week": "2026-W02"},
                {"user_id": 2, "email_mode": "none", "skj_cycle_start": None, "digest_week": None},
            ],
            "reflection_drafts": [
                {"id": 1, "user_id": 1, "key": "new:alact", "updated_at": AT,
                 "data": {"step": 2, "answers": {"action": "Ik vroeg door.", "look_back": ""}, "ok": True}},
            ],
            "reflection_schedules": [
                {"id": 1, "organisation_id": 1, "team_id": 1, "owner_id": None, "created_by_id": 2,
                 "kind": "recurring", "template_key": "alact", "theme": "Grenzen stellen", "weekday": 4,
                 "local_time": time(16, 30), "interval_weeks": 2, "anchor_date": date(2026, 1, 2),
                 "every_n": None,
                 "element_id": None, "target": None, "once_at": None, "active": True, "active_since": AT,
                 "created_at": AT},
                {"id": 2, "organisation_id": 1, "team_id": None, "owner_id": 1, "created_by_id": None,
                 "kind": "after_sessions", "template_key": None, "theme": None, "weekday": None,
                 "local_time": None, "interval_weeks": None, "anchor_date": None, "every_n": 3,
                 "element_id": 1,
                 "target": "lowest_rated", "once_at": LATER, "active": False, "active_since": LATER,
                 "created_at": AT},
            ],
            "reflection_prompts": [
                {"id": 1, "schedule_id": 1, "user_id": 1, "occurrence_key": "2026-01-09", "due_at": AT,
                 "expires_at": LATER, "status": "open", "snoozed_until": None, "closed_at": None,
                 "element_id": None, "practice_log_id": None, "run_id": None, "created_at": AT},
                {"id": 2, "schedule_id": 2, "user_id": 1, "occurrence_key": "log:1", "due_at": AT,
                 "expires_at": LATER, "status": "answered", "snoozed_until": AT, "closed_at": LATER,
                 "element_id": 2, "practice_log_id": 1, "run_id": "f" * 32, "created_at": AT},
            ],
            "reflections": [
                {"id": 1, "organisation_id": 1, "author_id": 1, "template_key": "alact",
                 "answers": {"action": "Ik vroeg door.", "awareness": ["a", "b"]},
                 "skj_answers": {"hours": 1.5, "category": "reflection"}, "element_id": 2, "prompt_id": 2,
                 "practice_log_id": 1, "created_at": AT, "updated_at": LATER},
                {"id": 2, "organisation_id": 1, "author_id": 1, "template_key": "quick", "answers": {},
                 "skj_answers": None, "element_id": None, "prompt_id": None, "practice_log_id": None,
                 "created_at": LATER, "updated_at": LATER},
            ],
            "reflection_shares": [
                {"id": 1, "reflection_id": 1, "coach_id": 2, "shared_at": AT, "withdrawn_at": None},
                {"id": 2, "reflection_id": 2, "coach_id": 2, "shared_at": AT, "withdrawn_at": LATER},
            ],
            "group_sessions": [
                {"id": 1, "organisation_id": 1, "team_id": 1, "created_by_id": 2, "session_date": date(2026,
                 1, 8),
                 "duration_minutes": 90, "form": "peer_consultation", "facilitator_id": 2,
                 "facilitator_name": None, "created_at": AT},
                {"id": 2, "organisation_id": 1, "team_id": 1, "created_by_id": None,
                 "session_date": date(2026, 1, 9), "duration_minutes": 720, "form": "supervision",
                 "facilitator_id": None, "facilitator_name": "Externe supervisor", "created_at": LATER},
            ],
            "group_session_participants": [
                {"id": 1, "session_id": 1, "user_id": 1, "learning_question": "Hoe blijf ik rustig?",
                 "notes_technical": "t", "notes_normative": "n", "notes_personal": "p", "updated_at": LATER},
                {"id": 2, "session_id": 1, "user_id": 2, "learning_question": None, "notes_technical": None,
                 "notes_normative": None, "notes_personal": None, "updated_at": None},
            ],
        },
        lost_on_downgrade=_lost("reflection_settings", "reflection_preferences", "reflection_drafts",
                                "reflection_schedules", "reflection_prompts", "reflections",
                                "reflection_shares",
                                "group_sessions", "group_session_participants"),
    ),
    "0011": Sample(
        rows={
            "organisations": [
                {"id": 3, "name": "Na de catalogusrevisie", "min_group_size": 4, "created_at": LATER,
                 "catalogue_revision": "0123456789abcdef0123456789abcdef"},
            ],
        },
        # Upgrading again gives every organisation a new random revision, as 0011 did the first time.
        lost_on_downgrade=_lost("organisations.catalogue_revision"),
    ),
    "0012": Sample(
        rows={
            "outbox_emails": [
                {"id": 9, "recipient": "claimed@example.org", "subject": "Onderweg", "body": "…",
                 "created_at": AT, "next_attempt_at": AT, "attempts": 0, "sent_at": None, "failed_at": None,
                 "last_error": None, "claimed_at": LATER, "claim_token": "c" * 32},
            ],
        },
        # Going back forgets only who was sending a mail; the mail itself stays queued.
        lost_on_downgrade=_lost("outbox_emails.claimed_at", "outbox_emails.claim_token"),
    ),
    "0013": Sample(
        rows={
            "feedback_requests": [
                {"id": 1, "organisation_id": 1, "practice_log_id": 1, "coach_id": 2, "requested_at": AT,
                 "withdrawn_at": None},
                {"id": 2, "organisation_id": 1, "practice_log_id": 2, "coach_id": 2, "requested_at": AT,
                 "withdrawn_at": LATER},
            ],
            "coach_feedback": [
                {"id": 1, "organisation_id": 1, "practitioner_id": 1, "coach_id": 2, "item_kind": "log",
                 "practice_log_id": 1, "reflection_id": None, "requested_at": AT, "element_id": 1,
                 "keep_doing": "Je vroeg door.", "work_on": "Stiltes laten vallen.",
                 "next_step": "Eerst het gevoel benoemen.", "free_text": "Mooi gesprek.", "created_at": LATER,
                 "acknowledgement": "trying", "acknowledged_at": LATER},
                {"id": 2, "organisation_id": 1, "practitioner_id": 1, "coach_id": None,
                 "item_kind": "reflection", "practice_log_id": None, "reflection_id": 1, "requested_at": AT,
                 "element_id": None,
                 "keep_doing": None, "work_on": None, "next_step": None, "free_text": "Dank voor het delen.",
                 "created_at": LATER, "acknowledgement": None, "acknowledged_at": None},
            ],
            "observations": [
                {"id": 1, "organisation_id": 1, "practitioner_id": 1, "coach_id": 2, "practice_log_id": 1,
                 "session_date": date(2026, 1, 5), "source": "live", "note": "Rustig tempo.",
                 "created_at": AT},
                {"id": 2, "organisation_id": 1, "practitioner_id": 1, "coach_id": None,
                 "practice_log_id": None,
                 "session_date": date(2026, 1, 6), "source": "recording", "note": None, "created_at": LATER},
            ],
            "observation_elements": [
                {"observation_id": 1, "element_id": 1, "rating": 3},
                {"observation_id": 1, "element_id": 2, "rating": 5},
            ],
            "observation_techniques": [
                {"observation_id": 1, "technique_id": 1},
            ],
            "feedback_replies": [
                {"id": 1, "feedback_id": 1, "author_id": 1, "body": "Ga ik doen.", "created_at": LATER},
                {"id": 2, "feedback_id": 1, "author_id": None, "body": "Fijn.", "created_at": LATER},
            ],
            "observation_comments": [
                {"id": 1, "observation_id": 1, "author_id": 1, "body": "Herkenbaar.", "created_at": LATER},
            ],
            "learning_goals": [
                {"id": 1, "organisation_id": 1, "owner_id": 1, "proposed_by_id": None, "element_id": 1,
                 "technique_id": None, "text": "Eerst het gevoel benoemen.", "target_date": date(2026, 2, 23),
                 "status": "open", "source_feedback_id": 1, "created_at": LATER, "updated_at": LATER,
                 "closed_at": None},
                {"id": 2, "organisation_id": 1, "owner_id": 1, "proposed_by_id": 2, "element_id": 2,
                 "technique_id": 2, "text": "Opties met voor- en nadelen bespreken.",
                 "target_date": date(2026, 3, 1), "status": "achieved", "source_feedback_id": None,
                 "created_at": AT, "updated_at": LATER, "closed_at": LATER},
            ],
            "learning_goal_comments": [
                {"id": 1, "goal_id": 1, "author_id": 2, "body": "Goed gekozen.", "created_at": LATER},
            ],
            "notifications": [
                {"id": 1, "user_id": 1, "kind": "feedback", "actor_id": 2, "subject_id": 1, "feedback_id": 1,
                 "observation_id": None, "goal_id": None, "created_at": LATER, "read_at": None,
                 "emailed_at": LATER},
                {"id": 2, "user_id": 1, "kind": "observation", "actor_id": None, "subject_id": 1,
                 "feedback_id": None, "observation_id": 1, "goal_id": None, "created_at": LATER,
                 "read_at": LATER, "emailed_at": None},
                {"id": 3, "user_id": 2, "kind": "goal_comment", "actor_id": 1, "subject_id": 1,
                 "feedback_id": None, "observation_id": None, "goal_id": 1, "created_at": LATER,
                 "read_at": None, "emailed_at": None},
            ],
            "notification_digests": [
                {"user_id": 1, "week": "2026-W03", "sent_at": LATER},
            ],
        },
        lost_on_downgrade=_lost("feedback_requests", "coach_feedback", "feedback_replies", "observations",
                                "observation_elements", "observation_techniques", "observation_comments",
                                "learning_goals", "learning_goal_comments", "notifications",
                                "notification_digests"),
    ),
    "0015": Sample(
        rows={
            "teams": [
                {"id": 3, "organisation_id": 1, "name": "Team met doel", "created_at": LATER,
                 "adoption_target": 70},
            ],
        },
        # Going back forgets the teams' targets; upgrading again gives every team 50 %.
        lost_on_downgrade=_lost("teams.adoption_target"),
    ),
    "0016": Sample(
        rows={
            "client_feedback_requests": [
                {"id": 1, "log_id": 1, "practitioner_id": 1, "channel": "link", "token_hash": "f" * 64,
                 "created_at": AT, "expires_at": LATER, "used_at": LATER},
                {"id": 2, "log_id": 1, "practitioner_id": 1, "channel": "handover", "token_hash": None,
                 "created_at": AT, "expires_at": LATER, "used_at": None},
            ],
            "client_ratings": [
                {"id": 1, "log_id": 1, "respondent": "youth", "channel": "link", "effort_understand": 4,
                 "effort_listen": 3, "effort_include": 0, "shared": True},
                {"id": 2, "log_id": 1, "respondent": "together", "channel": "handover",
                 "effort_understand": 0, "effort_listen": 4, "effort_include": 2, "shared": False},
            ],
            "users": [
                {"id": 4, "organisation_id": 1, "email": "handover@example.org",
                 "email_normalized": "handover@example.org", "display_name": "Hanna Overdracht",
                 "language": "nl", "password_hash": "$argon2id$v=19$z", "active": True,
                 "session_token": "h" * 64, "created_at": AT, "last_login_at": LATER,
                 "handover_locked_at": LATER},
            ],
        },
        # Going back forgets client voice altogether, and every hand-over lock with it.
        lost_on_downgrade=_lost("client_feedback_requests", "client_ratings", "users.handover_locked_at"),
    ),
    "0017": Sample(
        rows={
            "users": [
                {"id": 14, "organisation_id": 1, "email": "weg@example.org",
                 "email_normalized": "weg@example.org",
                 "display_name": "Verwijderd account", "language": "nl", "password_hash": None,
                 "active": False, "session_token": "f" * 64, "created_at": AT, "last_login_at": None,
                 "deactivated_at": AT, "deleted_at": LATER},
            ],
            "organisations": [
                {"id": 14, "name": "Altijd twee stappen", "min_group_size": 5, "created_at": AT,
                 "catalogue_revision": "f" * 32, "second_factor_for_all": True},
            ],
            "access_logs": [
                {"id": 14, "at": LATER, "organisation_id": 1, "actor_id": 2, "actor_role": "admin",
                 "action": "roles_changed", "object_type": "user", "object_id": 1, "subject_id": 1,
                 "ip_address": "127.0.0.1", "detail": "admin"},
            ],
            "second_factors": [
                {"user_id": 2, "secret": "JBSWY3DPEHPK3PXP", "enrolled_at": AT, "last_step": 59_000_000},
            ],
            "recovery_codes": [
                {"id": 1, "user_id": 2, "code_hash": "a" * 64, "used_at": None},
                {"id": 2, "user_id": 2, "code_hash": "b" * 64, "used_at": LATER},
            ],
            "retention_periods": [
                {"organisation_id": 1, "kind": "practice_log", "months": 36},
                {"organisation_id": 1, "kind": "access_log", "months": 84},
            ],
            "retention_runs": [
                {"organisation_id": 1, "ran_at": LATER, "deleted": 3},
            ],
        },
        lost_on_downgrade=_lost("users.deactivated_at", "users.deleted_at",
                                "organisations.second_factor_for_all", "access_logs.detail",
                                "second_factors", "recovery_codes", "retention_periods", "retention_runs"),
    ),
    "0018": Sample(rows={}),  # indexes only: the rows of earlier revisions come through unchanged
    "0019": Sample(
        rows={
            "client_ratings": [
                {"id": 3, "log_id": 1, "author_id": 1, "respondent": "parent", "channel": "link",
                 "effort_understand": 2, "effort_listen": 2, "effort_include": 3, "shared": True},
            ],
        },
        # Going back drops the answers' copy of their log's author; upgrading again copies it anew.
        lost_on_downgrade=_lost("client_ratings.author_id"),
    ),
    "0020": Sample(rows={}),  # SQLite rebuilds client_ratings with AUTOINCREMENT: its rows come through
    "0021": Sample(rows={}),  # an index only
    "0022": Sample(rows={}),  # an index only
}
