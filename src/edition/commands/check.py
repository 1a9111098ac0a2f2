"""``edition check``: prove that the TEI files carry every word of their sources."""

from __future__ import annotations

from pathlib import Path

import click

from edition.commands.arguments import id_prefix_option, source_files
from edition.config import as_given, load_config
from edition.fidelity import LIMIT, iter_check_sources
from edition.runlock import build_lock


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--against", "against", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder of the TEI files to check [default: paths.tei of the configuration, tei/].")
@id_prefix_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file [default: ./edition.toml if present].")
@click.option("--limit", default=LIMIT, show_default=True, help="Most problems of one kind listed per document.")
@click.option("--full", is_flag=True, help="Check every source again, even those unchanged (with their TEI files) since the last check.")
@click.option("-q", "--quiet", is_flag=True, help="Report only the documents with losses, and the summary.")
def check(sources: tuple[Path, ...], against: Path | None, id_prefix: str | None, config_path: Path | None, limit: int, full: bool, quiet: bool) -> int:
    """Compare each export in SOURCES (files or folders; default: paths.sources of the
    configuration, seeds/) with its TEI file.

    Prints per document the word tokens of the source and how many the TEI
    carries in the right place and order, then every missing, reordered or
    added token with its source line. A source that did not change since the
    last check, nor did its TEI file, keeps its result (the manifest in the
    build folder); --full checks everything again. Exit status: 0 when nothing
    is lost, 1 when anything is, 2 for usage errors.
    """
    config = load_config(config_path)
    paths = source_files(sources or (as_given(config.sources_dir),))
    if paths is None:
        return 2
    against = against or as_given(config.tei_dir)
    if not against.is_dir():
        click.echo(f"edition: error: {against}: no such folder of TEI files", err=True)
        return 2
    from edition.executor import default_workers

    prefix = id_prefix if id_prefix is not None else config.record_id_prefix
    failed = total = matched = 0
    with build_lock(config.build_dir):  # its records are in the build folder
        # Each result is printed as it comes: an edition's results are never all held at once.
        results = iter_check_sources(paths, against, prefix, limit=limit, jobs=default_workers(),
                                     build_dir=None if full else config.build_dir, quiet=quiet)
        for result in results:
            if not (quiet and result.ok):
                for line in result.lines:
                    click.echo(line)
            if not result.ok:
                failed += 1
            total += result.source_tokens
            matched += result.matched_tokens
    percent = 100.0 * matched / total if total else 100.0
    click.echo(f"checked {len(paths)} sources: {len(paths) - failed} complete, {failed} with losses; {matched}/{total} tokens ({percent:.2f}%)")
    return 1 if failed else 0
