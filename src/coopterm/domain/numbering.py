"""How défis and fiches-actions are numbered on screen: "T" for the transversal défi, "2.1" for actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopterm.models import Action, Challenge


def challenge_code(challenge: Challenge) -> str:
    return "T" if challenge.transversal else str(challenge.number)


def action_code(challenge: Challenge, action: Action) -> str:
    return f"{challenge_code(challenge)}.{action.number}"
