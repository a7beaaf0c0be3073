"""How a merge settles one row that two copies both have, from the two versions and
what each copy's history says about it.  Plain functions, no database: the rules
of README's "Merging copies", in one place.

- A copy that has seen the other's version (its history records that revision)
  made the later change: its version is taken whole.
- Otherwise both changed the row without knowing of each other, and each field is
  settled on its own.  A field only one copy changed takes that change; a field
  both changed takes the later change on the hybrid logical clock, and the other
  value is kept as a conflict to review.  "Changed" means a history entry of that
  copy set the field; which copy has seen which entry tells a later change from a
  concurrent one.
- A deletion wins over a concurrent change, which is kept whole for review; a
  copy that saw the deletion and brought the row back after it wins.

Every rule is symmetric (swapping the two copies swaps the answer) and depends
only on the versions and the histories, never on which copy merges into which:
that is what makes merging order-independent and idempotent.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from coopterm.clock import Revision

MERGE_OP = "merge"
"""The history entry a merge writes for a version it made of two: it records that the
copy has seen both (``base_revision``, and the two versions' own entries), and is not
an edit of any field."""

_NAMESPACE = uuid.UUID("0d4c6a52-7f2e-4b8a-9c31-5e8f1a2b3c4d")


def derived_id(*parts: str) -> str:
    """A row id (32 hex digits, as the database stores ids) derived from what a merge
    found, so two copies that find the same thing write the same row."""
    return uuid.uuid5(_NAMESPACE, ":".join(parts)).hex


def derived_revision(*revisions: str, reason: str = "merge") -> str:
    """A revision just after the highest of ``revisions``, the same on every copy that
    derives it from the same revisions: a version made by a merge (of two versions, or
    a row brought back) compares newer than what it was made of, and both sides of a
    merge stamp it alike."""
    highest = max(Revision.parse(r) for r in revisions)
    replica = derived_id(reason, *sorted(revisions))
    return str(Revision(highest.millis, highest.counter + 1, replica))


@dataclass(frozen=True)
class Version:
    """One copy's version of a row: its revision, tombstone and content (in the order
    of ``store.rowdata.content_columns``), as the database stores them."""

    revision: str
    deleted: bool
    content: tuple


class Story:
    """What one copy's history says about one row.

    Which fields each entry changed is read only when a field-level decision needs
    it: most rows of a merge were changed on one side only, and the revisions alone
    settle them.
    """

    def __init__(self, seen: set[str], entries: list[tuple[str, str]] | None = None,
                 deletions: list[str] | None = None) -> None:
        self.seen = seen
        """Every revision recorded for the row (entries and the revisions they were made
        on): what this copy has seen of it."""
        self.deletions = deletions or []
        self._edits = entries or []  # (revision, changes JSON) of the entries that edit fields

    @classmethod
    def read(cls, current: str, entries: Iterable[tuple[str, str | None, str, str]]) -> Story:
        """From (revision, base_revision, op, changes JSON) entries; ``current`` is the
        row's own revision, which the copy has seen whatever its history holds."""
        story = cls(seen={current})
        for revision, base, op, changes in entries:
            story.seen.add(revision)
            if base:
                story.seen.add(base)
            if op == "delete":
                story.deletions.append(revision)
            if op != MERGE_OP:
                story._edits.append((revision, changes))
        return story

    @functools.cached_property
    def field_revisions(self) -> dict[str, str]:
        """For each field, the revision of the latest change that set it (merges aside)."""
        latest: dict[str, str] = {}
        for revision, changes in self._edits:
            for name in json.loads(changes or "{}"):
                if revision > latest.get(name, ""):
                    latest[name] = revision
        return latest


@dataclass(frozen=True)
class FieldConflict:
    """A field both copies changed without seeing each other's change."""

    name: str
    kept: object
    other: object
    kept_revision: str
    other_revision: str


@dataclass(frozen=True)
class Outcome:
    """What becomes of the row: ``source`` is "local" (nothing changes), "other" (the
    copy's version is taken whole) or "mixed" (``content``, made of both).  ``lost``
    is the version a deletion won over, kept whole for review."""

    source: str
    content: tuple | None = None
    conflicts: tuple[FieldConflict, ...] = ()
    lost: Version | None = None
    winner: Version | None = None


def _newer(a: Version, b: Version) -> bool:
    return Revision.parse(a.revision) > Revision.parse(b.revision)


def settle(names: list[str], local: Version, other: Version, local_story: Story, other_story: Story,
           groups: tuple[tuple[str, ...], ...] = ()) -> Outcome:
    """The outcome for a row both copies have (see the module's rules).  The fields of
    each of ``groups`` are settled together, as one field (``coupled_fields``)."""
    if local.revision == other.revision:
        if local.content == other.content and local.deleted == other.deleted:
            return Outcome("local")
        # The same revision with different content only happens to raw file copies
        # sharing a replica id: no history tells the versions apart.
        if local.deleted != other.deleted:
            dead, live = (local, other) if local.deleted else (other, local)
            return Outcome("other" if dead is other else "local", lost=live, winner=dead)
        return _by_field(names, local, other, Story({local.revision}), Story({other.revision}), groups)
    local_knows = other.revision in local_story.seen
    other_knows = local.revision in other_story.seen
    if local_knows != other_knows:
        return Outcome("other" if other_knows else "local")
    if local_knows:
        return Outcome("other" if _newer(other, local) else "local")
    if local.deleted and other.deleted:
        return Outcome("other" if _newer(other, local) else "local")
    if local.deleted != other.deleted:
        dead, live = (local, other) if local.deleted else (other, local)
        dead_story, live_story = (local_story, other_story) if local.deleted else (other_story, local_story)
        if dead_story.deletions and max(dead_story.deletions) in live_story.seen:
            # The live copy saw this deletion and brought the row back afterwards.
            return Outcome("other" if live is other else "local")
        lost = None if dead.content == live.content else live
        return Outcome("other" if dead is other else "local", lost=lost, winner=dead)
    return _by_field(names, local, other, local_story, other_story, groups)


def _units(names: list[str], groups: tuple[tuple[str, ...], ...]) -> list[list[int]]:
    """The positions of the fields settled together: each group, then every other field alone."""
    grouped = [[names.index(n) for n in group if n in names] for group in groups]
    taken = {i for unit in grouped for i in unit}
    return [u for u in grouped if u] + [[i] for i in range(len(names)) if i not in taken]


def _by_field(names: list[str], local: Version, other: Version, local_story: Story, other_story: Story,
              groups: tuple[tuple[str, ...], ...] = ()) -> Outcome:
    merged = list(local.content)
    conflicts = []
    for unit in _units(names, groups):
        mine = tuple(local.content[i] for i in unit)
        theirs = tuple(other.content[i] for i in unit)
        if mine == theirs:
            continue
        mine_revs = [r for i in unit if (r := local_story.field_revisions.get(names[i])) is not None]
        theirs_revs = [r for i in unit if (r := other_story.field_revisions.get(names[i])) is not None]
        mine_rev, theirs_rev = max(mine_revs, default=None), max(theirs_revs, default=None)
        if mine_rev == theirs_rev:
            # No history tells the changes apart (a file older than the history, or
            # raw copies): the rows' own revisions decide, and it is a conflict.
            mine_rev, theirs_rev, concurrent = local.revision, other.revision, True
        else:
            concurrent = (mine_rev is not None and theirs_rev is not None
                          and mine_rev not in other_story.seen and theirs_rev not in local_story.seen)
        take_theirs = (theirs_rev or "") > (mine_rev or "") if mine_rev != theirs_rev else (
            repr(theirs) > repr(mine))
        for i, value in zip(unit, theirs if take_theirs else mine):
            merged[i] = value
        if concurrent:
            kept_rev, lost_rev = (theirs_rev, mine_rev) if take_theirs else (mine_rev, theirs_rev)
            for i, a, b in zip(unit, mine, theirs):
                if a != b:
                    kept, lost = (b, a) if take_theirs else (a, b)
                    conflicts.append(FieldConflict(names[i], kept, lost, kept_rev or "", lost_rev or ""))
    content = tuple(merged)
    if content == local.content and content == other.content:
        source = "other" if _newer(other, local) else "local"  # one content: both keep the same stamps
    else:
        source = "local" if content == local.content else "other" if content == other.content else "mixed"
    return Outcome(source, content if source == "mixed" else None, tuple(conflicts))
