"""What an export asks for: parameters, columns and file options, from XML and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from exporter.errors import ExportError

# The export parameters (SPEC §5): dbt vars of the same names, validated by the dbt macros.
PARAMETERS = (
    "activityType",
    "reportStatus",
    "entityIds",
    "preferredLocales",
    "learningObjectPublishersName",
    "trainingPublishers",
    "sessionGuid",
    "sessionTitle",
    "trainingGuid",
    "trainingPathCode",
    "catalogVisibility",
    "onlyFromImportedRegistrations",
    "onlyFromImportedSessions",
    "onlyFromImportedTraining",
    "timeFrames",
    "timeFramesScale",
    "timeFrameScaleMode",
    "deltaMode",
    "dateTimeFormat",
    "dateFormat",
    "timeGlobalFormat",
    "timezone",
    "asOf",
)

# File options (SPEC §8) and their accepted values; `decimal` is rendered by dbt (var).
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
    """Validate the file options, filling the defaults of SPEC §8."""
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
