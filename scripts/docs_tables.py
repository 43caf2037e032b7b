"""Write the tables of the docs that are generated from the project's declarations.

`python scripts/docs_tables.py` rewrites, in docs/using.md, the block between
`<!-- parameters:start -->` and `<!-- parameters:end -->` from the dbt macro export_parameters
(the one table of the export parameters), and the block between `<!-- rules:start -->` and
`<!-- rules:end -->` from the dbt macro data_quality_rules (the one table of the data-quality
rules, with the anomalies planted in the sample); `--check` exits 1 when the file is not up to
date.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from exporter.project import PROJECT_DIR, macro_value
from exporter.request import export_parameters

USING = PROJECT_DIR / "docs" / "using.md"
RULES = "macros/data_quality/data_quality_rules.sql"


def row(cells: list[object]) -> str:
    return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"


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
        lines.append(row([name, parameter["accepted"], default, column, parameter["effect"], example]))
    return "\n".join(lines) + "\n"


def rule_table() -> str:
    """The data-quality rules in Markdown, one row per rule in the order of data_quality_rules,
    with the number of anomalies of each planted in the sample, and their total."""
    lines = [
        "| issue_code | raw table | column | raised when | handling | what is done | in the sample |",
        "|---|---|---|---|---|---|---|",
    ]
    rules = macro_value(RULES, "data_quality_rules")
    for rule in rules:
        cells = [f"`{rule['code']}`", rule["table"], rule["column"], rule["detected"]]
        lines.append(row([*cells, rule["handling"], rule["effect"], len(rule["planted"])]))
    planted = sum(len(rule["planted"]) for rule in rules)
    lines += ["", f"The sample data has {planted} anomalies planted on purpose, each recorded once."]
    return "\n".join(lines) + "\n"


# Each generated block: its name (the markers `<!-- name:start -->`, `<!-- name:end -->`) and table.
BLOCKS: dict[str, Callable[[], str]] = {"parameters": parameter_table, "rules": rule_table}


def updated(text: str) -> str:
    for name, table in BLOCKS.items():
        block = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not block.search(text):
            raise SystemExit(f"{USING}: no <!-- {name}:start --> … <!-- {name}:end --> block")
        text = block.sub(lambda match, table=table: match.group(1) + table() + match.group(2), text)
    return text


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
