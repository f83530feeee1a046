"""Words for the alert rules."""

from __future__ import annotations

from ridni.alerts.models import AlertRule
from ridni.i18n import N_

TITLES = {
    AlertRule.conscription_risk: N_("Russian citizenship imposed, turns 18 within 12 months"),
    AlertRule.military_training: N_("At a facility that runs military training"),
    AlertRule.no_sighting: N_("Located, but not seen for a long time"),
    AlertRule.adoption_in_russia: N_("Adoption or guardianship recorded in Russia"),
}
EXPLANATIONS = {
    AlertRule.conscription_risk: N_(
        "Conscription risk: these children may be called up at 18. Soonest birthday first; "
        "a birth date known only to the month or year counts from its first day."
    ),
    AlertRule.military_training: N_(
        "The last recorded step took the child to a facility where military training of "
        "children is documented. Longest there first."
    ),
    AlertRule.no_sighting: N_(
        "The child was located, but no movement or list has placed them anywhere for "
        "%(months)s months (or never with a date). Longest without news first."
    ),
    AlertRule.adoption_in_russia: N_(
        "Adoption or guardianship in Russia is recorded: surnames may have been changed. "
        "Longest ago first."
    ),
}
DUE_LABELS = {
    AlertRule.conscription_risk: N_("Turns 18"),
    AlertRule.military_training: N_("Arrived"),
    AlertRule.no_sighting: N_("Last seen"),
    AlertRule.adoption_in_russia: N_("Adopted or placed"),
}
