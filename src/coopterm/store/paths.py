"""Where the user's database lives unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "COOPTERM_DB"


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("coopterm", appauthor=False) / "coopterm.db"


def resolve_database_path(cli_value: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """The file to open, and whether it is the default one (whose folder we may create).

    ``--db`` wins over ``COOPTERM_DB``, which wins over the user data directory.
    """
    if cli_value:
        return Path(cli_value).expanduser(), False
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser(), False
    return default_database_path(), True
