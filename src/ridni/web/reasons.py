"""Reasons Ridni writes itself into a case's history ("report received (public_form)"), said
in the reader's language. They are stored in English, as the audit trail keeps them; a
reason a person typed is shown as typed."""

from __future__ import annotations

import re

from ridni.i18n import N_, gettext_

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"report received \((?P<channel>\w+)\)"), N_("report received ({channel})")),
    (
        re.compile(r"match confirmed with record (?P<record>\d+) \((?P<source>.*)\)"),
        N_("match confirmed with record {record} ({source})"),
    ),
    (re.compile(r"merged into case (?P<case>\d+)"), N_("merged into case {case}")),
    (
        re.compile(r"auto-linked by import (?P<run>\d+): probability (?P<probability>[\d.]+)"),
        N_("linked by import {run} (probability {probability})"),
    ),
    (
        re.compile(r"undo of merge into case (?P<case>\d+): (?P<reason>.*)", re.S),
        N_("merge into case {case} undone: {reason}"),
    ),
    (re.compile(r"undo: (?P<reason>.*)", re.S), N_("undone: {reason}")),
)
CHANNELS = {
    "public_form": N_("through the public form"),
    "caseworker": N_("from a caseworker"),
    "import": N_("from a list import"),
}


def reason_text(reason: str | None) -> str:
    if not reason:
        return ""
    for pattern, template in _PATTERNS:
        found = pattern.fullmatch(reason)
        if found:
            values = found.groupdict()
            if "channel" in values:
                values["channel"] = gettext_(CHANNELS.get(values["channel"], values["channel"]))
            return gettext_(template).format(**values)
    return reason
