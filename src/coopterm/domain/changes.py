"""What a write did: the :class:`Change` every write of the domain layer returns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from coopterm.domain.indicators import ActionTally


@dataclass(frozen=True)
class Change:
    """What one write did, for the screens to update without reading everything again."""

    id: uuid.UUID
    """The row written (an action, a défi, a person, a meeting...)."""
    plan_id: uuid.UUID
    changed: bool
    """False when there was nothing to change (same values, a final status, already deleted)."""
    tally_delta: ActionTally = ActionTally()
    """New contribution to the plan's action tally minus the old one."""
