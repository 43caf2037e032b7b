"""Personal data in the export file and the published copy (--pii keep|pseudonymise|drop).

The personal columns are those of the field catalogue with `pii` (the mart's contract, read
through the macro field_catalogue that scripts/catalogue.py generates from it). The runner
applies the mode as it writes: the build (dbt) never sees it, so the key never reaches dbt's
vars, compiled SQL, logs or the warehouse.

- keep: the values as the platform exports them (the default).
- pseudonymise: each non-empty value becomes the HMAC-SHA-256 of its UTF-8 bytes under the key
  (the bytes of the environment variable KEY_VARIABLE), as 64 hex digits: the same value and
  key give the same pseudonym in every run, in the export file and in the published copy.
  The HMACs are computed in Python, once per distinct value, into a temporary table of the
  writing connection (bound parameters); the query that feeds the file or the copy replaces
  each personal column through it.
- drop: the columns stay (layouts do not change) and are written empty (null).

Empty values (null or '') stay empty in every mode.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field

import duckdb

from exporter.errors import ExportError
from exporter.project import macro_value

CATALOGUE = "macros/reference/field_catalogue.sql"

# Learner names, email, login and reference number: the export fields (and the columns of the
# mart and of activity_tracking_bi) that --pii covers.
PERSONAL_FIELDS = tuple(
    column["name"] for column in macro_value(CATALOGUE, "field_catalogue") if column["pii"]
)
MODES = ("keep", "pseudonymise", "drop")
DEFAULT_MODE = "keep"
KEY_VARIABLE = "ACTIVITY_TRACKING_PII_KEY"
# The temporary table of (value, pseudonym) of the writing connection.
PSEUDONYMS_TABLE = "pii_pseudonyms"
PSEUDONYMS = f"temp.main.{PSEUDONYMS_TABLE}"
# What a column's description says in a pseudonymised or dropped copy.
NOTES = {
    "pseudonymise": f" Pseudonymised: HMAC-SHA-256 of the value under the key {KEY_VARIABLE}, "
    "in hexadecimal (empty stays empty).",
    "drop": " Dropped (--pii drop): always empty.",
}


@dataclass(frozen=True)
class Pii:
    """The mode, and the key of pseudonymise (never shown: repr leaves it out)."""

    mode: str = DEFAULT_MODE
    key: bytes = field(default=b"", repr=False)

    def describe(self) -> str:
        return {
            "keep": "kept",
            "pseudonymise": f"pseudonymised (HMAC-SHA-256, key {KEY_VARIABLE})",
            "drop": "dropped (written empty)",
        }[self.mode]


KEEP = Pii()


def settings(mode: str | None) -> Pii:
    """--pii, checked before the build: pseudonymise needs a non-empty key in KEY_VARIABLE."""
    mode = mode or DEFAULT_MODE
    if mode not in MODES:
        raise ExportError(f"--pii {mode}: expected one of {', '.join(MODES)}.")
    if mode != "pseudonymise":
        return Pii(mode)
    # the variable's bytes (POSIX); Windows has no os.environb: its text in UTF-8
    if hasattr(os, "environb"):
        key = os.environb.get(KEY_VARIABLE.encode("ascii"), b"")
    else:
        key = os.environ.get(KEY_VARIABLE, "").encode("utf-8")
    if not key:
        raise ExportError(
            f"--pii pseudonymise needs a key: set the environment variable {KEY_VARIABLE} "
            "(a secret kept outside the project; the same key gives the same pseudonyms)."
        )
    return Pii(mode, key)


def identity(pii: Pii) -> str | None:
    """What delta mode must know of the mode (var piiIdentity): none for keep; the mode; for
    pseudonymise, with an id of the key (an HMAC of a constant under it: it tells two keys
    apart and gives nothing of the key away)."""
    if pii.mode == "keep":
        return None
    if pii.mode == "drop":
        return "drop"
    return "pseudonymise:" + pseudonym(pii.key, "activity-tracking key id")[:16]


def pseudonym(key: bytes, value: str) -> str:
    """The pseudonym of `value`: HMAC-SHA-256 of its UTF-8 bytes under `key`, in hex."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def personal(columns: list[str]) -> list[str]:
    """The personal columns among `columns`, in their order."""
    return [name for name in columns if name in PERSONAL_FIELDS]


def install(connection: duckdb.DuckDBPyConnection, pii: Pii, relation: str, columns: list[str]) -> None:
    """pseudonymise: fill PSEUDONYMS with the pseudonym of every distinct non-empty value of
    `columns` (quoted identifiers) of `relation`; nothing to do in the other modes."""
    if pii.mode != "pseudonymise" or not columns:
        return
    listed = ", ".join(columns)
    values = [
        value
        for (value,) in connection.execute(
            f"select distinct value from (select unnest([{listed}]) as value from {relation}) "
            "where value is not null and value <> ''"
        ).fetchall()
    ]
    connection.execute(
        f"create or replace temporary table {PSEUDONYMS_TABLE} (value varchar, pseudonym varchar)"
    )
    if not values:
        return
    connection.execute(
        f"insert into {PSEUDONYMS} select unnest($values), unnest($pseudonyms)",
        {"values": values, "pseudonyms": [pseudonym(pii.key, value) for value in values]},
    )


def expression(value: str, pii: Pii) -> str:
    """The SQL expression writing the personal value `value` (an SQL expression) in `pii`'s mode
    (pseudonymise: PSEUDONYMS must be installed)."""
    if pii.mode == "keep":
        return value
    if pii.mode == "drop":
        return "cast(null as varchar)"
    return (
        f"case when {value} is null or {value} = '' then {value} "
        f"else (select pseudonyms.pseudonym from {PSEUDONYMS} as pseudonyms "
        f"where pseudonyms.value = {value}) end"
    )


def note(description: str | None, pii: Pii) -> str | None:
    """A personal column's description in the copy: what the mode did to it."""
    if pii.mode == "keep":
        return description
    return (description or "").rstrip() + NOTES[pii.mode]
