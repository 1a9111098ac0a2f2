"""``edition serve``: the built site and the OAI-PMH endpoint on one local address."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from edition.config import load_config
from edition.server import OAI_PATH, create_server


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one and prints it).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Configuration file [default: ./edition.toml if present].")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads answering requests.")
def serve(host: str, port: int, config_path: Path | None, threads: int) -> int:
    """Serve the built site and the OAI-PMH endpoint (at /oai) until interrupted.

    Needs the catalog that `edition build` writes; the site folder may be
    missing (its pages then answer 404). Exit status: 0 after Ctrl-C or
    SIGTERM, 1 when the catalog is missing or the address is busy.
    """
    config = load_config(config_path)
    if not config.catalog.is_file():
        click.echo(
            f"edition: error: no catalog at {config.catalog}; run 'edition build' first", err=True
        )
        return 1
    server = create_server(config, host, port, threads=threads)
    # SIGTERM (from a service manager or a test) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    if not config.site_dir.is_dir():
        click.echo(f"edition: warning: no site at {config.site_dir}; only {OAI_PATH} answers", err=True)
    click.echo(f"edition: serving {server.url} (OAI-PMH at {server.url}{OAI_PATH.lstrip('/')}); "
               "press Ctrl-C to stop", err=False)
    # The line above is how callers learn the port; make sure it is out before serving
    # (click.echo flushes the stream it wrote to; click 8.5 deprecates get_text_stream).
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
