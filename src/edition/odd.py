"""Derive ``schema/edition.rng`` from ``schema/edition.odd`` (with ``schema/odd2rng.xsl``).

``python -m edition.odd`` rewrites the committed RNG; ``make schema-rng`` runs it. The tests
derive it again and fail when the committed file differs, so the ODD's closed value lists and
the RNG cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from edition.errors import EditionError
from edition.fsutil import atomic_write
from edition.locations import data_dir

SCHEMA_DIR = data_dir("schema")
ODD = SCHEMA_DIR / "edition.odd"
ODD2RNG = SCHEMA_DIR / "odd2rng.xsl"
RNG = SCHEMA_DIR / "edition.rng"


def derive_rng(odd: Path = ODD, stylesheet: Path = ODD2RNG) -> bytes:
    """The RELAX NG (UTF-8 bytes, final newline) that the ODD defines."""
    from saxonche import PySaxonApiError

    from edition import saxon

    with saxon.processor() as proc:
        xslt = proc.new_xslt30_processor()
        try:
            exe = xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
        except PySaxonApiError as exc:
            raise EditionError(f"cannot compile {stylesheet.name}: {exc}", stylesheet) from exc
        exe.set_save_xsl_message(True)  # odd2rng explains refusals with xsl:message
        try:
            out = exe.transform_to_string(source_file=str(odd))
        except PySaxonApiError as exc:
            messages = exe.get_xsl_messages()
            said = " ".join(str(messages).split()) if messages is not None else ""
            raise EditionError(f"cannot derive the RELAX NG: {said or exc}", odd) from exc
    if not out:
        raise EditionError("the ODD produced no RELAX NG", odd)
    text = out if out.endswith("\n") else out + "\n"
    return text.encode("utf-8")


def main() -> int:
    try:
        data = derive_rng()
    except EditionError as exc:
        print(f"edition.odd: error: {exc}", file=sys.stderr)
        return 1
    if not RNG.is_file() or RNG.read_bytes() != data:
        atomic_write(RNG, data)
        print(f"wrote {RNG.relative_to(SCHEMA_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
