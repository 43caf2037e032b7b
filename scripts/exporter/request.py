"""What an export asks for: parameters, columns and file options, from XML and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from exporter.errors import ExportError
from exporter.macros import macro_value

# Parameters the runner takes through options of its own: decimal is a file option, exportGuid
# is --export-guid (or the configuration's <export guid>).
OWN_OPTIONS = ("decimal", "exportGuid")


def export_parameters() -> list[dict[str, str | None]]:
    """The project's table of export parameters, from the dbt macro that declares it, so the
    runner holds no copy."""
    return macro_value("macros/parameters/export_parameters.sql", "export_parameters")


# The export parameters the command line and the XML configuration take.
PARAMETERS = tuple(
    parameter["name"] for parameter in export_parameters() if parameter["name"] not in OWN_OPTIONS
)

# File options and their accepted values; `decimal` is rendered by dbt (var).
FORMATS = ("csv", "tsv", "parquet", "jsonl")
ENCODINGS = {
    "UTF-8": "utf-8",
    "ISO-8859-1": "latin-1",
    "WINDOWS-1252": "cp1252",
    "UTF-16LE": "utf-16-le",
}
DELIMITERS = {"comma": ",", "pipe": "|", "semicolon": ";", "tabulation": "\t"}
FILE_OPTIONS = ("format", "encoding", "delimiter", "showHeaders", "decimal")


@dataclass(frozen=True)
class Column:
    """One column of the file: a system field, a constant, or a custom field by GUID."""

    label: str
    field: str | None = None
    constant: str | None = None
    custom_field_guid: str | None = None

    def describe(self) -> dict[str, str]:
        if self.field is not None:
            source = {"field": self.field}
        elif self.constant is not None:
            source = {"constantValue": self.constant}
        else:
            source = {"candidateCustomFieldGuid": self.custom_field_guid or ""}
        return {"label": self.label, **source}


@dataclass
class ExportRequest:
    """Everything the command line and the XML configuration asked for."""

    parameters: dict[str, str] = field(default_factory=dict)
    file_options: dict[str, str] = field(default_factory=dict)
    columns: list[Column] | None = None
    export_guid: str | None = None


@dataclass(frozen=True)
class FileOptions:
    """Validated file options."""

    format: str
    encoding: str
    delimiter: str
    show_headers: bool

    @property
    def python_encoding(self) -> str:
        return ENCODINGS[self.encoding]


def _choice(option: str, value: str, accepted: list[str] | tuple[str, ...]) -> str:
    for candidate in accepted:
        if value.strip().lower() == candidate.lower():
            return candidate
    raise ExportError(
        f"Invalid value '{value}' for file option {option}: expected one of {', '.join(accepted)}."
    )


def file_options(values: dict[str, str]) -> FileOptions:
    """Validate the file options, filling in the defaults."""
    file_format = _choice("format", values.get("format", "csv"), FORMATS)
    encoding = _choice("encoding", values.get("encoding", "UTF-8"), list(ENCODINGS))
    default_delimiter = "tabulation" if file_format == "tsv" else "semicolon"
    delimiter = _choice("delimiter", values.get("delimiter", default_delimiter), list(DELIMITERS))
    show_headers = _choice("showHeaders", values.get("showHeaders", "yes"), ("yes", "no"))
    if file_format == "tsv" and delimiter != "tabulation":
        raise ExportError(f"File option delimiter={delimiter} does not go with format=tsv.")
    if file_format in ("parquet", "jsonl") and encoding != "UTF-8":
        raise ExportError(f"File option encoding={encoding} does not go with format={file_format}.")
    return FileOptions(file_format, encoding, DELIMITERS[delimiter], show_headers == "yes")
