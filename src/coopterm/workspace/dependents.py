"""What refers to a row, for the confirmation before it is deleted (``domain.dependents``)."""

from __future__ import annotations

from coopterm.domain.dependents import what_refers_to
from coopterm.workspace.door import Door


class Dependents(Door):
    def of(self, row_id: object) -> list[str]:
        """One sentence per kind of row that names ``row_id``, saying what becomes of it."""
        return self.space.read(what_refers_to, row_id)
