"""A real terminal for the benchmark: processes run in tmux, timed the way a person meets them.

A person starts a program and waits until what they came for is on the screen; they
press a key and wait again.  So each measurement here starts a real process in a tmux
pane (120 x 40 by default, no status line), reads the pane with ``capture-pane`` every
10 ms, and stops the clock when the text (or a regular expression) it waits for is
there.  Nothing inside the program is hooked: what is measured is what reached the
terminal, Python's start-up, imports and the terminal's own drawing included.

Every session lives on a tmux server of its own (its socket in a temporary folder),
so the benchmark never touches anyone's tmux, and :meth:`TmuxServer.close` ends it and
removes the folder whatever happened.  A wait that runs out raises :class:`ScreenTimeout` with the last
screen in its message, so a changed label shows up as a readable failure, not a hang.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

POLL = 0.01
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
"""No-break and thin spaces (Babel puts them in numbers and before "%") read as spaces,
so a pattern can be written with plain ones."""

TMUX_CONF = """\
set -s exit-empty off
set -g status off
set -g remain-on-exit on
set -g escape-time 0
set -g history-limit 0
"""


class ScreenTimeout(RuntimeError):
    """The text waited for never came; the message holds the last screen."""


def normalised(text: str) -> str:
    return text.translate(SPACES)


Pattern = str | re.Pattern[str]


def _matches(screen: str, pattern: Pattern) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.search(screen) is not None
    return normalised(pattern) in screen


def _describe(pattern: Pattern) -> str:
    return f"/{pattern.pattern}/" if isinstance(pattern, re.Pattern) else repr(pattern)


class TmuxServer:
    """One private tmux server (its own socket and configuration) for a whole benchmark run.

    ``env`` is the environment of every process started in it: the server takes the
    environment of the command that starts it, so it is given to every tmux call.
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="coopterm-tmux-"))
        self.conf = self.folder / "tmux.conf"
        self.conf.write_text(TMUX_CONF, encoding="utf-8")
        self.socket = self.folder / "socket"
        self.env = dict(os.environ if env is None else env)
        self.env.pop("TMUX", None)  # started from inside tmux: still a server of our own
        self.count = 0

    def tmux(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-S", str(self.socket), "-f", str(self.conf), *args],
                             capture_output=True, text=True, env=self.env, timeout=30)
        if check and out.returncode:
            raise RuntimeError(f"tmux {' '.join(args[:3])}…: {out.stderr.strip()}")
        return out.stdout

    def session(self, argv: Sequence[str], width: int = 120, height: int = 40) -> Terminal:
        self.count += 1
        return Terminal(self, f"s{self.count}", list(argv), width, height)

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TmuxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Terminal:
    """One program in one tmux session; a context manager that always kills the session."""

    server: TmuxServer
    name: str
    argv: list[str]
    width: int
    height: int
    started: float = 0.0

    def start(self) -> float:
        """Start the program; returns the clock reading taken just before (the launch)."""
        self.started = time.perf_counter()
        # several arguments after the options: tmux runs the program itself, no shell between
        self.server.tmux("new-session", "-d", "-s", self.name, "-x", str(self.width), "-y", str(self.height),
                         *self.argv)
        return self.started

    def __enter__(self) -> Terminal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.server.tmux("kill-session", "-t", self.name, check=False)

    # --- reading the screen -------------------------------------------------------------

    def screen(self) -> str:
        return normalised(self.server.tmux("capture-pane", "-p", "-t", self.name))

    def dead(self) -> bool:
        return self.server.tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def wait(self, *patterns: Pattern, gone: Sequence[Pattern] = (), timeout: float = 60.0,
             since: float | None = None) -> float:
        """Seconds from ``since`` (the launch by default) until every pattern is on the
        screen and none of ``gone`` is; the screen is read every 10 ms."""
        origin = self.started if since is None else since
        limit = time.perf_counter() + timeout
        while True:
            screen = self.screen()
            now = time.perf_counter()
            if all(_matches(screen, p) for p in patterns) and not any(_matches(screen, p) for p in gone):
                return now - origin
            if now > limit or self.dead():
                why = "the program ended" if self.dead() else f"nothing after {timeout:.0f} s"
                wanted = ", ".join(_describe(p) for p in patterns)
                unwanted = ", ".join(_describe(p) for p in gone)
                raise ScreenTimeout(
                    f"{why}: waited for {wanted}" + (f" without {unwanted}" if unwanted else "")
                    + f" in `{' '.join(self.argv)}`; last screen:\n{screen}")
            time.sleep(POLL)

    def find(self, pattern: re.Pattern[str]) -> re.Match[str]:
        """The pattern's match on the screen now (for figures read off the screen)."""
        screen = self.screen()
        match = pattern.search(screen)
        if match is None:
            raise ScreenTimeout(f"{_describe(pattern)} is not on the screen:\n{screen}")
        return match

    # --- keys ------------------------------------------------------------------------------

    def press(self, *keys: str) -> float:
        """Send tmux key names (``3``, ``End``, ``Escape``, ``C-s``); returns the clock reading
        taken just before, the moment the person pressed."""
        t0 = time.perf_counter()
        self.server.tmux("send-keys", "-t", self.name, *keys)
        return t0

    def type(self, text: str) -> float:
        """Type ``text`` literally, every character as a key."""
        t0 = time.perf_counter()
        self.server.tmux("send-keys", "-t", self.name, "-l", text)
        return t0

    def timed(self, keys: Sequence[str], *patterns: Pattern, gone: Sequence[Pattern] = (),
              timeout: float = 60.0) -> float:
        """Seconds from pressing ``keys`` until the patterns are on the screen (and ``gone`` not)."""
        return self.wait(*patterns, gone=gone, timeout=timeout, since=self.press(*keys))

    # --- the process ----------------------------------------------------------------------

    def pid(self) -> int:
        """The program's process: the pane's, or its child when a shell sits between."""
        pid = int(self.server.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        if comm in {"sh", "bash", "dash", "zsh"}:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if children:
                return int(children[0])
        return pid

    def peak_mb(self) -> float:
        """VmHWM of the program: the most resident memory it ever had, in MB (10^6 bytes)."""
        for line in Path(f"/proc/{self.pid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
        raise RuntimeError("no VmHWM in /proc (not Linux?)")
