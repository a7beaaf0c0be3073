"""The rules that settle one row both copies have (store/reconcile.py), without a database."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from coopterm.store.reconcile import MERGE_OP, Story, Version, derived_revision, settle

NAMES = ["title", "progress", "notes"]


def rev(millis: int, replica: str = "a") -> str:
    return f"{millis:015d}-000000-{replica}"


def story(current: str, *entries: tuple[str, str | None, str, dict]) -> Story:
    return Story.read(current, [(r, base, op, json.dumps(changes)) for r, base, op, changes in entries])


BASE = rev(1, "o")
CREATED = (BASE, None, "create", {"title": [None, "T"], "progress": [None, 0], "notes": [None, ""]})


def test_edits_of_different_fields_both_survive_without_a_conflict():
    mine = Version(rev(5, "a"), False, ("T2", 0, ""))
    theirs = Version(rev(3, "b"), False, ("T", 40, ""))
    outcome = settle(NAMES, mine, theirs,
                     story(mine.revision, CREATED, (mine.revision, BASE, "update", {"title": ["T", "T2"]})),
                     story(theirs.revision, CREATED, (theirs.revision, BASE, "update", {"progress": [0, 40]})))
    assert outcome.source == "mixed" and outcome.content == ("T2", 40, "") and outcome.conflicts == ()


def test_the_same_field_changed_on_both_sides_is_one_conflict_the_later_change_winning():
    mine = Version(rev(5, "a"), False, ("Mine", 0, ""))
    theirs = Version(rev(9, "b"), False, ("Theirs", 0, "note"))
    outcome = settle(NAMES, mine, theirs,
                     story(mine.revision, CREATED, (mine.revision, BASE, "update", {"title": ["T", "Mine"]})),
                     story(theirs.revision, CREATED, (theirs.revision, BASE, "update",
                                                      {"title": ["T", "Theirs"], "notes": ["", "note"]})))
    assert outcome.source == "other"
    (conflict,) = outcome.conflicts
    assert (conflict.name, conflict.kept, conflict.other) == ("title", "Theirs", "Mine")
    assert (conflict.kept_revision, conflict.other_revision) == (theirs.revision, mine.revision)


def test_a_change_made_after_seeing_the_other_wins_whatever_the_clock():
    theirs = Version(rev(900, "b"), False, ("Theirs", 0, ""))
    mine = Version(rev(950, "a"), False, ("Later", 0, ""))
    # This side merged theirs (the merge entry names it) and then changed the title.
    mine_story = story(mine.revision, CREATED, (theirs.revision, BASE, "update", {"title": ["T", "Theirs"]}),
                       (mine.revision, theirs.revision, "update", {"title": ["Theirs", "Later"]}))
    outcome = settle(NAMES, mine, theirs, mine_story,
                     story(theirs.revision, CREATED, (theirs.revision, BASE, "update", {"title": ["T", "Theirs"]})))
    assert outcome.source == "local" and outcome.conflicts == ()


def test_a_field_changed_again_after_a_merge_is_not_a_conflict_with_its_own_past():
    """B changed the title, A merged it (a version of both, ``merge`` entry), B changed the title
    again without seeing A's merge: B's second title wins, no conflict."""
    b1, a1 = rev(10, "b"), rev(11, "a")
    merged = derived_revision(a1, b1)
    b2 = rev(12, "b")
    a_story = story(merged, CREATED, (a1, BASE, "update", {"progress": [0, 50]}),
                    (b1, BASE, "update", {"title": ["T", "B1"]}),
                    (merged, b1, MERGE_OP, {"progress": [0, 50]}))
    b_story = story(b2, CREATED, (b1, BASE, "update", {"title": ["T", "B1"]}),
                    (b2, b1, "update", {"title": ["B1", "B2"]}))
    outcome = settle(NAMES, Version(merged, False, ("B1", 50, "")), Version(b2, False, ("B2", 0, "")),
                     a_story, b_story)
    assert outcome.content == ("B2", 50, "") and outcome.conflicts == ()


def test_a_deletion_wins_over_a_concurrent_edit_which_is_kept_whole():
    dead = Version(rev(5, "a"), True, ("T", 0, ""))
    live = Version(rev(9, "b"), False, ("T", 0, "encore utile ?"))
    outcome = settle(NAMES, dead, live, story(dead.revision, CREATED, (dead.revision, BASE, "delete", {})),
                     story(live.revision, CREATED, (live.revision, BASE, "update", {"notes": ["", "encore utile ?"]})))
    assert outcome.source == "local" and outcome.lost == live and outcome.winner == dead


def test_a_copy_that_saw_the_deletion_and_brought_the_row_back_wins():
    deleted = rev(5, "a")
    dead = Version(deleted, True, ("T", 0, ""))
    back = Version(rev(7, "b"), False, ("T", 0, ""))
    outcome = settle(NAMES, dead, back, story(deleted, CREATED, (deleted, BASE, "delete", {})),
                     story(back.revision, CREATED, (deleted, BASE, "delete", {}),
                           (back.revision, "x", "restore", {})))
    assert outcome.source == "other" and outcome.lost is None


values = st.sampled_from(["T", "U", "V"])


@st.composite
def sides(draw, replica: str):
    """One side (its own replica): a version of the row and a history of changes made on BASE."""
    entries, content, last, millis = [CREATED], ["T", 0, ""], BASE, 1
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(NAMES))
        value = draw(values) if name != "progress" else draw(st.integers(0, 2))
        millis += draw(st.integers(1, 10))
        last = rev(millis, replica)
        entries.append((last, BASE, "update", {name: [None, value]}))
        content[NAMES.index(name)] = value
    deleted = draw(st.booleans())
    if deleted:
        last = rev(millis + 1, replica)
        entries.append((last, BASE, "delete", {}))
    return Version(last, deleted, tuple(content)), entries


def mirrored(outcome):
    flipped = {"local": "other", "other": "local", "mixed": "mixed"}[outcome.source]
    return flipped, outcome.content, {(c.name, c.kept, c.other) for c in outcome.conflicts}, outcome.lost


@given(sides("a"), sides("b"), st.sets(st.integers(0, 3)), st.sets(st.integers(0, 3)))
def test_settling_is_symmetric(one, two, one_shares, two_shares):
    """Swapping the two copies swaps the answer: what makes a merge order-independent.
    Each side may also have seen some of the other's entries (as after an earlier merge)."""
    (mine, mine_entries), (theirs, theirs_entries) = one, two
    mine_entries = mine_entries + [e for i, e in enumerate(theirs_entries) if i in one_shares]
    theirs_entries = theirs_entries + [e for i, e in enumerate(mine_entries) if i in two_shares]

    def both(a, b, a_entries, b_entries):
        return settle(NAMES, a, b, story(a.revision, *a_entries), story(b.revision, *b_entries))

    if mine == theirs:
        return  # one version: "keep mine" and "take theirs" are the same answer
    forth = both(mine, theirs, mine_entries, theirs_entries)
    back = both(theirs, mine, theirs_entries, mine_entries)
    source, content, conflicts, lost = mirrored(back)
    assert (forth.source, forth.content, {(c.name, c.kept, c.other) for c in forth.conflicts}, forth.lost) == (
        source, content, conflicts, lost)


def test_a_derived_revision_is_newer_than_what_it_was_made_of_and_the_same_either_way():
    a, b = rev(100, "a"), rev(100, "b")
    assert derived_revision(a, b) == derived_revision(b, a) > max(a, b)
