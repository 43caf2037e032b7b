"""Write the tables of the docs that are generated from the project's declarations.

`python scripts/docs_tables.py` rewrites the block between `<!-- parameters:start -->` and
`<!-- parameters:end -->` in docs/using.md from the dbt macro export_parameters (the one table
of the export parameters); `--check` exits 1 when the file is not up to date.
"""

from __future__ import annotations

import argparse
import re
import sys

from exporter.project import PROJECT_DIR
from exporter.request import export_parameters

USING = PROJECT_DIR / "docs" / "using.md"
BLOCK = re.compile(r"(<!-- parameters:start -->\n).*?(<!-- parameters:end -->)", re.S)


def parameter_table() -> str:
    """The parameter table in Markdown, one row per parameter in the order the export applies them."""
    lines = [
        "| parameter | accepted | default | mart column | effect | example |",
        "|---|---|---|---|---|---|",
    ]
    for parameter in export_parameters():
        example = f"`{parameter['example']}`" if parameter["example"] else ""
        default = f"`{parameter['default']}`" if parameter["default"] is not None else ""
        column = f"`{parameter['column']}`" if parameter["column"] else ""
        name = f"`{parameter['name']}`"
        cells = [name, parameter["accepted"], default, column, parameter["effect"], example]
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def updated(text: str) -> str:
    if not BLOCK.search(text):
        raise SystemExit(f"{USING}: no <!-- parameters:start --> … <!-- parameters:end --> block")
    return BLOCK.sub(lambda match: match.group(1) + parameter_table() + match.group(2), text)


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--check", action="store_true", help="exit 1 when docs/using.md is not up to date")
    args = cli.parse_args()
    text = USING.read_text(encoding="utf-8")
    new = updated(text)
    if args.check:
        if new != text:
            print(f"{USING} is not up to date: run python scripts/docs_tables.py", file=sys.stderr)
            return 1
        return 0
    USING.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
