"""The value a dbt macro of the project returns, when the macro holds a literal table (the
export parameters, the export fields, the issue codes): rendered with Jinja as dbt renders
it, so that Python reads the one list instead of keeping a copy."""

from __future__ import annotations

from typing import Any

import jinja2

from exporter.build import PROJECT_DIR


class _Returned(Exception):
    """How dbt's `return()` hands a macro's value back."""


def _return(value: object) -> None:
    raise _Returned(value)


def macro_value(path: str, name: str) -> Any:
    """What the macro `name`, defined in the project file `path`, returns when called without
    arguments. Only literal tables: a macro that calls another dbt macro fails here."""
    environment = jinja2.Environment(extensions=["jinja2.ext.do"], undefined=jinja2.StrictUndefined)
    environment.globals["return"] = _return
    source = (PROJECT_DIR / path).read_text(encoding="utf-8")
    macro = getattr(environment.from_string(source).module, name)
    try:
        macro()
    except _Returned as returned:
        return returned.args[0]
    raise RuntimeError(f"the macro {name} in {path} returned nothing")
