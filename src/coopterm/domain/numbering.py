"""How défis and fiches-actions are numbered on screen: "T" for the transversal défi, "2.1" for actions,
and "2.1 — Title" for an action in every picker."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coopterm.models import Action, Challenge


def challenge_code(challenge: Challenge) -> str:
    return "T" if challenge.transversal else str(challenge.number)


def action_code(challenge: Challenge, action: Action) -> str:
    return number_code(challenge, action.number)


def number_code(challenge: Challenge, number: int) -> str:
    """The code an action numbered ``number`` has in this défi (before it has it: a renumbering)."""
    return f"{challenge_code(challenge)}.{number}"


def action_label(challenge: Challenge, action: Action) -> str:
    """ "2.1 — Title": how every picker of the app names an action."""
    return f"{action_code(challenge, action)} \u2014 {action.title}"
