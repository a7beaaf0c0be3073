"""Small display widgets for the dashboard's sections.

Each one shows plain data handed to its ``update_data(...)`` method by the screen
(the values returned by the domain functions); none of them reads the database.
Section titles belong to the screen.  Colours come from the theme through
component classes, so they follow the user's theme.

- :class:`StatusCounts`: actions by status (``domain.activity.actions_by_status``);
- :class:`ChallengeProgress`: each défi with a mini bar of its mean progress
  (``domain.challenges.challenge_summaries``);
- :class:`MeetingsDue`: the meetings the governance rhythm expects, overdue ones in
  the error colour (``domain.cadence.meetings_due``);
- :class:`LatestChanges`: the latest changes to the plan (``domain.activity.latest_changes``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from coopterm import present
from coopterm.domain.numbering import challenge_code
from coopterm.i18n import t, tn
from coopterm.vocabulary import ActionStatus, MeetingKind

if TYPE_CHECKING:
    from coopterm.domain.activity import RecentChange
    from coopterm.domain.cadence import DueMeeting
    from coopterm.domain.challenges import ChallengeSummary
from coopterm.ui.literal import literal
from coopterm.ui.widgets.gauge import draw_bar

STATUS_WORDS: dict[ActionStatus, Callable[[], str]] = {
    ActionStatus.PLANNED: lambda: t("action_status.planned"),
    ActionStatus.IN_PROGRESS: lambda: t("action_status.in_progress"),
    ActionStatus.DONE: lambda: t("action_status.done"),
    ActionStatus.POSTPONED: lambda: t("action_status.postponed"),
    ActionStatus.ABANDONED: lambda: t("action_status.abandoned"),
}

CHANGE_KINDS: dict[str, Callable[[], str]] = {
    "action": lambda: t("change.kind.action"),
    "challenge": lambda: t("change.kind.challenge"),
    "meeting": lambda: t("change.kind.meeting"),
    "funding": lambda: t("change.kind.funding"),
    "new_project": lambda: t("change.kind.new_project"),
}


def _grid(*, padding: int = 1) -> Table:
    return Table(box=None, show_header=False, show_edge=False, expand=True, padding=(0, padding, 0, 0),
                 collapse_padding=True, pad_edge=False)


class _Panel(Widget):
    """A widget drawn from data it was given; as tall as its content.

    A panel told to :meth:`wait` shows an ellipsis until its data arrives: the dashboard
    drawn from the figures kept in the file has no data yet for some panels, and an
    empty panel would say "no change", "none overdue" as if it knew.
    """

    MUTED = ""
    """The component class of the panel's muted text."""
    waiting = False

    def style(self, name: str) -> Style:
        return self.get_component_rich_style(name)

    def wait(self) -> None:
        self.waiting = True
        self.refresh(layout=True)

    def _changed(self) -> None:
        self.waiting = False
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if self.waiting:
            return Text("\u2026", self.style(self.MUTED))
        return self.draw()

    def draw(self) -> RenderableType:
        raise NotImplementedError


class StatusCounts(_Panel):
    """How many actions are in each status, one short line each."""

    COMPONENT_CLASSES = {
        "statuscounts--count", "statuscounts--zero",
        "statuscounts--done", "statuscounts--postponed", "statuscounts--abandoned",
    }
    MUTED = "statuscounts--zero"
    DEFAULT_CSS = """
    StatusCounts {
        height: auto;
        width: 1fr;
        & > .statuscounts--count { text-style: bold; }
        & > .statuscounts--zero { color: $text-muted; }
        & > .statuscounts--done { color: $success; }
        & > .statuscounts--postponed { color: $warning; }
        & > .statuscounts--abandoned { color: $text-muted; }
    }
    """

    def __init__(self, counts: Mapping[ActionStatus, int] | None = None, **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # name, id, classes: Static's own keywords
        self.counts: dict[ActionStatus, int] = dict(counts or {})

    def update_data(self, counts: Mapping[ActionStatus, int]) -> None:
        self.counts = dict(counts)
        self._changed()

    def draw(self) -> RenderableType:
        grid = _grid(padding=2)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(ratio=1)
        for status in ActionStatus:
            n = self.counts.get(status, 0)
            word_style = Style()
            if status in (ActionStatus.DONE, ActionStatus.POSTPONED, ActionStatus.ABANDONED):
                word_style = self.style(f"statuscounts--{status.value}")
            if n == 0:
                word_style = self.style("statuscounts--zero")
            count_style = self.style("statuscounts--zero" if n == 0 else "statuscounts--count")
            grid.add_row(Text(STATUS_WORDS[status](), word_style), Text(present.number(n), count_style), "")
        return grid


def actions_word(count: int) -> str:
    """ "1 action", "12 actions" (and "0 action" in French, by its plural rules)."""
    return tn("panel.actions", count)


class ChallengeProgress(_Panel):
    """Each défi: code (T, 1, 2...), short title, a mini bar of mean progress, its number of actions."""

    BAR_WIDTH = 10
    NARROW_BAR_WIDTH = 6
    NARROW_BELOW = 50
    """Below this width the bars are shorter, to leave room for the titles."""
    COMPONENT_CLASSES = {"challengeprogress--code", "challengeprogress--bar", "challengeprogress--track",
                         "challengeprogress--muted"}
    MUTED = "challengeprogress--muted"
    DEFAULT_CSS = """
    ChallengeProgress {
        height: auto;
        width: 1fr;
        & > .challengeprogress--code { text-style: bold; color: $accent; }
        & > .challengeprogress--bar { color: $primary; }
        & > .challengeprogress--track { color: $foreground 15%; }
        & > .challengeprogress--muted { color: $text-muted; }
    }
    """

    def __init__(self, summaries: Sequence[ChallengeSummary] = (), **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # name, id, classes: Static's own keywords
        self.summaries: list[ChallengeSummary] = list(summaries)

    def update_data(self, summaries: Sequence[ChallengeSummary]) -> None:
        self.summaries = list(summaries)
        self._changed()

    def draw(self) -> RenderableType:
        muted = self.style("challengeprogress--muted")
        if not self.summaries:
            return Text(t("panel.no_challenges"), muted)
        grid = _grid()
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        bar_width = self.BAR_WIDTH if self.size.width >= self.NARROW_BELOW else self.NARROW_BAR_WIDTH
        grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        bar, track = self.style("challengeprogress--bar"), self.style("challengeprogress--track")
        for s in self.summaries:
            ratio = 0.0 if s.progress is None else s.progress / 100
            percent = present.percent(s.progress)  # "—" without progress
            grid.add_row(
                Text(challenge_code(s.challenge), self.style("challengeprogress--code")),
                literal(s.challenge.title),
                draw_bar(bar_width, ratio, bar, track),
                Text(percent, muted if s.progress is None else Style()),
                Text(actions_word(s.actions), muted),
            )
        return grid


def meeting_name(due: DueMeeting) -> str:
    """ "Monastir: technical group", "Coordination"."""
    if due.kind is MeetingKind.TECHNICAL_GROUP:
        return t("cadence.technical_group", town=due.town_name or "?")
    return t("cadence.coordination")


def due_text(due: DueMeeting) -> str:
    """ "10 days late" when overdue, else "due 2021-03-12"."""
    if due.overdue:
        return tn("cadence.late", due.days_late)
    return t("cadence.due_on", date=present.date(due.due))


class MeetingsDue(_Panel):
    """The meetings the governance rhythm expects next; overdue ones stand out."""

    COMPONENT_CLASSES = {"meetingsdue--overdue", "meetingsdue--ok", "meetingsdue--muted"}
    MUTED = "meetingsdue--muted"
    DEFAULT_CSS = """
    MeetingsDue {
        height: auto;
        width: 1fr;
        & > .meetingsdue--overdue { color: $error; text-style: bold; }
        & > .meetingsdue--ok { color: $success; }
        & > .meetingsdue--muted { color: $text-muted; }
    }
    """

    def __init__(self, due: Sequence[DueMeeting] = (), *, plan_over: bool = False, **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # name, id, classes: Static's own keywords
        self.due: list[DueMeeting] = list(due)
        self.plan_over = plan_over

    def update_data(self, due: Sequence[DueMeeting], *, plan_over: bool = False) -> None:
        """``due`` as :func:`domain.cadence.meetings_due` gives it; ``plan_over`` when the plan has ended."""
        self.due = list(due)
        self.plan_over = plan_over
        self._changed()

    @property
    def overdue(self) -> list[DueMeeting]:
        return [d for d in self.due if d.overdue]

    def draw(self) -> RenderableType:
        if self.plan_over:
            return Text(t("cadence.plan_over"), self.style("meetingsdue--muted"))
        grid = _grid(padding=2)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        if not self.overdue:
            grid.add_row(Text(t("cadence.none_overdue"), self.style("meetingsdue--ok")), "")
        overdue = self.style("meetingsdue--overdue")
        for due in self.due:
            style = overdue if due.overdue else Style()
            grid.add_row(Text(meeting_name(due), style), Text(due_text(due), style))
        return grid


def change_label(change: RecentChange) -> str:
    """How the reader knows a changed row: "2.1 Poursuivre…", "Coordination (20/02/2021)",
    "Région · 12 500 € (2020)"."""
    if change.kind == "meeting" and change.day is not None:
        day = present.date(change.day)
        return f"{change.name} ({day})" if change.name else day
    if change.kind == "funding" and change.amount_cents is not None:
        return f"{change.name} \u00b7 {present.money(change.amount_cents)} ({change.year})"
    return change.name


def change_time(change: RecentChange, *, with_time: bool) -> str:
    local = change.updated_at.astimezone()
    return present.date_time(local) if with_time else present.date(local.date())


class LatestChanges(_Panel):
    """The latest changes to the plan, newest first: when, what kind, which row."""

    WITH_TIME_FROM = 60
    """From this width on, the time of day is shown after the date."""
    COMPONENT_CLASSES = {"latestchanges--when", "latestchanges--kind", "latestchanges--deleted",
                         "latestchanges--muted"}
    MUTED = "latestchanges--muted"
    DEFAULT_CSS = """
    LatestChanges {
        height: auto;
        width: 1fr;
        & > .latestchanges--when { color: $text-muted; }
        & > .latestchanges--kind { color: $text-muted; text-style: italic; }
        & > .latestchanges--deleted { color: $text-muted; }
        & > .latestchanges--muted { color: $text-muted; }
    }
    """

    def __init__(self, changes: Sequence[RecentChange] = (), **kwargs: str | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # name, id, classes: Static's own keywords
        self.changes: list[RecentChange] = list(changes)

    def update_data(self, changes: Sequence[RecentChange]) -> None:
        self.changes = list(changes)
        self._changed()

    def draw(self) -> RenderableType:
        if not self.changes:
            return Text(t("change.none"), self.style("latestchanges--muted"))
        with_time = self.size.width >= self.WITH_TIME_FROM
        grid = _grid()
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis", max_width=14)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for change in self.changes:
            if change.deleted:
                label = Text(t("change.deleted", label=change_label(change)), self.style("latestchanges--deleted"))
            else:
                label = literal(change_label(change))
            grid.add_row(
                Text(change_time(change, with_time=with_time), self.style("latestchanges--when")),
                Text(CHANGE_KINDS[change.kind](), self.style("latestchanges--kind")),
                label,
            )
        return grid
