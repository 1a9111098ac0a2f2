"""The ``edition`` command line.

Subcommands live in ``edition.commands.<name>`` and are imported only when
invoked: ``edition convert`` must not pay for compiling XSLT, and a no-op
``edition build`` must start fast.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import click

from edition import __version__
from edition.errors import EditionError

# name -> "module:attribute"; add a line here to add a subcommand.
COMMANDS: dict[str, str] = {
    "convert": "edition.commands.convert:convert",
    "check": "edition.commands.check:check",
    "serve": "edition.commands.serve:serve",
    "build": "edition.commands.build:build",
    "validate": "edition.commands.validate:validate",
    "bench": "edition.commands.bench:bench",
    "make": "edition.commands.make:make",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="edition")
@click.option("--debug", is_flag=True, help="Show full tracebacks for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build a TEI digital edition from archival document exports."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Entry point: no traceback reaches the user unless --debug is given."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        # Commands return their exit status; click hands it back in this mode.
        status = cli.main(args=args, prog_name="edition", standalone_mode=False)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the last line of defence for users
        sys.exit(failure_status(exc, debug))
    sys.exit(status if isinstance(status, int) else 0)


def failure_status(exc: BaseException, debug: bool) -> int:
    """Report an exception that ended a command as `edition` reports it; its exit status.

    Shared by :func:`main` and by ``edition make``, whose steps end the same way.
    """
    if isinstance(exc, click.exceptions.Exit):
        return exc.exit_code
    if isinstance(exc, click.ClickException):
        exc.show()
        return exc.exit_code
    if isinstance(exc, (click.exceptions.Abort, KeyboardInterrupt)):
        click.echo("edition: interrupted", err=True)
        return 130
    if isinstance(exc, EditionError):
        click.echo(f"edition: error: {exc}", err=True)
        return 1
    if isinstance(exc, OSError) and exc.filename is not None:
        # The system refused a file (a read-only or full disk, no permission, a file
        # where a folder must be): the user's to fix, not a bug of edition, so it is
        # named like any bad input, with the file (the destination of a rename).
        where = exc.filename2 if exc.filename2 is not None else exc.filename
        click.echo(f"edition: error: {os.fsdecode(where)}: {exc.strerror or exc}", err=True)
        return 1
    if debug:
        traceback.print_exception(exc)
    else:
        click.echo(f"edition: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)", err=True)
    return 70
