"""What an audit event's action means, in words a coordinator reads.

The guard records a request's action as ``read`` or ``write`` and the route it used
(``read /children/{child_id}``); exports and the command line name theirs (``export list``,
``close tracing request``). The audit page shows these words, translated, with the action as
recorded beside them for investigators. An action without words here is shown as recorded.
"""

from __future__ import annotations

from ridni.i18n import N_
from ridni.i18n import gettext_ as _

API = "/api/v1/"

CASE_LIST = N_("Opened the list of cases")
CASE = N_("Opened a child's case")
CASE_EDITED = N_("Edited a child's case")
STATUS_CHANGED = N_("Changed a child's status")
MOVEMENT_RECORDED = N_("Recorded a child's movement")
MOVEMENT_CORRECTED = N_("Corrected a movement")
MOVEMENT_WITHDRAWN = N_("Withdrew a movement")
REQUESTS = N_("Opened the list of tracing requests")
REQUEST = N_("Opened a tracing request")
REQUEST_MADE = N_("Registered a tracing request")
REQUEST_MATCHED = N_("Matched a tracing request again")
REQUEST_CLOSED = N_("Closed a tracing request")
REQUEST_REOPENED = N_("Reopened a tracing request")
CONTACT = N_("Revealed a family's contact")
QUEUE = N_("Opened the review queue")
NEXT = N_("Took the next question from the review queue")
CANDIDATE = N_("Opened a possible match")
DECIDED = N_("Decided on a possible match")
EVIDENCE_LIST = N_("Opened the list of evidence")
EVIDENCE = N_("Opened a piece of evidence")
EVIDENCE_COLLECTED = N_("Collected evidence")
CUSTODY = N_("Logged a custody entry for evidence")
RELIABILITY = N_("Graded the reliability of evidence's source")
CREDIBILITY = N_("Graded the credibility of evidence")
CLAIM = N_("Recorded a claim")
ACTOR = N_("Recorded an actor")
ACTOR_LINK = N_("Linked an actor to a facility, movement, evidence or another actor")
FACILITY_NEW = N_("Registered a facility")
FACILITY_EDITED = N_("Edited a facility")
FACILITY_MERGED = N_("Merged two facilities")
LIST_EXPORTED = N_("Exported a list of children")
DOSSIER_EXPORTED = N_("Exported a child's dossier")
ALERT = N_("Opened an alert's list of children")
AUDIT = N_("Opened the audit trail")

WORDS: dict[str, str] = {
    # Cases and movements
    "read /children": CASE_LIST,
    "read /api/v1/children": CASE_LIST,
    "read /children/{child_id}": CASE,
    "read /api/v1/children/{child_id}": CASE,
    "read /api/v1/children/{child_id}/history": N_("Read the history of a child's case"),
    "read /api/v1/children/{child_id}/movements": N_("Read a child's movements"),
    "read /api/v1/children/{child_id}/movements/history": N_(
        "Read the history of a child's movements"
    ),
    "read /children/{child_id}/movements/checks": N_(
        "Read the contradictions in a child's movements"
    ),
    "write /children/{child_id}/edit": CASE_EDITED,
    "write /api/v1/children/{child_id}": CASE_EDITED,
    "write /children/{child_id}/status": STATUS_CHANGED,
    "write /api/v1/children/{child_id}/status": STATUS_CHANGED,
    "write /children/{child_id}/movements": MOVEMENT_RECORDED,
    "write /api/v1/children/{child_id}/movements": MOVEMENT_RECORDED,
    "write /children/{child_id}/movements/{movement_id}/edit": MOVEMENT_CORRECTED,
    "write /api/v1/movements/{movement_id}": MOVEMENT_CORRECTED,
    "write /children/{child_id}/movements/{movement_id}/withdraw": MOVEMENT_WITHDRAWN,
    "write /api/v1/movements/{movement_id}/withdrawal": MOVEMENT_WITHDRAWN,
    "write /api/v1/records": N_("Added an entry of a list to the registry"),
    # Tracing and review
    "read /tracing": REQUESTS,
    "read /tracing/{request_id}": REQUEST,
    "read /api/v1/tracing-requests/{request_id}": REQUEST,
    "read /tracing/{request_id}/contact": CONTACT,
    "read /api/v1/tracing-requests/{request_id}/contact": CONTACT,
    "write /tracing/new": REQUEST_MADE,
    "write /api/v1/tracing-requests": REQUEST_MADE,
    "write /tracing/{request_id}/match": REQUEST_MATCHED,
    "write /api/v1/tracing-requests/{request_id}/match": REQUEST_MATCHED,
    "write /tracing/{request_id}/close": REQUEST_CLOSED,
    "write /api/v1/tracing-requests/{request_id}/close": REQUEST_CLOSED,
    "close tracing request": REQUEST_CLOSED,
    "write /tracing/{request_id}/reopen": REQUEST_REOPENED,
    "write /api/v1/tracing-requests/{request_id}/reopen": REQUEST_REOPENED,
    "reopen tracing request": REQUEST_REOPENED,
    "write /report": N_("Sent a family's report through the public form"),
    "read /review": QUEUE,
    "read /api/v1/review/queue": QUEUE,
    "read /review/next": NEXT,
    "read /api/v1/review/next": NEXT,
    "read /review/{candidate_id}": CANDIDATE,
    "read /api/v1/candidates/{candidate_id}": CANDIDATE,
    "write /review/{candidate_id}": DECIDED,
    "write /api/v1/candidates/{candidate_id}/decisions": DECIDED,
    # Evidence, claims, actors, facilities
    "read /evidence": EVIDENCE_LIST,
    "read /api/v1/evidence": EVIDENCE_LIST,
    "read /evidence/{evidence_id}": EVIDENCE,
    "read /api/v1/evidence/{evidence_id}": EVIDENCE,
    "read /evidence/{evidence_id}/files/{file_id}": N_("Downloaded an evidence file"),
    "write /evidence/new": EVIDENCE_COLLECTED,
    "write /api/v1/evidence": EVIDENCE_COLLECTED,
    "write /evidence/{evidence_id}/custody": CUSTODY,
    "write /api/v1/evidence/{evidence_id}/custody": CUSTODY,
    "write /evidence/{evidence_id}/reliability": RELIABILITY,
    "write /api/v1/evidence/{evidence_id}/reliability": RELIABILITY,
    "write /evidence/{evidence_id}/credibility": CREDIBILITY,
    "write /api/v1/evidence/{evidence_id}/credibility": CREDIBILITY,
    "write /claims": CLAIM,
    "write /api/v1/claims": CLAIM,
    "write /actors": ACTOR,
    "write /api/v1/actors": ACTOR,
    "write /actors/{actor_id}/links": ACTOR_LINK,
    "write /api/v1/actors/{actor_id}/links": ACTOR_LINK,
    "write /facilities/new": FACILITY_NEW,
    "write /api/v1/facilities": FACILITY_NEW,
    "write /facilities/{facility_id}/edit": FACILITY_EDITED,
    "write /api/v1/facilities/{facility_id}": FACILITY_EDITED,
    "write /facilities/{facility_id}/merge": FACILITY_MERGED,
    "write /api/v1/facilities/{facility_id}/merge": FACILITY_MERGED,
    # Exports, alerts, imports
    "export list": LIST_EXPORTED,
    "write /exports": LIST_EXPORTED,
    "write /api/v1/exports/list": LIST_EXPORTED,
    "read /exports": N_("Opened the export page"),
    "read /api/v1/exports/fields": N_("Read which fields a list can export"),
    "export dossier": DOSSIER_EXPORTED,
    "write /children/{child_id}/dossier": DOSSIER_EXPORTED,
    "write /api/v1/children/{child_id}/dossier": DOSSIER_EXPORTED,
    "read /children/{child_id}/dossier": N_("Opened the dossier form of a child's case"),
    "read /alerts/{rule}": ALERT,
    "read /api/v1/alerts/{rule}": ALERT,
    "write /imports": N_("Uploaded a list to import"),
    "write /imports/upload/{token}/preview": N_("Checked a list before importing it"),
    "write /imports/upload/{token}/run": N_("Imported a list"),
    # Accounts and the audit trail
    "write /login": N_("Sent the login form"),
    "write /login/2fa": N_("Sent a second-factor code"),
    "write /logout": N_("Logged out"),
    "write /account/2fa": N_("Set up two-factor login"),
    "write /account/tokens": N_("Created an API token"),
    "write /account/tokens/{token_id}/revoke": N_("Revoked an API token"),
    "read /admin/audit": AUDIT,
    "read /api/v1/audit": AUDIT,
}


def action_words(action: str) -> str | None:
    """The action in the reader's language; None when it has no words (shown as recorded)."""
    words = WORDS.get(action)
    if words is None:
        return None
    if action.split(" ", 1)[-1].startswith(API):
        return _("%(action)s, through the API") % {"action": _(words)}
    return _(words)


def matching(text: str) -> list[str]:
    """The actions whose words, in the reader's language, contain ``text`` (any case): the
    audit page's filter finds "opened a child's case" as well as the route."""
    wanted = _comparable(text.strip())
    if not wanted:
        return []
    return [action for action in WORDS if wanted in _comparable(action_words(action) or "")]


# A Ukrainian keyboard types the apostrophe of «об’єднання» as ' (or ʼ, `); the words use ’.
_APOSTROPHES = str.maketrans({"'": "’", "ʼ": "’", "`": "’", "‘": "’"})


def _comparable(text: str) -> str:
    return text.casefold().translate(_APOSTROPHES)


# What an event's entity is, by the name of the route's identifier (``child_id``) that the
# guard records as its type: the page showed "child_id 42"; it shows "Child's case 42".
ENTITIES = {
    "child_id": N_("Child's case"),
    "request_id": N_("Tracing request"),
    "candidate_id": N_("Candidate match"),
    "movement_id": N_("Movement"),
    "facility_id": N_("Facility"),
    "evidence_id": N_("Evidence item"),
    "file_id": N_("File"),
    "actor_id": N_("Actor"),
    "token_id": N_("API token"),
    "rule": N_("Alert list"),
    "token": N_("List being imported"),
}


def entity_words(entity_type: str | None) -> str | None:
    """The entity's kind in the reader's language; None when it has no words."""
    words = ENTITIES.get(entity_type or "")
    return _(words) if words else None


def entities_matching(text: str) -> list[str]:
    """The entity types whose words contain ``text`` (any case, any apostrophe)."""
    wanted = _comparable(text.strip())
    if not wanted:
        return []
    return [code for code, words in ENTITIES.items() if wanted in _comparable(_(words))]
