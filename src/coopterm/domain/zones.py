"""The time zone a meeting is shown and typed in, and the conversions to and from UTC.

Meeting times are stored in UTC (one reference for the file that travels between
laptops in several countries).  People read and type them in local time, so each
plan names an IANA zone (``Europe/Paris``) and each town may name its own
(``Indian/Antananarivo``; empty: the plan's).  The rule, kept here only:

- a meeting held in a town is shown in that town's zone, or the plan's when the
  town names none;
- a remote meeting, or one with no town, is shown in the plan's zone.

Summer time is ``zoneinfo``'s: 14:00 in Chinon is 12:00 UTC in July, 13:00 in
January.  A wall-clock time that happens twice (the autumn hour) is read as its
first occurrence, and one that never happens (the spring hour) as ``zoneinfo``
reads it (``fold=0``: an hour later once converted), so a typed time is always
accepted.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from coopterm.domain.validation import refuse
from coopterm.i18n import t

UTC_ZONE = "UTC"
MAX_LENGTH = 64


@cache
def zone_info(name: str) -> ZoneInfo:
    """The zone ``name`` (already checked by :func:`check_zone`); UTC for a name this
    machine does not know (a file made on a laptop with a newer zone database)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(UTC_ZONE)


def known_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this machine knows ("Europe/Paris"; not "CET+1", not a path)."""
    if not name or len(name) > MAX_LENGTH or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_zone(value: object, field: str, *, optional: bool = False) -> str:
    """A typed zone name, spaces around it dropped; refused beside ``field`` when unknown
    (or blank, unless ``optional``: then "" stands for the plan's zone)."""
    name = "" if value is None else str(value).strip()
    if not name:
        if optional:
            return ""
        raise refuse(field, t("form.error.zone_required"))
    if not known_zone(name):
        # one spelling of a known zone ("europe/paris") is taken as that zone
        spelled = {z.casefold(): z for z in zone_names()}.get(name.casefold())
        if spelled is None:
            raise refuse(field, t("form.error.zone_unknown", zone=name))
        name = spelled
    return name


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (for completion in the forms)."""
    return tuple(sorted(available_timezones()))


def local_zone_name() -> str:
    """The IANA name of this machine's zone, to start a new plan with; "UTC" when it
    cannot be found (``TZ``, ``/etc/timezone``, then where ``/etc/localtime`` points)."""
    candidates: list[str] = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        target = Path("/etc/localtime").resolve().as_posix()
    except OSError:
        target = ""
    if "/zoneinfo/" in target:
        candidates.append(target.split("/zoneinfo/", 1)[1])
    found = next((name for name in candidates if "/" in name and known_zone(name)), UTC_ZONE)
    return UTC_ZONE if found in ("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu") else found


def meeting_zone(plan_zone: str, town_zone: str | None, remote: bool) -> str:
    """The zone a meeting is shown and typed in: its town's, else the plan's (see the module)."""
    if not remote and town_zone:
        return town_zone
    return plan_zone or UTC_ZONE


def to_local(starts_at: dt.datetime, zone: str) -> dt.datetime:
    """A stored time (UTC; a naive one is read as UTC) in ``zone``."""
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=dt.timezone.utc)
    return starts_at.astimezone(zone_info(zone))


def to_utc(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """The UTC time of ``day`` at ``time`` on the clocks of ``zone``."""
    return dt.datetime.combine(day, time, tzinfo=zone_info(zone)).astimezone(dt.timezone.utc)


def later_local(starts_at: dt.datetime, zone: str, weeks: int) -> dt.datetime:
    """``weeks`` later at the same wall-clock time in ``zone`` (a series keeps its 14:00
    across the change to summer time), in UTC."""
    local = to_local(starts_at, zone)
    return to_utc(local.date() + dt.timedelta(weeks=weeks), local.time().replace(tzinfo=None), zone)
