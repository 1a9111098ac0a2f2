"""The README's command line and make targets, against the commands and the Makefile.

A newcomer reads the README's listing, not every `--help`: an option missing from it, or one it
names that a command no longer takes, is a wrong instruction.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from edition.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# An option as the listing writes it: `-j`, `--strict-tei-all` (not a word's hyphen).
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")


def listing() -> dict[str, str]:
    """Each line of the README's command-line block by its subcommand, without its comment."""
    block = re.search(r"## The command line\n\n```sh\n(.*?)```", README, re.S)
    assert block is not None, "README: no ```sh block under 'The command line'"
    lines: dict[str, str] = {}
    for line in block.group(1).splitlines():
        words = line.split("#", 1)[0].split()
        assert words[:1] == ["edition"], line
        lines[words[1]] = " ".join(words[2:])
    return lines


def commands() -> dict[str, click.Command]:
    ctx = click.Context(cli)
    found = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


def test_the_listing_names_every_subcommand_and_no_other() -> None:
    assert sorted(listing()) == sorted(commands())


@pytest.mark.parametrize("name", sorted(commands()))
def test_the_listing_gives_every_option_of_a_command_and_only_its_options(name: str) -> None:
    line = listing()[name]
    shown = set(OPTION.findall(line))
    options = [param for param in commands()[name].params if isinstance(param, click.Option)]
    accepted = {opt for param in options for opt in (*param.opts, *param.secondary_opts)}
    assert shown <= accepted, f"README names options `edition {name}` does not take: {sorted(shown - accepted)}"
    missing = [param.opts[-1] for param in options if not shown & set(param.opts)]
    assert not missing, f"README's `edition {name}` line lacks {missing}"


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_option_says_its_meaning_and_jobs_its_default(name: str) -> None:
    # The README: "Every command accepts --help, which gives each option's meaning and
    # default (`-j 0`, the default, is one worker per core ...)". validate's --format said
    # nothing, and its -j showed no default and took -3 as readily as 0.
    for param in commands()[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"`edition {name} {param.opts[-1]}` has no help"
            if "--jobs" in param.opts:
                assert param.show_default and isinstance(param.type, click.IntRange), f"`edition {name} --jobs`"


def test_every_make_target_the_readme_names_is_in_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = set(re.findall(r"`make\s+([a-z][a-z-]*)", README))
    assert named and named <= targets, sorted(named - targets)


def test_the_module_table_names_every_module() -> None:
    table = re.search(r"\| module \| job \|\n(.*?)\n\n", README, re.S)
    assert table is not None, "README: no module table"
    spans = re.findall(r"`((?:[a-z_]+/)?(?:[a-z_]+\.py)?)`", table.group(1))
    # `sources/decode.py` names the module and its package; `body/` the package.
    named = {part for span in spans for part in re.findall(r"[a-z_]+/|[a-z_]+\.py", span)}
    package = ROOT / "src" / "edition"
    modules = {p.name for p in package.glob("*.py") if not p.name.startswith("__")}
    modules |= {f"{p.name}/" for p in package.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    modules |= {p.name for p in (package / "sources").glob("*.py") if not p.name.startswith("__")}
    assert modules <= named, sorted(modules - named)


def test_the_counts_of_the_pruned_tei_all_schematron_are_the_schemas() -> None:
    # "holds only the 103 elements of edition.rng and their 32 attributes, so the 67 of
    # tei_all's 83 patterns ...": the README said 101 elements after the ODD had grown.
    from edition.refschemas import tei_all
    from edition.schematron import _S, extract_embedded, prune_to_vocabulary
    from edition.validate import EDITION_RNG, _read_rng, rng_vocabulary

    said = re.search(r"holds only the (\d+) elements of `edition.rng` and their (\d+) attributes, so the (\d+) of\s+"
                     r"tei_all's (\d+)\s+patterns", README)
    assert said is not None, "README: the sentence on tei_all's pruned Schematron moved"
    vocabulary = rng_vocabulary(EDITION_RNG)
    assert vocabulary is not None
    embedded = extract_embedded(_read_rng(tei_all()))
    _, dropped = prune_to_vocabulary(embedded, *vocabulary)
    patterns = sum(1 for _ in embedded.iter(f"{_S}pattern"))
    assert [int(n) for n in said.groups()] == [len(vocabulary[0]), len(vocabulary[1]), len(dropped), patterns]
