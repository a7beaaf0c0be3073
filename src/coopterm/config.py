"""The user's preferences (theme, language, key remaps), kept in the user config directory.

A small TOML file that people may edit by hand.  A file that cannot be read is
reported and left alone: coopterm then runs on defaults and never writes over it.
The ``[keys]`` table maps binding ids to keys (``"actions.filter" = "f"``); its
entries are checked by the app (``coopterm.ui.keys``), one by one, so one bad
entry never costs the others.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from coopterm.i18n import LANGUAGES

ENV_VAR = "COOPTERM_CONFIG"
KNOWN_KEYS = ("theme", "lang")


def default_config_path() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    from platformdirs import user_config_path

    return user_config_path("coopterm", appauthor=False) / "config.toml"


@dataclass(frozen=True)
class Config:
    theme: str | None = None
    lang: str | None = None
    path: Path = field(default_factory=default_config_path)
    keys: dict[str, object] = field(default_factory=dict)
    """The ``[keys]`` table: binding id -> key(s) as written (a string, or a list of strings)."""
    problem: str | None = None
    """Why the file could not be used, in plain words; ``None`` when it was fine or absent."""

    @property
    def writable(self) -> bool:
        return self.problem is None

    def with_changes(self, **changes: str | None) -> "Config":
        """This config with the settings named (``theme``, ``lang``) set to new values."""
        unknown = set(changes) - set(KNOWN_KEYS)
        if unknown:
            raise TypeError(f"not a setting: {', '.join(sorted(unknown))}")
        return replace(self, theme=changes.get("theme", self.theme), lang=changes.get("lang", self.lang))


def load_config(path: Path | None = None) -> Config:
    path = path or default_config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(path=path, problem=str(exc))
    theme = data.get("theme")
    lang = data.get("lang")
    if theme is not None and not isinstance(theme, str):
        return Config(path=path, problem="theme")
    if lang is not None and lang not in LANGUAGES:
        return Config(path=path, problem="lang")
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        return Config(path=path, problem="keys")
    return Config(theme=theme, lang=lang, path=path, keys=_flat(keys))


def _flat(table: dict, prefix: str = "") -> dict[str, object]:
    """``actions.filter = "f"`` written without quotes is a nested table in TOML: the same id."""
    flat: dict[str, object] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _toml_keys(value: object) -> str | None:
    """A ``[keys]`` value written back as TOML; ``None`` when it is not a key string or list."""
    if isinstance(value, str) and value.isprintable():
        return _toml_string(value)
    if isinstance(value, list) and all(isinstance(item, str) and item.isprintable() for item in value):
        return "[" + ", ".join(_toml_string(item) for item in value) + "]"
    return None


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def save_config(config: Config) -> bool:
    """Write the preferences atomically; returns False (and writes nothing) if the
    existing file could not be read, or holds a ``[keys]`` entry that could not be
    written back as it was, so a hand-edited file is never clobbered."""
    if not config.writable:
        return False
    lines = ["# coopterm preferences"]
    for key in KNOWN_KEYS:
        value = getattr(config, key)
        if value is not None:
            lines.append(f"{key} = {_toml_string(value)}")
    if config.keys:
        lines += ["", "[keys]"]
        for binding_id, keys in config.keys.items():
            written = _toml_keys(keys)
            if written is None or not binding_id.isprintable():
                return False
            lines.append(f"{_toml_string(binding_id)} = {written}")
    import tempfile

    config.path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config.", suffix=".toml", dir=config.path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, config.path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return True
