"""edition.toml: documented defaults, paths relative to the file, errors that name the file."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from edition.config import Config, load_config
from edition.errors import EditionError

ROOT = Path(__file__).resolve().parent.parent


def test_repository_file_matches_documented_defaults() -> None:
    # The committed edition.toml documents the defaults: loading it must change nothing
    # except what it explicitly sets differently (paths become absolute either way).
    from_file = load_config(ROOT / "edition.toml")
    defaults = Config()
    assert from_file.repository_identifier == defaults.repository_identifier
    assert from_file.page_size == defaults.page_size
    assert from_file.admin_emails == defaults.admin_emails
    assert from_file.site_title == defaults.site_title
    assert from_file.catalog == ROOT / "build" / "catalog.sqlite"
    assert from_file.site_dir == ROOT / "build" / "site"
    # Every key of the documented file is one the loader knows (no dead documentation).
    data = tomllib.loads((ROOT / "edition.toml").read_text(encoding="utf-8"))
    assert {"site", "oai", "paths"} <= set(data)


def test_every_value_of_the_repository_file_is_the_default_it_documents(tmp_path: Path) -> None:
    # edition.toml says "the value shown is the default used when the key (or this file)
    # is missing, unless its comment says otherwise": an empty file gives the same
    # configuration but for the one key whose comment says it is not the default.
    (tmp_path / "edition.toml").write_text("", encoding="utf-8")
    defaults = load_config(tmp_path / "edition.toml")
    committed = load_config(ROOT / "edition.toml")
    assert committed.record_id_prefix == "wilson" and defaults.record_id_prefix == "record"
    assert "not the\n# default" in (ROOT / "edition.toml").read_text(encoding="utf-8")
    paths = {name: ROOT / getattr(defaults, name).relative_to(tmp_path)
             for name in ("sources_dir", "tei_dir", "build_dir", "site_dir", "catalog")}
    assert committed == replace(defaults, **paths, record_id_prefix="wilson", source=committed.source)


def test_missing_default_file_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.source is None
    assert config.catalog == tmp_path / "build" / "catalog.sqlite"
    assert config.base_url.endswith("/")


def test_paths_are_relative_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "edition.toml"
    path.write_text('[paths]\ncatalog = "data/cat.sqlite"\n[site]\nbase_url = "https://x.example.org/ed"\n')
    monkeypatch.chdir(ROOT)
    config = load_config(path)
    assert config.catalog == tmp_path / "conf" / "data" / "cat.sqlite"
    assert config.base_url == "https://x.example.org/ed/"
    assert config.oai_identifier("wilson-1") == "oai:edition.example.org:wilson-1"


def test_single_admin_email_string_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "e.toml"
    path.write_text('[oai]\nadmin_email = "one@example.org"\n')
    assert load_config(path).admin_emails == ("one@example.org",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[oai]\npage_sise = 10\n", "unknown key oai.page_sise"),
        ("[nonsense]\n", "unknown section [nonsense]"),
        ('[oai]\nrepository_identifier = "nodot"\n', "at least one dot"),
        ("[oai]\npage_size = 0\n", "page_size must be between"),
        ('[oai]\npage_size = "ten"\n', "must be an integer"),
        ('[oai]\nadmin_email = "not-an-address"\n', "not an e-mail address"),
        # A final newline (a TOML escape) would break Identify's schema-checked values.
        ('[oai]\nrepository_identifier = "edition.example.org\\n"\n', "at least one dot"),
        ('[oai]\nadmin_email = "editor@example.org\\n"\n', "not an e-mail address"),
        ('[site]\nbase_url = "ftp://x"\n', "absolute http(s) URL"),
        ("[oai\n", "invalid TOML"),
        # An id opens with the prefix as written; it was rewritten without a word.
        ('[convert]\nrecord_id_prefix = "../evil"\n', "record_id_prefix: '../evil' is not a prefix an id can open with"),
        ('[convert]\nrecord_id_prefix = "Wilson"\n', "(such as 'wilson')"),
        ('[convert]\nrecord_id_prefix = ""\n', "record_id_prefix: '' is not a prefix"),
        ('[convert]\nrecord_id_prefix = "doc"\n', "ids the edition makes for documents without a record id"),
    ],
)
def test_bad_configuration_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(EditionError) as info:
        load_config(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        ('[site]\ntitle = "x"\nindex_page_size = = 3\n', "3:19", "invalid value"),
        # Where tomllib reads to the end: the place after the last character.
        ("[oai", "1:5", "expected ']' at the end of a table declaration"),
        ('[oai]\npage_size = 10\n\n[site]\ntitle = "An unclosed title\n', "5:27", "illegal character '\\n'"),
    ],
)
def test_broken_toml_is_given_as_file_line_and_column(tmp_path: Path, text: str, place: str, message: str) -> None:
    # The place was in words at the end ("(at line 3, column 19)"), unlike every other
    # message, which an editor's tools read as FILE:LINE:COLUMN.
    (tmp_path / "edition.toml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "edition", "convert", "--config", "edition.toml"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode != 0
    assert done.stderr == f"edition: error: edition.toml:{place}: invalid TOML: {message}\n"


def test_a_toml_that_is_not_utf8_is_given_as_file_line_and_column(tmp_path: Path) -> None:
    # Latin-1 "é" on the second line, after "é" written in UTF-8: the column counts characters.
    (tmp_path / "edition.toml").write_bytes('[site]\ntitle = "é'.encode("utf-8") + b'\xe9"\n')
    done = subprocess.run([sys.executable, "-m", "edition", "convert", "--config", "edition.toml"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode != 0
    assert done.stderr == "edition: error: edition.toml:2:11: not UTF-8 (byte 18: 0xe9)\n"


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EditionError, match="not found"):
        load_config(tmp_path / "absent.toml")
