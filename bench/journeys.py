"""What a person does in coopterm, timed in a real terminal (terminal.py), for run.py.

Every session is a fresh coopterm process in French (the texts waited for are the
French screen's), in a 120 x 40 tmux pane, with ``TZ=UTC``.  Each one first waits
for the dashboard's first gauge to show the figure the plan really has (computed
before by run.py: an empty dashboard does not count as started), then:

- ``first_visit``: presses a screen's digit and waits for that screen's rows;
- ``journey``: the actions screen, first visit, then ``End`` (the last action's row),
  another screen and back (a later visit), the town quick filter (``T``, a town's
  name, ``Enter``: the summary with its count and rows), one keystroke in the ``/``
  filter that narrows the rows, and ``ctrl+s`` in a new-action form until the
  dashboard (``1`` as soon as the form has closed) counts the new action (and, on
  the way, until the form has closed); then the process's peak memory (VmHWM).

Each screen is recognised by a text only its painted rows have (:data:`ROWS`), never
by a title or a header drawn before the rows.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from terminal import Pattern, Terminal, TmuxServer

ROW = re.compile(r"^\S+ +Fiche-action \d+ coopération", re.M)
"""A row of the actions table (rows start at the left edge; the detail pane is indented)."""

ROWS: dict[int, tuple[Pattern, ...]] = {
    2: (re.compile(r"^ ?T +Défi 0 +\d", re.M),),  # on the dashboard the défi is followed by its gauge
    3: (ROW,),
    4: (re.compile(r"^Pilote \d+ +(Katowice|Monastir|Sierre|Tamatave|Saint-Étienne)", re.M),),
    5: (re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d UTC +\S.* Réunion \d+ *$", re.M),),
    # the synthetic plans hold no funding: the empty list's words and the computed total
    6: ("Aucun financement enregistré", re.compile(r"Total : 0 €")),
    7: (re.compile(r"^ ?● +\S.*\d\d/\d\d/\d{4} → \d\d/\d\d/\d{4}", re.M),),
}
FORM = "Nouvelle fiche-action"
NUMBER = r"(\d{1,3}(?: \d{3})*)(?!\d)"
PLANNED = re.compile(r"^ prévue +" + NUMBER, re.M)
CHALLENGE_0 = re.compile(r"^ T Défi 0 .*? " + NUMBER + " actions", re.M)
TOWN = "Sierre"


def count(text: str) -> int:
    return int(text.replace(" ", ""))


def grouped(n: int) -> str:
    """``n`` as the French screen writes a count once its spaces are read as plain ones."""
    return f"{n:,}".replace(",", " ")


@dataclass
class Coopterm:
    """How to start coopterm on the plan, and the figure its first gauge shows."""

    argv: list[str]
    gauge: Pattern

    def start(self, server: TmuxServer) -> tuple[Terminal, float]:
        term = server.session(self.argv)
        term.start()
        try:
            return term, term.wait(self.gauge)
        except BaseException:
            term.close()
            raise


def quit_app(term: Terminal) -> None:
    """``q``, and wait for the process to end, so that the next start does not share the CPU with it."""
    try:
        term.press("q")
        end = time.perf_counter() + 30
        while not term.dead() and time.perf_counter() < end:
            time.sleep(0.01)
    finally:
        term.close()


def bare_start(server: TmuxServer, argv: list[str], first_line: str) -> float:
    with server.session(argv) as term:
        return term.wait(first_line)


def start_only(server: TmuxServer, app: Coopterm) -> float:
    term, started = app.start(server)
    quit_app(term)
    return started


def first_visit(server: TmuxServer, app: Coopterm, digit: int) -> tuple[float, float]:
    """(launch → gauges, digit → the screen's rows), in seconds, in one fresh process."""
    term, started = app.start(server)
    try:
        return started, term.timed([str(digit)], *ROWS[digit])
    finally:
        quit_app(term)


def journey(server: TmuxServer, app: Coopterm, last_action: int, run: int) -> dict[str, float]:
    """The actions screen under a person's hands; seconds per step, peak memory in MB."""
    term, started = app.start(server)
    out = {"start": started}
    try:
        term.wait(PLANNED, CHALLENGE_0)  # the panels fill with the live data, after the kept gauges
        planned = count(term.find(PLANNED).group(1))
        in_challenge = count(term.find(CHALLENGE_0).group(1))
        out["visit3"] = term.timed(["3"], ROW)
        last = re.compile(rf"^\S+ +Fiche-action {last_action} coopération", re.M)
        out["end"] = term.timed(["End"], last)
        term.press("2")
        term.wait(*ROWS[2], gone=[ROW])
        out["later"] = term.timed(["3"], ROW)

        term.press("T")
        term.wait("Tapez pour filtrer")
        term.type(TOWN)
        term.wait(f"( ) {TOWN}", gone=["( ) Katowice" if TOWN != "Katowice" else "( ) Monastir"])
        summary = re.compile(rf"Filtre : ville {TOWN} — [\d ]+ fiches")
        out["town"] = term.timed(["Enter"], summary, ROW, gone=["Tapez pour filtrer"])
        term.press("Escape")
        term.wait(ROW, gone=["Filtre :"])
        term.press("Home")  # back to the first rows, where the filter's first rows show
        term.wait(re.compile(r"^\S+ +Fiche-action 0 coopération", re.M))

        term.press("/")
        term.wait("Filtrer : titre")
        term.type("n 12")
        term.wait("« n 12 »", re.compile(r"^\S+ +Fiche-action 12 coopération", re.M))
        out["keystroke"] = term.timed(
            ["3"], "« n 123 »", re.compile(r"^\S+ +Fiche-action 123\d* coopération", re.M),
            gone=[re.compile(r"^\S+ +Fiche-action 12 coopération", re.M)])
        term.press("Escape")
        term.wait(ROW, gone=["Filtre :"])

        term.press("n")
        term.wait(FORM)
        title = f"Action du banc {run}"
        term.type(title)
        term.wait(title)
        saved = term.press("C-s")
        out["form_closed"] = term.wait(gone=[FORM], since=saved)
        term.press("1")
        out["save"] = term.wait(
            re.compile(rf"^ prévue +{grouped(planned + 1)}(?!\d)", re.M),
            re.compile(rf"^ T Défi 0 .*? {grouped(in_challenge + 1)} actions", re.M), since=saved)
        out["peak_mb"] = term.peak_mb()
        return out
    finally:
        quit_app(term)
