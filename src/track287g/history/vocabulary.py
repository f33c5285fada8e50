"""The words the history writes in its tables, named once: the types of its events and the statuses of its
agencies and agreements. The web's filters accept these and no others; ``i18n.labels`` gives each its words."""

from __future__ import annotations

# every type of event the history writes, in the order the changes' filters list them
EVENT_TYPES: tuple[str, ...] = (
    "added",
    "removed",
    "missing",
    "reappeared",
    "re-dated",
    "renamed",
    "renewed",
    "superseded",
    "model-added",
    "model-switch",
    "moved-from-pending",
    "pending-added",
    "pending-approved",
    "pending-withdrawn",
    "pending-duplicate",
    "pending-missing",
    "pending-reappeared",
    "transferred",
    "state-corrected",
    "id-changed",
    "suspect-publication",
)

# an agreement's status on the latest list (``build._lifecycle``)
AGREEMENT_STATUSES: tuple[str, ...] = ("active", "removed", "superseded")

# an agency's status (``write._agencies``): holds an agreement, has an application, its agreements moved to
# another holder, its agreements ended, its applications left the pending list
AGENCY_STATUSES: tuple[str, ...] = ("active", "removed", "transferred", "pending", "withdrawn")
