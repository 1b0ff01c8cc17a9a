"""How the access log's codes read on a page (a code without a label shows as it is)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "read": _l("Read"), "list": _l("Viewed the list"), "export": _l("Downloaded"),
    "search": _l("Searched the access log"),
    "sign_in": _l("Signed in"), "sign_in_failed": _l("Failed sign-in"), "sign_out": _l("Signed out"),
    "password_changed": _l("Changed the password"), "password_reset": _l("Reset the password"),
    "invitation_accepted": _l("Accepted the invitation"),
    "second_factor_set_up": _l("Set up a second factor"),
    "second_factor_removed": _l("Switched the second factor off"),
    "second_factor_reset": _l("Reset the second factor"),
    "recovery_codes_renewed": _l("Made new recovery codes"),
    "roles_changed": _l("Changed the roles"), "membership_added": _l("Added to a team"),
    "membership_ended": _l("Ended a role in a team"), "coaching_started": _l("Started coaching"),
    "coaching_ended": _l("Ended coaching"), "invited": _l("Invited"),
    "invitation_resent": _l("Sent the invitation again"), "activated": _l("Activated the account"),
    "deactivated": _l("Deactivated the account"), "settings_changed": _l("Changed the settings"),
    "retention": _l("Deleted expired data"), "account_deleted": _l("Deleted the account"),
}
OBJECT_TYPES = {
    "practice_log": _l("A practice log"),
    "practice_logs": _l("Your list of practice logs"),
    "practice_logs_csv": _l("Practice logs (CSV file)"),
    "practice_logs_json": _l("Practice logs (JSON file)"),
    "reflection": _l("A shared reflection"),
    "skj_hours_csv": _l("SKJ hours (CSV file)"),
    "personal_data_zip": _l("All own data (ZIP file)"),
    "user": _l("An account"),
    "membership": _l("A role in a team"),
    "coach_assignment": _l("A coaching assignment"),
    "organisation": _l("The organisation"),
    "access_log": _l("The access log"),
    "access_log_csv": _l("The access log (CSV file)"),
}
ROLES = {
    "coach": _l("coach"), "lead": _l("team lead"), "admin": _l("administrator"),
    "privacy_officer": _l("privacy officer"), "author": _l("own data"), "self": _l("own account"),
    "system": _l("Werkzaam itself"),
}
