"""What an export asks for: parameters, columns and file options, from XML and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from exporter.errors import ExportError
from exporter.project import macro_value

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
FORMATS = ("csv", "tsv", "parquet", "jsonl", "xlsx")
# Formats whose values keep their types (the others are text): they are written in UTF-8.
TYPED_FORMATS = ("parquet", "jsonl", "xlsx")
ENCODINGS = {
    "UTF-8": "utf-8",
    # UTF-8 with a byte order mark, which Excel needs to read a CSV file's accents right
    "UTF-8-BOM": "utf-8-sig",
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
    if file_format in TYPED_FORMATS and encoding != "UTF-8":
        raise ExportError(f"File option encoding={encoding} does not go with format={file_format}.")
    return FileOptions(file_format, encoding, DELIMITERS[delimiter], show_headers == "yes")


def with_output_format(values: dict[str, str], output: Path | None) -> dict[str, str]:
    """The file options with the format the output's extension names (a format of FORMATS,
    any case) when no format is given; an extension naming another format than the one given
    is an error. An unknown extension (or none) leaves the default, csv."""
    named = output.suffix.lower().removeprefix(".") if output is not None else ""
    if named not in FORMATS:
        return values
    if "format" not in values:
        return {**values, "format": named}
    given = values["format"].strip().lower()
    if given in FORMATS and given != named:
        raise ExportError(
            f"--output {output.name} names a {named} file but file option format is {given} "
            f"(--format or the configuration's <fileExportAction>): give format {named}, "
            f"or an output ending in .{given}."
        )
    return values
