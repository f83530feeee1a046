"""Human labels for the values of domain enums, translated at render time."""

from __future__ import annotations

from enum import StrEnum

from ridni.i18n import N_, gettext_

LABELS: dict[str, str] = {
    # Child status
    "reported": N_("Reported"),
    "verified": N_("Verified"),
    "located": N_("Located"),
    "return_in_progress": N_("Return in progress"),
    "returned": N_("Returned"),
    "reunited": N_("Reunited"),
    "deceased": N_("Deceased"),
    "closed_duplicate": N_("Closed (duplicate)"),
    # Sex
    "M": N_("Male"),
    "F": N_("Female"),
    # Record kinds
    "family_report": N_("Family report"),
    "camp_list": N_("Camp list"),
    "adoption_listing": N_("Adoption listing"),
    "return_list": N_("Return list"),
    "official_registry": N_("Official registry"),
    "media_report": N_("Media report"),
    "testimony": N_("Testimony"),
    "other": N_("Other"),
    # Scripts
    "ukrainian": N_("Ukrainian Cyrillic"),
    "russian": N_("Russian Cyrillic"),
    "cyrillic": N_("Cyrillic"),
    "latin": N_("Latin"),
    "mixed": N_("Mixed scripts"),
    "unknown": N_("Unknown"),
    # Movement kinds
    "taken": N_("Taken"),
    "transfer": N_("Moved to facility"),
    "placement": N_("Placed"),
    "adoption": N_("Adopted / guardianship"),
    "return": N_("Returned home"),
    # Who reports
    "mother": N_("mother"),
    "father": N_("father"),
    "grandparent": N_("grandparent"),
    "sibling": N_("brother or sister"),
    "other_relative": N_("other relative"),
    "witness": N_("witness (not a relative)"),
    # Match candidates
    "open": N_("Waiting for review"),
    "confirmed": N_("Confirmed: same child"),
    "rejected": N_("Rejected: another child"),
    "unsure": N_("Unsure"),
    "implied": N_("Answered by other decisions"),
    "confirm": N_("Confirm"),
    "reject": N_("Reject"),
    "undo": N_("Undo"),
    # Tracing requests: "open" alone is a question waiting for review
    "RequestStatus.open": N_("Open: matched against new lists"),
    "RequestStatus.closed": N_("Closed: no longer matched"),
    "CloseReason.reunited": N_("The child is back with the family"),
    "CloseReason.consent_withdrawn": N_("The family withdrew consent to tracing"),
    "CloseReason.duplicate": N_("Another request seeks the same child"),
    "CloseReason.other": N_("Another reason (say which in the note)"),
    # Import runs
    "running": N_("Running"),
    "completed": N_("Completed"),
    "interrupted": N_("Interrupted"),
    "failed": N_("Failed"),
    # Channels
    "public_form": N_("Public form"),
    "caseworker": N_("Caseworker"),
    "import": N_("Import"),
    # Facility kinds, activities, government levels, confidence
    "camp_sanatorium": N_("Camp or sanatorium"),
    "cadet_school": N_("Cadet school"),
    "military_base": N_("Military base"),
    "medical": N_("Medical"),
    "religious": N_("Religious site"),
    "school_university": N_("School or university"),
    "hotel": N_("Hotel"),
    "family_centre_orphanage": N_("Family centre or orphanage"),
    "re_education": N_("Re-education"),
    "military_training": N_("Military training"),
    "citizenship_processing": N_("Citizenship or passport processing"),
    "adoption_placement": N_("Adoption or foster placement"),
    "federal": N_("Federal"),
    "regional": N_("Regional"),
    "municipal": N_("Municipal"),
    "occupation_authority": N_("Occupation authority"),
    "private": N_("Private"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    # Actors and their roles
    "person": N_("Person"),
    "organisation": N_("Organisation"),
    "operator": N_("Operator"),
    "official_in_charge": N_("Official in charge"),
    "funder": N_("Funder"),
    "transporter": N_("Transporter"),
    "guardian": N_("Guardian"),
    "member": N_("Member"),
    # Evidence kinds, custody actions, file roles, claim kinds
    "document": N_("Document"),
    "photo": N_("Photo"),
    "video": N_("Video"),
    "audio": N_("Audio"),
    "web_capture": N_("Web capture"),
    "collected": N_("Collected"),
    "transferred": N_("Transferred"),
    "viewed": N_("Viewed"),
    "analysed": N_("Analysed"),
    "exported": N_("Exported"),
    "original": N_("Original"),
    "html": N_("HTML"),
    "screenshot": N_("Screenshot"),
    "attachment": N_("Attachment"),
    "child_at_facility": N_("Child at facility"),
    "facility_activity": N_("Facility activity"),
    "quantity": N_("Quantity"),
    "movement": N_("Movement"),
    # Admiralty grades
    "A": N_("A — completely reliable"),
    "B": N_("B — usually reliable"),
    "C": N_("C — fairly reliable"),
    "D": N_("D — not usually reliable"),
    "E": N_("E — unreliable"),
    "1": N_("1 — confirmed"),
    "2": N_("2 — probably true"),
    "3": N_("3 — possibly true"),
    "4": N_("4 — doubtful"),
    "5": N_("5 — improbable"),
    "6": N_("6 — cannot be judged"),
    # Contradictions
    "parts_total": N_("Parts do not add up to the total"),
    "counts_differ": N_("Sources give different counts"),
    "two_places": N_("Child in two places at once"),
    "dates_out_of_order": N_("Dates out of order"),
    # Precision
    "day": N_("exact day"),
    "month": N_("month and year only"),
    "year": N_("year only"),
}


def label(value: StrEnum | str | None) -> str:
    """The translated label of an enum value; unknown values are shown as they are. A value
    whose word means something else in another enum is keyed ``Enum.value``."""
    if value is None:
        return "—"
    if isinstance(value, StrEnum):
        qualified = f"{type(value).__name__}.{value.value}"
        if qualified in LABELS:
            return gettext_(LABELS[qualified])
        value = value.value
    return gettext_(LABELS[value]) if value in LABELS else value


# What a family reads on its private status page: plain words, and never the news of a death.
FAMILY_LABELS: dict[str, tuple[str, str]] = {
    "reported": (N_("Received"), N_("We have your report and are checking it.")),
    "verified": (N_("Being searched for"), N_("Your report is checked; the search is under way.")),
    "located": (N_("Located"), N_("We know where the child is. A caseworker will contact you.")),
    "return_in_progress": (N_("Return in progress"), N_("Work to bring the child home has begun.")),
    "returned": (N_("Returned"), N_("The child is back in Ukraine.")),
    "reunited": (N_("Reunited"), N_("The child is back with the family.")),
    "deceased": (N_("Please contact us"), N_("A caseworker needs to speak with you.")),
    "closed_duplicate": (
        N_("Being searched for"),
        N_("Your report was joined with another about the same child; the search continues."),
    ),
}


def family_label(value: StrEnum) -> str:
    return gettext_(FAMILY_LABELS[value.value][0])


def family_explanation(value: StrEnum) -> str:
    return gettext_(FAMILY_LABELS[value.value][1])


FIELD_LABELS: dict[str, str] = {
    "family_name": N_("Family name"),
    "given_name": N_("Given name"),
    "patronymic": N_("Patronymic"),
    "birth_date": N_("Date of birth"),
    "birth_place": N_("Place of birth"),
    "sex": N_("Sex"),
    "status": N_("Status"),
    "origin_oblast": N_("Oblast of origin"),
    "russian_citizenship_imposed": N_("Russian citizenship imposed"),
    "adopted_or_guardianship_in_russia": N_("Adoption or guardianship in Russia"),
    "consent_tracing": N_("Consent to tracing"),
    "consent_share": N_("Consent to share with other organisations"),
    "notes": N_("Notes"),
    # Form fields that error pages name
    "reason": N_("Reason"),
    "note": N_("Note"),
    "q": N_("Name, in any script"),
    # Lists' filters and pagers, named when a link or an edited address gives a wrong value
    "page": N_("Page number"),
    "state": N_("State of the question"),
    "age_min": N_("Age from"),
    "age_max": N_("Age up to"),
    "since": N_("From date"),
    "until": N_("To date"),
    "actor": N_("Who"),
    "action": N_("Action"),
    "entity_type": N_("Record type"),
    "entity_id": N_("Record number"),
    # Every other field a page's form or address takes, by the label its page gives it
    "decision": N_("Decision"),
    "consent_renewed": N_("The family has given their consent to tracing again."),
    "username": N_("Username"),
    "password": N_("Password"),
    "code": N_("Code"),
    "name": N_("Name"),
    "kind": N_("Kind"),
    "description": N_("Description"),
    "facility": N_("Facility"),
    "facility_id": N_("Facility number"),
    "into": N_("This facility is the same as facility number"),
    "organisation": N_("Organisation"),
    "oblast": N_("Oblast of origin"),
    "fields": N_("Fields"),
    "format": N_("Format"),
    "file": N_("File"),
    "source": N_("Source of the list"),
    "source_id": N_("Source"),
    "title": N_("Title"),
    "url": N_("Address (URL)"),
    "tool": N_("Capture tool"),
    "html": N_("HTML file"),
    "screenshot": N_("Screenshot"),
    "reliability": N_("Source reliability"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "settlement": N_("Settlement"),
    "territory": N_("Territory or region"),
    "occupied_territory": N_("In occupied Ukraine"),
    "other_name": N_("Another name (other language or script)"),
    "min_children": N_("Children documented (at least)"),
    "statement": N_("Statement"),
    "measure": N_("What is counted"),
    "quantity": N_("Number"),
    "region": N_("Region"),
    "on_date": N_("Date"),
    "part_of_claim_id": N_("Part of the total in claim number"),
    "position": N_("Position"),
    "role": N_("Role"),
    "target": N_("What it is linked to"),
    "target_id": N_("Number of what it is linked to"),
    "active_from": N_("Active from"),
    "active_to": N_("Active to"),
    "activity": N_("Activity"),
    "captured_at": N_("Captured at (UTC)"),
    "child_id": N_("Child number"),
    "collector": N_("Collected by"),
    "confirm_not_duplicate": N_("This is a different place"),
    "country": N_("Country"),
    "credibility": N_("Information credibility"),
    # Import mapping
    "source_ref": N_("Row id in the list"),
    "reported_on": N_("Date of the entry"),
    "details": N_("Other details"),
}


def field_label(name: str) -> str:
    return gettext_(FIELD_LABELS[name]) if name in FIELD_LABELS else name
