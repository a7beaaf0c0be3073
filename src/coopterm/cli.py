"""The command line: thin over the store and the domain layer.

Exit status: 0 done, 1 refused (bad file, existing target, nothing to show),
2 bad usage.  Errors are one sentence on stderr in the user's language.
Heavy modules (Textual, the ORM) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coopterm import __version__
from coopterm.errors import CooptermError
from coopterm.i18n import LANGUAGES, set_language, t, tn

if TYPE_CHECKING:
    from coopterm.domain.indicators import Amount

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
EXPORT_FORMATS = ("sqlite", "csv", "json", "xlsx")


_ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "optional arguments": "cli.argparse.options",  # its name before Python 3.10
    "show this help message and exit": "cli.argparse.help",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.expected_one",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "not allowed with argument %s": "cli.argparse.not_allowed",
    "one of the arguments %s is required": "cli.argparse.one_required",
}
"""argparse's own words (its gettext message ids) -> our catalogue: "usage:", "options:"…"""


def _argparse_gettext(message: str) -> str:
    """argparse's words in the user's language; a message we do not know stays as argparse wrote it."""
    key = _ARGPARSE_WORDS.get(message)
    return t(key) if key is not None else message


def _speak_argparse() -> None:
    """Make argparse speak the user's language.

    argparse asks ``gettext`` for each of its words when it writes them (the module's ``_``);
    coopterm's catalogue has them instead of a compiled ``.mo`` file, so that module-level
    name is pointed at :func:`_argparse_gettext` for this process (the command line's own).
    """
    setattr(argparse, "_", _argparse_gettext)  # noqa: B010  # the name argparse looks up when it writes


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 with usage, as we want
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, t("cli.error", message=message) + "\n")


def build_parser() -> argparse.ArgumentParser:
    from coopterm.store.paths import default_database_path

    _speak_argparse()
    db_help = t("cli.help.db", default=default_database_path())
    parser = _Parser(prog="coopterm", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"coopterm {__version__}",
                        help=t("cli.help.version"))
    parser.add_argument("--db", metavar="PATH", help=db_help)
    parser.add_argument("--demo", action="store_true", help=t("cli.help.demo"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_key: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(help_key), description=t(help_key))
        p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=t("cli.help.lang"))
        return p

    demo = command("demo", "cli.help.cmd_demo")
    demo.add_argument("path", metavar="PATH", help=t("cli.help.demo_path"))

    status = command("status", "cli.help.cmd_status")
    status.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    status.add_argument("--json", action="store_true", help=t("cli.help.json"))

    export = command("export", "cli.help.cmd_export")
    export.add_argument("path", metavar="PATH", help=t("cli.help.export_path"))
    export.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    export.add_argument("--force", action="store_true", help=t("cli.help.force"))
    export.add_argument("--format", choices=EXPORT_FORMATS, help=t("cli.help.export_format"))
    export.add_argument("--csv-dialect", choices=("semicolon", "comma"), help=t("cli.help.csv_dialect"))

    merge = command("import", "cli.help.cmd_import")
    merge.add_argument("copy", metavar="COPY", help=t("cli.help.import_copy"))
    merge.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    merge.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))

    report = command("report", "cli.help.cmd_report")
    report.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    report.add_argument("--format", choices=("md", "html"), help=t("cli.help.report_format"))
    report.add_argument("-o", "--output", metavar="PATH", help=t("cli.help.report_output"))
    report.add_argument("--force", action="store_true", help=t("cli.help.report_force"))

    restore = command("restore", "cli.help.cmd_restore")
    restore.add_argument("backup", metavar="BACKUP", help=t("cli.help.restore_backup"))
    restore.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)

    sync = command("sync", "cli.help.cmd_sync")
    sync.add_argument("url", metavar="URL", nargs="?", help=t("cli.help.sync_url"))
    sync.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    sync.add_argument("--json", action="store_true", help=t("cli.help.json"))

    hub = command("hub", "cli.help.cmd_hub")
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", parser_class=_Parser, required=True)
    for name in ("init", "upgrade"):
        action = hub_sub.add_parser(name, help=t(f"cli.help.hub_{name}"), description=t(f"cli.help.hub_{name}"))
        action.add_argument("url", metavar="URL", help=t("cli.help.hub_url"))
    granting = hub_sub.add_parser("grant", help=t("cli.help.hub_grant"), description=t("cli.help.hub_grant"))
    granting.add_argument("url", metavar="URL", help=t("cli.help.hub_url"))
    granting.add_argument("login", metavar="LOGIN", help=t("cli.help.hub_login"))
    granting.add_argument("role", metavar="ROLE", choices=("coordinator", "pilot", "observer"),
                          help=t("cli.help.hub_role"))
    granting.add_argument("--person", metavar="NAME", help=t("cli.help.hub_person"))
    granting.add_argument("--town", metavar="NAME", help=t("cli.help.hub_town"))

    history = command("history", "cli.help.cmd_history")
    history.add_argument("--since", metavar="DATE", type=_date_argument, help=t("cli.help.since"))
    history.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    return parser


def _date_argument(text: str) -> dt.date:
    """A day as 2021-06-14 or 14/06/2021."""
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(text.strip())
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(t("cli.bad_date", value=text))


def _open_existing(db_arg: str | None, *, read_only: bool = False, verify: bool = False):
    """Open the database a command works on; commands never create one by accident.

    ``read_only`` for the commands that only read: nothing is written to the file
    or its ``-wal`` (only an older file is brought up to date, after a backup).

    ``verify`` reads every page first (``quick_check``, about 1.6 s per gigabyte): only
    where data leaves or enters the file (export, import), so that a damaged page
    is not carried into a copy.  A command that shows figures reads only the pages
    its queries touch; SQLite refuses a damaged one there, said in plain words
    (``Database.read``), so ``status`` costs what it reads, not what the file weighs."""
    from coopterm.store import open_database, resolve_database_path

    path, _default = resolve_database_path(db_arg)
    if not path.exists() and not path.is_symlink():
        from coopterm.store.files import check_wal

        check_wal(path)  # a -wal without its database is said as such
        raise CooptermError("cli.no_database", path=path)
    db = open_database(path, create=False, read_only=read_only, verify=verify)
    _report_migration(db)
    return db


def _report_migration(db) -> None:
    if db.migrated_from:
        from coopterm.store.schema import HEAD

        print(t("cli.migrated", old=db.migrated_from, new=HEAD, backup=db.backup_path), file=sys.stderr)


def cmd_demo(args: argparse.Namespace) -> int:
    from coopterm.demo import create_demo_database

    path = create_demo_database(args.path)
    print(t("cli.demo_written", path=path))
    return EXIT_OK


def _json_number(value: Amount | None) -> float | int | None:
    """The value as the screen writes it: rounded half-up to one decimal (6.25 is
    6.3, exactly 58 is 58), a whole number as an integer (90, not 90.0).

    ``present.rounded`` is the one rounding rule; ``round`` on a float would round
    half to even on the binary value (6.25 to 6.2)."""
    if value is None:
        return None
    from coopterm.present import rounded

    tenths = rounded(value, 1)
    return int(tenths) if tenths == tenths.to_integral_value() else float(tenths)


def status_document(db) -> dict:
    """What ``status --json`` prints; the shape is a documented interface."""
    from coopterm.workspace import Workspace

    status = Workspace(db).plans.status(dt.date.today())
    if status is None:
        raise CooptermError("cli.no_plan", path=db.path)
    plan, counts, indicators = status.plan, status.counts, status.indicators
    return {
        "plan": {"title": plan.title, "start": plan.start_date.isoformat(), "end": plan.end_date.isoformat()},
        "counts": counts.as_dict(),
        "indicators": [
            {
                "key": ind.key,
                "label": ind.label,
                "value": _json_number(ind.value),
                "target": _json_number(ind.target),
                "unit": ind.unit,
                "status": ind.status.value,
            }
            for ind in indicators
        ],
    }


def cmd_status(args: argparse.Namespace) -> int:
    with _open_existing(getattr(args, "db", None), read_only=True) as db:
        doc = status_document(db)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_OK
    from coopterm.ui.console import print_status

    print_status(doc)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """The SQLite copy by default; csv, json or xlsx when asked, or when the name says so."""
    from coopterm.exports import export_tables, format_from_path
    from coopterm.i18n import language
    from coopterm.store import export_copy

    fmt = args.format or format_from_path(args.path) or "sqlite"
    if args.csv_dialect is not None and fmt != "csv":
        raise CooptermError("exports.csv_dialect_not_csv", format=fmt)
    with _open_existing(getattr(args, "db", None), read_only=True, verify=True) as db:
        if fmt == "sqlite":
            result = export_copy(db, args.path, force=args.force)
            print(t("cli.exported", path=result.path, size=result.size))
            return EXIT_OK
        tables = export_tables(db, args.path, fmt, force=args.force, lang=language(),
                               csv_dialect=args.csv_dialect)
    print(t("cli.exported_tables", path=tables.path, size=tables.size, format=fmt,
            tables=len(tables.rows), rows=sum(tables.rows.values())))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from coopterm.report import write_report

    with _open_existing(getattr(args, "db", None), read_only=True) as db:
        result = write_report(db, args.format, None, dt.date.today(), args.output, force=args.force)
    if isinstance(result, Path):
        print(t("cli.report_written", path=result))
    else:
        sys.stdout.write(result)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from coopterm.workspace import Workspace

    # A dry run changes nothing: the file is not read whole first (the copy still is).
    with _open_existing(getattr(args, "db", None), verify=not args.dry_run) as db:
        data = Workspace(db)
        result = data.merge(args.copy, dry_run=args.dry_run)
        open_conflicts = data.conflicts.count()
    if result.migrated_from:
        print(t("cli.import_migrated", old=result.migrated_from), file=sys.stderr)
    _print_merge(result, open_conflicts)
    return EXIT_OK


def _print_merge(result, open_conflicts: int) -> None:
    from coopterm.domain.history import table_label

    rows = [(name, c) for name, c in result.tables.items() if c.total()]
    if not rows and not result.history_added:
        print(t("cli.import_nothing", copy=result.copy))
        return
    head = [t("cli.import_col.table"), t("cli.import_col.added"), t("cli.import_col.changed"),
            t("cli.import_col.deleted"), t("cli.import_col.conflicts")]
    lines = [[table_label(name), str(c.added), str(c.changed), str(c.deleted), str(c.conflicts)]
             for name, c in rows]
    lines.append([t("cli.import_col.history"), str(result.history_added), "", "", ""])
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    for row in [head, *lines]:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    if result.dry_run:
        print(t("cli.import_dry_run", conflicts=len(result.conflicts)))
    else:
        print(t("cli.import_done", copy=result.copy, backup=result.backup, conflicts=open_conflicts))


def cmd_history(args: argparse.Namespace) -> int:
    from coopterm.domain.history import describe, history_since
    from coopterm.text import printable
    from coopterm.workspace import Workspace

    with _open_existing(getattr(args, "db", None), read_only=True) as db:
        entries = Workspace(db).read(history_since, args.since)
    if not entries:
        print(t("cli.history_empty"))
        return EXIT_OK
    for entry in entries:
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(printable(f"{when}  {entry.copy}  {describe(entry)}"))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Put a backup back in place of the database, keeping the current file aside."""
    from coopterm.store.paths import resolve_database_path
    from coopterm.store.restore import restore_backup

    path, _default = resolve_database_path(getattr(args, "db", None))
    kept = restore_backup(args.backup, path)
    if kept is None:
        print(t("cli.restored_new", backup=args.backup, path=path))
    else:
        print(t("cli.restored", backup=args.backup, path=path, kept=kept))
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app.  The database is opened by the app in the background, after its
    first frame; a file that is plainly not a coopterm database is refused here first,
    before the screen changes."""
    from coopterm.atomic import private_folder
    from coopterm.errors import DatabaseRefused
    from coopterm.store.files import check_coopterm_file
    from coopterm.store.paths import resolve_database_path

    if args.demo:
        with private_folder("demo") as folder:
            target = folder / "demo.db"

            def open_demo():
                from coopterm.demo import create_demo_database
                from coopterm.store import open_database

                return open_database(create_demo_database(target), create=False, verify=False)

            code = _run_app(open_demo, args.config)
        print(t("cli.demo_opened", path=target), file=sys.stderr)
        return code
    if args.db and args.db.strip().startswith(("postgresql:", "postgres:")):
        url = args.db.strip()

        def open_hub():  # online mode: the app works on the partnership's hub itself
            from coopterm.store.online import HubDatabase

            return HubDatabase(url)

        return _run_app(open_hub, args.config)
    path, is_default = resolve_database_path(args.db)
    if path.exists() or path.is_symlink():
        check_coopterm_file(path)
    elif not is_default and not path.parent.is_dir():
        raise DatabaseRefused("db.no_folder", path=path)
    else:
        from coopterm.store.files import check_wal

        check_wal(path)  # a -wal without its database: refused before the screen changes

    def open_file():
        from coopterm.store import open_database

        return open_database(path, make_parent=is_default, verify=False)

    return _run_app(open_file, args.config, path if path.exists() else None)


def _run_app(opener, config=None, path=None) -> int:
    from coopterm.ui.app import CooptermApp

    app = CooptermApp(opener=opener, config=config, path=path)
    app.run()
    if app.open_error is not None:
        raise app.open_error
    if app.db is not None:
        _report_migration(app.db)
    return app.return_code or EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    """Sync the file with the hub; what came, what went, what the hub refused."""
    from coopterm.workspace import Workspace

    with _open_existing(getattr(args, "db", None)) as db:
        data = Workspace(db)
        result = data.sync(args.url)
        open_conflicts = data.conflicts.count()
    if args.json:
        print(json.dumps({**result.as_dict(), "open_conflicts": open_conflicts}, ensure_ascii=False))
        return EXIT_OK
    print(t("cli.sync_done", hub=result.hub, received=tn("cli.sync_received", result.received),
            sent=tn("cli.sync_sent", result.sent), conflicts=tn("cli.sync_conflicts", open_conflicts)))
    if result.refused:
        print(tn("cli.sync_refused", len(result.refused)), file=sys.stderr)
    return EXIT_OK


def cmd_hub(args: argparse.Namespace) -> int:
    """The hub's administration: its schema and access rules, and who may do what."""
    from coopterm.store import hub

    if args.hub_command == "init":
        print(t("cli.hub_initialized", url=args.url, revision=hub.init_hub(args.url)))
    elif args.hub_command == "upgrade":
        before, after = hub.upgrade_hub(args.url)
        print(t("cli.hub_upgraded", url=args.url, before=before, after=after))
    else:
        member = hub.grant(args.url, args.login, args.role, person=args.person, town=args.town)
        print(t("cli.hub_granted", login=member.login, role=t(f"hub.role.{member.role}"),
                person=member.person or "—", town=member.town or "—"))
    return EXIT_OK


COMMANDS = {"demo": cmd_demo, "status": cmd_status, "export": cmd_export, "import": cmd_import,
            "history": cmd_history, "report": cmd_report, "restore": cmd_restore, "sync": cmd_sync,
            "hub": cmd_hub}


def _tolerant_output() -> None:
    """On a console that cannot encode every character (an old Windows code page,
    ``PYTHONIOENCODING=ascii``), a character it lacks prints as ``?`` instead of ending
    the command with a traceback: accents, the report's bars, ``␛`` shown for an escape."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    # The language must be known before the help texts are built:
    # --lang, else the config file, else the locale.
    from coopterm.config import load_config

    config = load_config()
    chosen = config.lang
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            chosen = argv[i + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            chosen = arg.split("=", 1)[1]
    set_language(chosen)
    args = build_parser().parse_args(argv)
    args.config = config
    if args.demo and args.command:
        build_parser().error(t("cli.demo_with_command", command=args.command))
    try:
        return COMMANDS.get(args.command, cmd_app)(args)
    except CooptermError as exc:
        print(t("cli.error", message=exc), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(t("cli.error", message=t("cli.interrupted")), file=sys.stderr)
        return 130
