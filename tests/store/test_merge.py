"""Merging copies: the rules of store/merge.py checked on real files, then as properties."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
import types
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from coopterm.domain.actions import delete_action
from coopterm.errors import CooptermError
from coopterm.models import Action, ActionTown, Conflict, Person, Town
from coopterm.store import export_copy, open_database
from coopterm.store.merge import merge_copy
from tests.helpers import file_contents

FIXTURES = Path(__file__).parents[1] / "fixtures"
LOCAL_ONLY = {"meta", "alembic_version"}


def content(path: Path) -> dict[str, list[tuple]]:
    """Every shared table of a file, rows sorted: what two merged copies must agree on."""
    return file_contents(path, skip=LOCAL_ONLY)


def fingerprint(path: Path) -> dict[str, str | None]:
    """The bytes of a database and its WAL, to prove a refused merge touched nothing."""
    out = {}
    for p in (path, Path(f"{path}-wal")):
        out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None
    return out


@pytest.fixture
def copies(demo_db, tmp_path):
    """Two copies of the demo made with export, each open, as pilots take them."""
    export_copy(demo_db, tmp_path / "a.db")
    export_copy(demo_db, tmp_path / "b.db")
    a, b = open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")
    yield a, b
    a.close()
    b.close()


def _actions(session):
    return session.exec(select(Action).where(Action.deleted_at.is_(None)).order_by(Action.id)).all()


def test_two_field_copies_merge_both_ways_to_the_same_content_with_one_conflict(copies):
    a, b = copies
    with a.write() as s:
        acts = _actions(s)
        shared_id, only_a_id, deleted_id = acts[0].id, acts[1].id, acts[2].id
        acts[0].progress = 55
        acts[1].notes = "Vu avec la mairie de Sierre"
        s.add(Action(challenge_id=acts[0].challenge_id, number=90, title="Nouvelle action à Katowice"))
    with b.write() as s:
        acts = {x.id: x for x in _actions(s)}
        acts[shared_id].progress = 60
        acts[shared_id].title = "Titre revu à Monastir"
        delete_action(s, deleted_id)  # the app's rule: its towns and pilots go with it

    first = merge_copy(a, b.path)
    assert first.tables["action"].conflicts == 1
    assert first.tables["action"].deleted == 1
    assert first.backup is not None and first.backup.exists()
    second = merge_copy(b, a.path)
    assert second.tables["action"].conflicts == 0  # a already settled it: b learns the outcome
    assert content(a.path) == content(b.path)

    with a.read() as s:
        row = s.get(Action, shared_id)
        assert (row.title, row.progress) == ("Titre revu à Monastir", 60)  # the later edit (on b) won
        assert s.get(Action, only_a_id).notes == "Vu avec la mairie de Sierre"
        assert s.get(Action, deleted_id).deleted_at is not None
        assert len(s.exec(select(Action).where(Action.title == "Nouvelle action à Katowice")).all()) == 1
        conflicts = s.exec(select(Conflict)).all()
    assert len(conflicts) == 1 and conflicts[0].row_id == shared_id
    assert '"progress":55' in conflicts[0].other_values  # a's version is kept for review


def test_importing_the_same_copy_twice_changes_nothing(copies):
    a, b = copies
    with b.write() as s:
        _actions(s)[0].progress = 42
    merge_copy(a, b.path)
    before = content(a.path)
    again = merge_copy(a, b.path)
    assert again.changes == 0 and again.backup is None
    assert content(a.path) == before


def test_a_dry_run_reports_and_changes_nothing(copies):
    a, b = copies
    with b.write() as s:
        acts = _actions(s)
        acts[0].progress = 42
        delete_action(s, acts[1].id)
        s.add(Town(name="Sfax"))
    before, bytes_before = content(a.path), fingerprint(a.path)
    result = merge_copy(a, b.path, dry_run=True)
    assert result.tables["action"].changed == 1 and result.tables["action"].deleted == 1
    assert result.tables["town"].added == 1
    assert result.backup is None
    assert content(a.path) == before and fingerprint(a.path) == bytes_before
    assert not list(a.path.parent.glob("a.db.backup-*"))


def _corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page:4 * page] = bytes(range(256)) * 16
    path.write_bytes(bytes(data))


def _newer_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["empty", "text", "foreign", "truncated", "random_page", "newer", "folder",
                                  "missing", "itself"])
def test_bad_copies_are_refused_and_the_database_is_untouched(copies, tmp_path, kind):
    a, b = copies
    bad = tmp_path / f"bad-{kind}.db"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "text":
        bad.write_text("titre;avancement\nForum;50\n", encoding="utf-8")
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE action (id, title)")
        conn.commit()
        conn.close()
    elif kind == "truncated":
        bad.write_bytes(b.path.read_bytes()[:10000])
    elif kind == "random_page":
        shutil.copyfile(b.path, bad)
        _corrupt_page(bad)
    elif kind == "newer":
        shutil.copyfile(b.path, bad)
        _newer_schema(bad)
    elif kind == "folder":
        bad.mkdir()
    elif kind == "itself":
        bad = a.path
    before = fingerprint(a.path)
    with pytest.raises(CooptermError) as refused:
        merge_copy(a, bad)
    assert str(refused.value)  # a sentence, not a key
    assert "." in str(refused.value) or ":" in str(refused.value)
    assert fingerprint(a.path) == before
    assert not list(a.path.parent.glob("a.db.backup-*"))


def test_a_copy_with_an_older_schema_is_upgraded_in_a_temporary_copy_only(db, tmp_path):
    old = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "schema_0001.db", old)
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    result = merge_copy(db, old)
    assert result.migrated_from == "0001"
    assert result.tables["action"].added >= 1
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before
    assert not Path(f"{old}-wal").exists()


def _freeze_clock(monkeypatch, millis: int) -> None:
    import coopterm.clock as clock

    monkeypatch.setattr(clock, "time", types.SimpleNamespace(time_ns=lambda: millis * 1_000_000))


def test_a_laptop_with_a_clock_set_back_cannot_undo_newer_work(copies, monkeypatch):
    a, b = copies
    real_now = int(time.time() * 1000) + 86_400_000  # after the demo was made
    _freeze_clock(monkeypatch, real_now)
    with a.write() as s:
        target = _actions(s)[0]
        target_id = target.id
        target.title = "Décidé à Katowice"
    # b's clock says 2020: its concurrent edit loses, and is kept for review.
    _freeze_clock(monkeypatch, 1_580_000_000_000)
    with b.write() as s:
        s.get(Action, target_id).title = "Ancienne idée de Sierre"
    merge_copy(a, b.path)
    with a.read() as s:
        assert s.get(Action, target_id).title == "Décidé à Katowice"
        assert s.exec(select(Conflict)).one().row_id == target_id
    # b now receives a's work, then edits again with its wrong clock: it is newer
    # work (made after seeing a's), so it wins everywhere without a conflict.
    merge_copy(b, a.path)
    with b.write() as s:
        s.get(Action, target_id).title = "Corrigé après la réunion"
    result = merge_copy(a, b.path)
    assert result.tables["action"].conflicts == 0
    with a.read() as s:
        assert s.get(Action, target_id).title == "Corrigé après la réunion"


def test_a_deletion_wins_over_a_concurrent_edit_and_the_edit_is_kept(copies):
    a, b = copies
    with a.write() as s:
        victim = _actions(s)[3]
        victim_id = victim.id
        delete_action(s, victim_id)
    with b.write() as s:
        s.get(Action, victim_id).notes = "Encore utile ?"
    merge_copy(a, b.path)
    merge_copy(b, a.path)
    for side in (a, b):
        with side.read() as s:
            assert s.get(Action, victim_id).deleted_at is not None
            assert "Encore utile" in s.exec(select(Conflict)).one().other_values
    assert content(a.path) == content(b.path)


def test_taking_the_other_version_travels_as_a_new_change(copies):
    from coopterm.domain.conflicts import list_conflicts, take_other_version

    a, b = copies
    with a.write() as s:
        row = _actions(s)[0]
        row_id = row.id
        row.progress = 11
    with b.write() as s:
        s.get(Action, row_id).progress = 22
    merge_copy(a, b.path)
    with a.read() as s:
        (conflict,) = list_conflicts(s)
    assert [f.field for f in conflict.fields] == ["progress"]
    loser = int(conflict.fields[0].other)
    with a.write() as s:
        take_other_version(s, conflict.id)
    with a.read() as s:
        assert s.get(Action, row_id).progress == loser
        assert list_conflicts(s) == []
    merge_copy(b, a.path)
    with b.read() as s:
        assert s.get(Action, row_id).progress == loser
        assert list_conflicts(s) == []
    assert content(a.path) == content(b.path)


def test_links_added_on_both_sides_are_united(copies):
    a, b = copies
    with a.write() as s:
        action_id = _actions(s)[0].id
        sfax = Town(name="Sfax")
        s.add(sfax)
        s.flush()
        s.add(ActionTown(action_id=action_id, town_id=sfax.id))
    with b.write() as s:
        s.add(Person(name="Aïcha Ben Salah"))
    merge_copy(a, b.path)
    merge_copy(b, a.path)
    with b.read() as s:
        assert s.exec(select(Person).where(Person.name == "Aïcha Ben Salah")).one()
        assert s.exec(select(ActionTown).join(Town, Town.id == ActionTown.town_id)
                      .where(Town.name == "Sfax", ActionTown.action_id == action_id)).one()
    assert content(a.path) == content(b.path)


def test_the_history_of_both_copies_ends_up_in_both(copies):
    a, b = copies
    with a.write() as s:
        _actions(s)[0].progress = 31
    with b.write() as s:
        _actions(s)[1].progress = 32
    merge_copy(a, b.path)
    merge_copy(b, a.path)
    conn = sqlite3.connect(a.path)
    replicas = {uuid.UUID(r[0]) for r in conn.execute(
        "SELECT replica_id FROM history WHERE table_name = 'action' AND op = 'update'")}
    conn.close()
    assert {a.replica_id, b.replica_id} <= replicas


def test_the_command_line_merges_and_reports(copies, capsys):
    from coopterm.cli import main

    a, b = copies
    with b.write() as s:
        _actions(s)[0].progress = 77
    before = content(a.path)
    assert main(["import", str(b.path), "--db", str(a.path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Action" in out and "Dry run" in out
    assert content(a.path) == before
    assert main(["import", str(b.path), "--db", str(a.path)]) == 0
    assert "Merged" in capsys.readouterr().out
    assert main(["import", str(b.path), "--db", str(a.path)]) == 0
    assert "nothing new" in capsys.readouterr().out
    bad = a.path.parent / "notes.txt"
    bad.write_text("pas une base")
    assert main(["--lang", "fr", "import", str(bad), "--db", str(a.path)]) == 1
    assert "coopterm" in capsys.readouterr().err


def test_history_command_lists_changes_since_a_day(copies, capsys):
    from coopterm.cli import main

    a, _ = copies
    with a.write() as s:
        _actions(s)[0].progress = 64
    assert main(["history", "--db", str(a.path), "--since", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Progress" in out and "→ 64" in out and "this copy" in out
    assert main(["history", "--db", str(a.path), "--since", "2999-01-01"]) == 0
    assert "No change recorded" in capsys.readouterr().out
    with pytest.raises(SystemExit) as bad:
        main(["history", "--db", str(a.path), "--since", "demain"])
    assert bad.value.code == 2


def test_the_review_compares_the_row_as_it_is_now_with_the_other_version(copies):
    from coopterm.domain.conflicts import list_conflicts

    a, b = copies
    with a.write() as s:
        row = _actions(s)[0]
        row_id = row.id
        row.progress = 11
    with b.write() as s:
        s.get(Action, row_id).progress = 22
    merge_copy(a, b.path)
    with a.write() as s:
        s.get(Action, row_id).progress = 33  # changed again after the merge
    with a.read() as s:
        (conflict,) = list_conflicts(s)
    assert [(f.field, f.kept, f.other) for f in conflict.fields] == [("progress", "33", "11")]


def test_edits_of_two_fields_of_a_meeting_both_survive_without_a_conflict(copies):
    from coopterm.domain.conflicts import list_conflicts
    from coopterm.models import Meeting

    a, b = copies
    with a.write() as s:
        meeting = s.exec(select(Meeting).order_by(Meeting.id)).first()
        meeting_id = meeting.id
        meeting.title = "Groupe technique à Sierre"
    with b.write() as s:
        s.get(Meeting, meeting_id).minutes = "Compte rendu envoyé"
    merge_copy(a, b.path)
    with a.read() as s:
        assert list_conflicts(s) == []
        row = s.get(Meeting, meeting_id)
        assert (row.title, row.minutes) == ("Groupe technique à Sierre", "Compte rendu envoyé")


def test_fields_a_constraint_ties_are_settled_together_so_the_merge_cannot_break_it(copies):
    """A moves an action's start after B's new due date, each on its own laptop: taking A's
    start and B's due would break "due on or after start" (and fail the whole merge). The
    two dates are settled as one: both from the later change, the other pair for review."""
    import datetime as dt

    a, b = copies
    with a.write() as s:
        action = _actions(s)[0]
        action_id = action.id
        action.start_date, action.due_date = dt.date(2019, 3, 1), dt.date(2019, 6, 30)
    merge_copy(b, a.path)
    with a.write() as s:
        s.get(Action, action_id).start_date = dt.date(2019, 6, 1)
    time.sleep(0.01)
    with b.write() as s:
        s.get(Action, action_id).due_date = dt.date(2019, 4, 30)
    result = merge_copy(a, b.path)
    merge_copy(b, a.path)
    assert content(a.path) == content(b.path)
    with a.read() as s:
        row = s.get(Action, action_id)
        assert (row.start_date, row.due_date) == (dt.date(2019, 3, 1), dt.date(2019, 4, 30))  # B's, later
        fields = {json.loads(c.other_values).popitem()[0] for c in s.exec(select(Conflict))}
    assert result.tables["action"].conflicts == 2 and fields == {"start_date", "due_date"}


def test_status_and_progress_stay_in_agreement_through_a_merge(copies):
    """A marks an action done (progress 100 with it); B, not knowing, sets its progress to 40.
    Status and progress are settled together: the later change wins both."""
    from coopterm.vocabulary import ActionStatus

    a, b = copies
    with a.write() as s:
        action = next(x for x in _actions(s) if x.status != ActionStatus.DONE and x.progress != 40)
        action_id = action.id
        action.status, action.progress = ActionStatus.DONE, 100
    time.sleep(0.01)
    with b.write() as s:
        row = s.get(Action, action_id)
        status_before = row.status
        row.progress = 40
    merge_copy(a, b.path)
    with a.read() as s:
        row = s.get(Action, action_id)
        assert (row.status, row.progress) == (status_before, 40)  # B's pair: the later change
        kept = {json.loads(c.other_values).popitem() for c in s.exec(select(Conflict))}
    assert kept == {("status", "done"), ("progress", 100)}
