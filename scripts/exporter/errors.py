"""The errors a run ends with: a message, no traceback, and an exit code per kind of failure,
so that a scheduler knows what to do (EXIT_CODES, documented in docs/operating.md)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import duckdb


class ExportError(Exception):
    """The user's input is invalid (an option, a parameter, the configuration, a path, an
    environment variable, a raw file that does not follow the raw contract): fix it, then run
    again. Its message is all the user needs."""

    exit_code = 2


class DataQualityFailure(ExportError):
    """Strict mode: the raw extract has anomalies (data_quality_issues is not empty)."""

    exit_code = 3


class Busy(ExportError):
    """Another run holds the database, the export GUID or the Spark folder: try again later."""

    exit_code = 4


class BuildFailure(ExportError):
    """dbt could not build the models (a failing data test, an engine error)."""

    exit_code = 5


class OutputFailure(ExportError):
    """The build succeeded but what the run writes could not be written: the export file, its
    manifest, the delta state, a published copy."""

    exit_code = 6


@contextmanager
def output_failures(what: str) -> Iterator[None]:
    """A file system or DuckDB error while writing, as an OutputFailure: `what` ("Cannot write
    x.csv") and the cause, in one sentence."""
    try:
        yield
    except OSError as error:
        raise OutputFailure(f"{what}: {error.strerror or error}.") from None
    except duckdb.Error as error:
        raise OutputFailure(f"{what}: {error}") from None


class Terminated(KeyboardInterrupt):
    """SIGTERM, what schedulers send to stop a run: handled like Ctrl-C (dbt cancels its
    queries, temporaries are removed, the earlier file stays), with its own exit code."""


# The stops the signals of this run asked for (stops_recorded): DuckDB turns an exception raised
# in a signal handler during its query into its own "Query interrupted" error, and dbt that error
# into a failed node, so the stop is raised again where that can happen (raise_if_stopped).
_stops: list[type[KeyboardInterrupt]] = []


def _stop_on(signum: int, frame: object) -> NoReturn:
    stop = Terminated if signum == signal.SIGTERM else KeyboardInterrupt
    _stops.append(stop)
    raise stop


@contextmanager
def stops_recorded() -> Iterator[None]:
    """While the block runs, SIGTERM raises Terminated and Ctrl-C KeyboardInterrupt (unless it
    is ignored, as in a background job), and each is recorded for raise_if_stopped, until the
    block ends."""
    _stops.clear()
    numbers = [signal.SIGTERM]
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        numbers.append(signal.SIGINT)
    previous = {number: signal.signal(number, _stop_on) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _stops.clear()  # a stop of this block is no stop of a later dbt invocation (a library's)


def raise_if_stopped() -> None:
    """Raise the stop a signal asked for, if one did: after a dbt invocation or a DuckDB query
    whose error may be that stop, swallowed."""
    if _stops:
        raise _stops[0]


# Every exit code of the runner: code → meaning, the one home of these texts; --help shows them,
# and a test holds the README's list and docs/operating.md's table to them.
EXIT_CODES = {
    0: "the file and its manifest are in place (the delta state recorded, the copies published)",
    1: "an unexpected error: a bug, shown with a traceback",
    ExportError.exit_code: "invalid input: an option, a parameter, the XML configuration, a path, an "
    "environment variable, a raw file that does not follow the raw contract",
    DataQualityFailure.exit_code: "--strict: the raw extract has data quality issues",
    Busy.exit_code: "busy: the database, the export GUID or the Spark folder is in use by another run "
    "(or --lock-timeout ran out)",
    BuildFailure.exit_code: "the dbt build failed: a failing data test, an engine error (out of memory, a "
    "full disk)",
    OutputFailure.exit_code: "the build succeeded but the file, its manifest, the delta state or a published "
    "copy could not be written",
    130: "interrupted (Ctrl-C)",
    143: "terminated by SIGTERM (what schedulers send)",
}
