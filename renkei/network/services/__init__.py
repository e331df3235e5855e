"""Writes of the care-team network: each validates, saves atomically and writes the audit row.

Split by concern into submodules; every name is re-exported here, so callers keep using
`from renkei.network import services` / `services.create_post`. Callers (and tests that
monkeypatch) go through this package's attributes.
"""
from ._common import (
    MAX_BODY,
    MENTION,
    Refused,
    _member,
    _notify,
    _require_active_member,
    _require_manager,
    _save_with_files,
    consent_state,
)
from .consent import (
    record_consent,
    withdraw_consent,
)
from .devices import (
    save_preferences,
    subscribe,
    unsubscribe,
)
from .doctor import (
    acknowledge_post,
    acknowledge_sheet,
    create_reply_template,
    delete_reply_template,
    update_reply_template,
)
from .family import (
    grant_family_access,
    revoke_family_access,
)
from .groups import (
    create_group,
    ensure_facility_group,
    invite_group_member,
    respond_group_invitation,
)
from .patients import (
    PATIENT_FIELDS,
    add_contact,
    create_patient,
    update_patient,
)
from .team import (
    cancel_invitations,
    hand_over_places,
    invitable,
    invite_member,
    remove_member,
    respond_invitation,
    set_manager,
)
from .timeline import (
    create_post,
    edit_post,
    mark_notifications_read,
    mark_read,
    post_notice,
    retract_post,
)

__all__ = [
    "MAX_BODY",
    "MENTION",
    "Refused",
    "_member",
    "_require_active_member",
    "_require_manager",
    "consent_state",
    "_save_with_files",
    "_notify",
    "PATIENT_FIELDS",
    "create_patient",
    "update_patient",
    "add_contact",
    "record_consent",
    "withdraw_consent",
    "invitable",
    "hand_over_places",
    "cancel_invitations",
    "invite_member",
    "respond_invitation",
    "remove_member",
    "set_manager",
    "create_post",
    "post_notice",
    "edit_post",
    "retract_post",
    "mark_read",
    "mark_notifications_read",
    "ensure_facility_group",
    "create_group",
    "invite_group_member",
    "respond_group_invitation",
    "grant_family_access",
    "revoke_family_access",
    "subscribe",
    "unsubscribe",
    "save_preferences",
    "acknowledge_post",
    "acknowledge_sheet",
    "create_reply_template",
    "update_reply_template",
    "delete_reply_template",
]
