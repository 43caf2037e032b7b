"""What an export is asked: the platform's XML export configuration (parsed safely with
defusedxml), then the command line over it (`request_from`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from exporter.errors import ExportError
from exporter.request import FILE_OPTIONS, PARAMETERS, Column, ExportRequest

# The platform's legacy spelling of a system field.
LEGACY_FIELDS = {"activityID": "activityId"}


def request_from(args: argparse.Namespace) -> ExportRequest:
    """The XML configuration, then the command line over it."""
    request = read_config(args.config) if args.config else ExportRequest()
    for item in args.param:
        name, separator, value = item.partition("=")
        if not separator:
            raise ExportError(f"--param {item}: expected NAME=VALUE.")
        request.parameters[_parameter_name(name.strip())] = value
    for name in PARAMETERS:
        value = getattr(args, f"parameter_{name}")
        if value is not None:
            request.parameters[name] = value
    for option in FILE_OPTIONS:
        value = getattr(args, option)
        if value is not None:
            request.file_options[option] = value
    if args.export_guid is not None:
        request.export_guid = args.export_guid.strip() or None
    if args.columns:
        request.columns = [
            Column(name.strip(), field=name.strip()) for name in args.columns.split(",") if name.strip()
        ]
    return request


def _parameter_name(name: str) -> str:
    if name not in PARAMETERS:
        raise ExportError(f"Unknown parameter {name}: expected one of {', '.join(PARAMETERS)}.")
    return name


def read_config(path: Path) -> ExportRequest:
    """Read an `<export>` (or bare `<providers>`) document into an export request."""
    try:
        root = parse(str(path)).getroot()
    except FileNotFoundError:
        raise ExportError(f"Configuration file not found: {path}") from None
    except IsADirectoryError:
        raise ExportError(f"Configuration file is a folder: {path}") from None
    except DefusedXmlException as error:
        raise ExportError(f"Unsafe XML in {path}: {error}; entities are not allowed.") from None
    except ParseError as error:
        raise ExportError(f"Malformed XML in {path}: {error}") from None
    request = ExportRequest()
    if root.tag == "export":
        request.export_guid = (root.get("guid") or "").strip() or None
        _check_children(root, ("providers", "actions"))
        providers = root.find("providers")
        actions = root.find("actions")
    elif root.tag == "providers":
        providers, actions = root, None
    else:
        raise ExportError(f"Unknown element <{root.tag}> in {path}: expected <export> or <providers>.")
    if providers is not None:
        _read_providers(providers, request, path)
    if actions is not None:
        _read_actions(actions, request, path)
    return request


def _check_children(element: Element, allowed: tuple[str, ...]) -> None:
    for child in element:
        if child.tag not in allowed:
            raise ExportError(f"Unknown element <{child.tag}> in <{element.tag}>: expected {_tags(allowed)}.")


def _tags(names: tuple[str, ...]) -> str:
    return ", ".join(f"<{name}>" for name in names)


def _read_providers(providers: Element, request: ExportRequest, path: Path) -> None:
    _check_children(providers, ("activityProvider",))
    provider = providers.find("activityProvider")
    if provider is None:
        raise ExportError(f"No <activityProvider> in {path}.")
    _check_children(provider, ("columns", "parameters"))
    columns = provider.find("columns")
    if columns is not None:
        request.columns = [_column(element) for element in columns]
    parameters = provider.find("parameters")
    if parameters is not None:
        _check_children(parameters, PARAMETERS)
        request.parameters = {element.tag: _parameter(element) for element in parameters}


def _column(element: Element) -> Column:
    label = element.get("label")
    if element.tag == "constantValue":
        return Column(label or "constantValue", constant=element.get("value", ""))
    if element.tag == "candidateCustomFieldGuid":
        guid = (element.text or "").strip()
        if not guid:
            raise ExportError("A <candidateCustomFieldGuid> column needs the custom field GUID as text.")
        return Column(label or guid, custom_field_guid=guid)
    field = LEGACY_FIELDS.get(element.tag, element.tag)
    return Column(label or field, field=field)


def _parameter(element: Element) -> str:
    # reportStatus holds empty elements such as <completed/>; others hold text.
    children = [child.tag for child in element]
    return ",".join(children) if children else (element.text or "").strip()


def _read_actions(actions: Element, request: ExportRequest, path: Path) -> None:
    _check_children(actions, ("fileExportAction",))
    action = actions.find("fileExportAction")
    if action is None:
        return
    _check_children(action, FILE_OPTIONS)
    for name, value in action.attrib.items():
        if name not in FILE_OPTIONS:
            raise ExportError(
                f"Unknown attribute {name} of <fileExportAction> in {path}: "
                f"expected {', '.join(FILE_OPTIONS)}."
            )
        request.file_options[name] = value
    for element in action:
        request.file_options[element.tag] = (element.text or "").strip()
