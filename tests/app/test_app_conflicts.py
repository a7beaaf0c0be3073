"""The conflict review in the app: one conflict of each kind, what the screen says about
each, what o is called and offers, and answering one field without touching the others."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from coopterm.domain.actions import delete_action
from coopterm.i18n import set_language
from coopterm.models import Action, Challenge, Conflict, Plan
from coopterm.ui.screens.confirm import ChoiceScreen
from coopterm.ui.screens.conflicts import (
    DONE,
    HINTS,
    QUESTIONS,
    STORIES,
    SUBJECTS,
    TAKE_LABELS,
    YES,
    ConflictsScreen,
)
from coopterm.ui.widgets.history_view import local_time
from tests.conflict_records import (
    OTHER_DEVICE,
    OTHER_REPLICA,
    OTHER_TITLE,
    OTHER_WHEN,
    actions_of,
    add_conflict,
    current_challenge,
    twin_action,
)
from tests.domain.test_conflicts_review import whole
from tests.helpers import SIZE, make_app, settle

NOTES_SINCE = "Noté après la fusion"


def one_of_each_kind(db) -> dict[str, object]:
    """An edit of a title, a deletion that won, a restored défi, two actions numbered alike
    and a restored plan (which can only be kept), found in that order."""
    import datetime as dt

    challenge = current_challenge(db)
    first, third = actions_of(db, challenge.id)[:2]
    with db.read() as s:
        elsewhere = s.exec(select(Challenge).where(Challenge.plan_id == challenge.plan_id,
                                                   Challenge.number == 3)).one()
    second = actions_of(db, elsewhere.id)[0]
    found = dt.datetime(2021, 6, 15, 9, 0, tzinfo=dt.timezone.utc)
    at = {name: found + dt.timedelta(minutes=i) for i, name in enumerate(
        ("edit", "deleted", "restored", "same_number", "plan"))}
    add_conflict(db, "edit", "action", first.id, {"title": first.title}, {"title": OTHER_TITLE}, found=at["edit"])
    with db.read() as s:
        edited = {**whole(s.get(Action, second.id)), "progress": 75}
    with db.write() as s:
        delete_action(s, second.id)
    add_conflict(db, "deleted", "action", second.id, {"deleted": True}, edited, found=at["deleted"])
    add_conflict(db, "restored", "challenge", challenge.id, {"deleted": False},
                 {"deleted": True, "children": [["action", third.id.hex]]}, found=at["restored"])
    twin = twin_action(db, challenge.id, first.number, "Forum des jeunes")
    add_conflict(db, "same_number", "action", twin, {"number": first.number},
                 {"number": first.number, "same_as": first.id.hex}, found=at["same_number"])
    with db.read() as s:
        plan = s.get(Plan, challenge.plan_id)
    add_conflict(db, "restored", "plan", plan.id, {"deleted": False},
                 {"deleted": True, "children": [["challenge", challenge.id.hex]]}, found=at["plan"])
    return {"challenge": challenge, "first": first, "second": second, "third": third, "twin": twin, "plan": plan}


@pytest.fixture
def each_kind(demo_db):
    return one_of_each_kind(demo_db)


def shown(screen) -> dict[str, str]:
    return {name: str(screen.query_one(f"#{name}").render()) for name in
            ("conflict-story", "conflict-versions", "conflicts-hint")}


def o_label(screen) -> str | None:
    """What the footer says for o; None when o is not offered."""
    for active in screen.active_bindings.values():
        if active.binding.action == "take_other":
            return active.binding.description if screen.check_action("take_other", ()) else None
    return None


async def open_review(pilot, app) -> ConflictsScreen:
    await settle(pilot, app)
    app.action_review_conflicts()
    await settle(pilot, app)
    assert isinstance(app.screen, ConflictsScreen)
    return app.screen


async def test_each_kind_says_what_happened_and_what_o_does(demo_db, each_kind, tmp_path):
    first, challenge = each_kind["first"], each_kind["challenge"]
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        assert str(screen.query_one("#conflicts-title").render()) == "Conflicts to review: 5"
        seen = []
        for _ in range(5):
            conflict = screen.current
            seen.append((conflict.kind, shown(screen), o_label(screen),
                         [(f.label, f.kept, f.other) for f in conflict.fields]))
            await pilot.press("down")
            await settle(pilot, app)
        edit, deleted, restored, same_number, plan = seen
        code = f"2.{first.number}"

        assert edit[1]["conflict-story"] == (
            f"Action {code} {first.title}: both copies changed Title without seeing each other's change. "
            "The plan holds one value; the other is kept here.")
        assert edit[1]["conflict-versions"].startswith("Version in the plan: ")
        assert " on this copy. " in edit[1]["conflict-versions"]  # the kept title was written here
        assert edit[1]["conflict-versions"].endswith(
            f"Other version: {local_time(OTHER_WHEN)} on {OTHER_DEVICE} (copy {OTHER_REPLICA.hex[:6]}).")
        assert "o takes the other value of this field; the other fields stay as they are" in edit[1]["conflicts-hint"]
        assert edit[2] == "Take the other value"
        assert edit[3] == [("Title", first.title, OTHER_TITLE)]

        assert deleted[0] == "deleted" and deleted[2] == "Bring it back"
        assert "one copy deleted it while the other changed it. The deletion stands" in deleted[1]["conflict-story"]
        assert deleted[3][0] == ("Deleted", "yes", "no") and deleted[3][1][0] == "Progress"

        third = each_kind["third"]
        assert restored[0] == "restored" and restored[2] == "Delete it again"
        assert restored[1]["conflict-story"] == (
            f"Challenge 2 {challenge.title}: one copy deleted it while the other added work under it: "
            f"Action 2.{third.number} {third.title}. The merge brought it back so that work is not lost.")

        highest = max(a.number for a in actions_of(demo_db, challenge.id))
        assert same_number[0] == "same_number" and same_number[2] == "Renumber"
        assert same_number[1]["conflict-story"] == (
            f"Two copies each created an action numbered {code} in the same challenge: "
            f"{code} Forum des jeunes and {code} {first.title}.")
        assert same_number[3] == [("Number", code, f"2.{highest + 1}")]
        assert f"o gives {code} Forum des jeunes the next free number, 2.{highest + 1}" in \
            same_number[1]["conflicts-hint"]

        assert plan[0] == "restored" and plan[2] is None  # the current plan is not deleted: o is not offered
        assert plan[1]["conflicts-hint"].startswith("k keeps it with the work under it")
        await pilot.press("o")
        await settle(pilot, app)
        assert app.screen is screen  # no question: nothing to take


async def test_taking_the_other_value_of_one_field_leaves_the_others_and_renumber_renumbers(
        demo_db, each_kind, tmp_path):
    first, twin = each_kind["first"], each_kind["twin"]
    with demo_db.write() as s:  # changed here after the merge: must survive taking the title
        s.get(Action, first.id).notes = NOTES_SINCE
    with demo_db.read() as s:
        before = whole(s.get(Action, first.id))
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        question = str(app.screen.query_one("#question").render())
        assert question.startswith(f"Take the other value of Title for Action 2.{first.number} {first.title} "
                                   f"({OTHER_TITLE})?")
        await pilot.press("y")
        await settle(pilot, app)
        assert app.screen is screen
        with demo_db.read() as s:
            assert whole(s.get(Action, first.id)) == {**before, "title": OTHER_TITLE}
        assert str(screen.query_one("#conflicts-title").render()) == "Conflicts to review: 4"

        # The same-number conflict is third now: renumber it.
        await pilot.press("down", "down")
        await settle(pilot, app)
        assert screen.current.kind == "same_number"
        expected = screen.current.renumber_to
        await pilot.press("o")
        await settle(pilot, app)
        assert str(app.screen.query_one("#yes").label) == "Renumber"
        await pilot.press("y")
        await settle(pilot, app)
        with demo_db.read() as s:
            assert f"2.{s.get(Action, twin).number}" == expected
            assert s.get(Action, first.id).number == first.number
            resolutions = {c.kind: c.resolution for c in s.exec(select(Conflict).where(
                col(Conflict.table_name) == "action"))}
        assert resolutions == {"edit": "took_other", "deleted": None, "same_number": "took_other"}
        assert any(f"is renumbered {expected}" in n.message for n in app._notifications)


async def test_deleting_a_restored_defi_again_asks_first_and_takes_its_actions(demo_db, each_kind, tmp_path):
    challenge = each_kind["challenge"]
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        await pilot.press("down", "down")
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert str(app.screen.query_one("#question").render()).startswith(
            f"Delete Challenge 2 {challenge.title} again, with what depends on it (Action 2.")
        await pilot.press("y")
        await settle(pilot, app)
        assert app.screen is screen
    with demo_db.read() as s:
        assert s.get(Challenge, challenge.id).deleted_at is not None
    assert actions_of(demo_db, challenge.id) == []


async def test_the_review_speaks_french(demo_db, each_kind, tmp_path):
    set_language("fr")
    first = each_kind["first"]
    app = make_app(demo_db, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        assert shown(screen)["conflict-story"].startswith(
            f"Fiche-action 2.{first.number} {first.title} : les deux copies ont modifié Titre sans voir")
        assert o_label(screen) == "Prendre l'autre valeur"
        await pilot.press("down", "down", "down")
        await settle(pilot, app)
        assert o_label(screen) == "Renuméroter"
        assert shown(screen)["conflict-story"].startswith("Deux copies ont chacune créé une action numérotée")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_of_every_kind_is_translated(lang):
    from coopterm.i18n import catalog

    keys = {*TAKE_LABELS.values(), *STORIES.values(), *HINTS.values(), *QUESTIONS.values(), *YES.values(),
            *DONE.values(), *SUBJECTS.values()}
    assert sorted(k for k in keys if not catalog(lang).get(k)) == []
