"""The ``edition`` command line.

Subcommands live in ``edition.commands.<name>`` and are imported only when
invoked: ``edition convert`` must not pay for compiling XSLT, and a no-op
``edition build`` must start fast.
"""

from __future__ import annotations

import importlib
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
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("edition: interrupted", err=True)
        sys.exit(130)
    except EditionError as exc:
        click.echo(f"edition: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("edition: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"edition: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                err=True,
            )
        sys.exit(70)
    sys.exit(status if isinstance(status, int) else 0)
