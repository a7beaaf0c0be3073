"""Three laptops and one hub, edits everywhere, syncs in any order, clocks skewed by years:
every laptop ends with the same plan and the same conflicts, a second round changes nothing,
and what the merge's own properties promise (no orphans, one row per natural key) holds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coopterm.store import export_copy, open_database
from coopterm.store.hub import init_hub
from coopterm.store.sync import sync
from tests.store.merging import orphans
from tests.store.test_merge import content
from tests.store.test_merge_properties import YEAR_MS, apply, clock, doubled_natural_keys, template  # noqa: F401

KINDS = ["edit", "edit", "progress", "notes", "dates", "delete", "create", "link", "pilot", "drop_challenge",
         "target", "sync", "sync"]
steps = st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(KINDS), st.integers(0, 5),
                           st.text(alphabet="abcdéç ✓", min_size=1, max_size=6).filter(str.strip)), max_size=10)
skews = st.tuples(*(st.integers(-2 * YEAR_MS, 2 * YEAR_MS) for _ in range(3)))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(steps=[("a", "edit", 0, "x"), ("b", "edit", 0, "y"), ("c", "delete", 0, "-")], skew=(0, YEAR_MS, -YEAR_MS))
@example(steps=[("a", "drop_challenge", 0, "-"), ("b", "create", 0, "née"), ("c", "link", 1, "-")],
         skew=(YEAR_MS, 0, 0))
@given(steps=steps, skew=skews)
def test_every_laptop_converges_whatever_the_order(postgres_server, template, steps, skew):  # noqa: F811
    url = postgres_server.libpq_url(postgres_server.new_database())
    init_hub(url)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with open_database(template) as base:
            export_copy(base, folder / "a.db")
        laptops = {"a": open_database(folder / "a.db"), "b": open_database(folder / "b.db"),
                   "c": open_database(folder / "c.db")}
        offsets = dict(zip("abc", skew))
        try:
            for name in "abc":
                with clock(offsets[name]):
                    sync(laptops[name], url)
            for name, kind, index, text in steps:
                with clock(offsets[name]):
                    if kind == "sync":
                        sync(laptops[name])
                    else:
                        apply(laptops[name], kind, index, text)
            for name in "abcab":  # the first round sends everything, the second brings it all back
                with clock(offsets[name]):
                    sync(laptops[name])
            contents = [content(db.path) for db in laptops.values()]
            assert contents[0] == contents[1] == contents[2]
            for name in "abc":
                with clock(offsets[name]):
                    again = sync(laptops[name])
                assert (again.sent, again.received) == (0, 0)
            assert orphans(laptops["a"].path) == []
            assert doubled_natural_keys(laptops["a"].path) == []
        finally:
            for db in laptops.values():
                db.close()
