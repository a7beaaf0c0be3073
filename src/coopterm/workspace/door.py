"""What every entity's door of the workspace is: methods over the workspace's sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopterm.workspace import Workspace


class Door:
    """An entity as the faces use it; each method opens one session of ``space`` (a read one
    snapshot, a write one transaction) and returns the domain's plain data."""

    def __init__(self, space: Workspace) -> None:
        self.space = space
