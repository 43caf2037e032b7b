"""What the runner tells the operator, as text for a terminal or as JSON lines for a log.

- text (default): the summary on stdout, progress and errors on stderr; progress is one line
  rewritten in place on a terminal, and a line at most every PROGRESS_SECONDS otherwise.
- json (--log-format json): one JSON object per line on stdout, nothing on stderr: an
  `event` (started, waiting, progress, built, written, published, delta, summary, error),
  the time `at` (UTC), the run's `runId`, the `message` the text format would print, and the
  event's own fields.

When the export itself goes to standard output (`--output -`), everything the reporter writes
goes to stderr. Every message is one line: control and other invisible characters (of a path,
a value) are shown escaped (`shown`). A stream that closes early (`| head -1`) never stops
the run: what would go to it is dropped, and the export is finished.

One reporter per process (`configure`, then `current`): the build's progress and the lock's
wait report through it without it being handed down. It is configured before the command
line is parsed (`requested_log_format`), so that a mistake in it is reported in the format
asked for.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

LOG_FORMATS = ("text", "json")
# how often progress is written when it cannot be rewritten in place (a log, JSON lines)
PROGRESS_SECONDS = 10.0


def shown(text: str) -> str:
    """`text` on one line: each character that is not printable (a control character, a line
    break, a format character such as a bidirectional override) written as a Python escape."""
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)


class Reporter:
    """Writes the run's events in one format (to sys.stdout and sys.stderr as they are when it
    writes; only to sys.stderr when standard output carries the export)."""

    @property
    def out(self) -> TextIO:
        return sys.stderr if self.stdout_taken else sys.stdout

    @property
    def err(self) -> TextIO:
        return sys.stderr

    def __init__(self, log_format: str = "text", stdout_taken: bool = False) -> None:
        self.json = log_format == "json"
        self.stdout_taken = stdout_taken
        self.live = not self.json and _isatty(sys.stderr)
        self.run_id: str | None = None
        self.last_progress = 0.0
        self.progress_shown = False

    def event(self, name: str, message: str | None = None, *, to_err: bool = False, **fields: Any) -> None:
        """An event: its message as a line of text (stdout, or stderr with `to_err`), or a JSON line."""
        if self.json:
            self._json(name, message, fields)
        elif message is not None:
            self._clear_progress()
            _write(self.err if to_err else self.out, shown(message) + "\n")

    def progress(self, stage: str, message: str, *, final: bool = False, **fields: Any) -> None:
        """How far a stage is: rewritten in place on a terminal; otherwise written at most every
        PROGRESS_SECONDS (and once more when `final`)."""
        if self.live:
            _write(self.err, f"\r{shown(message)}\033[K")
            self.progress_shown = True
            return
        now = time.monotonic()
        if not final and now - self.last_progress < PROGRESS_SECONDS:
            return
        self.last_progress = now
        if self.json:
            self._json("progress", message, {"stage": stage, **fields})
        else:
            _write(self.err, shown(message) + "\n")

    def due(self) -> bool:
        """Whether progress written now would be shown (always on a terminal): the caller may skip
        working out a progress nobody sees."""
        return self.live or time.monotonic() - self.last_progress >= PROGRESS_SECONDS

    def end_progress(self) -> None:
        """The stage is over: a progress line on a terminal is cleared."""
        self._clear_progress()

    def error(self, message: str, exit_code: int) -> None:
        if self.json:
            self._json("error", message, {"exitCode": exit_code})
        else:
            self._clear_progress()
            _write(self.err, f"error: {shown(message)}\n")

    def stopped(self, message: str, exit_code: int) -> None:
        """Ctrl-C or SIGTERM: on its own line after any progress (text), or an error event (json)."""
        if self.json:
            self.error(message, exit_code)
        else:
            self.end_progress()
            self.line("", to_err=True)
            self.line(message, to_err=True)

    def line(self, message: str, to_err: bool = False) -> None:
        """A line of text as it is, in either format (what a run-operation prints)."""
        _write(self.err if to_err else self.out, shown(message) + "\n")

    def _clear_progress(self) -> None:
        if self.progress_shown:
            _write(self.err, "\r\033[K")
            self.progress_shown = False

    def _json(self, name: str, message: str | None, fields: dict[str, Any]) -> None:
        record = {
            "event": name,
            "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "runId": self.run_id,
            **({"message": shown(message)} if message is not None else {}),
            **fields,
        }
        # ASCII: no character of a field (a path, a value) can break the line, not even U+2028
        _write(self.out, json.dumps(record, ensure_ascii=True, default=str) + "\n")


def _isatty(stream: TextIO | None) -> bool:
    """Whether `stream` is a terminal (None: a stream closed when the process started)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def _write(stream: TextIO, text: str) -> None:
    """Write `text` to `stream` now. A stream its reader closed (a broken pipe) or that is closed
    takes nothing more: its descriptor is pointed at the null device, so that neither this run
    nor Python's last flush at exit fails on it."""
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        silence(stream)


def silence(stream: TextIO) -> None:
    """Point `stream`'s descriptor at the null device (its reader is gone)."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def reopen_closed_streams() -> None:
    """Point a standard stream that was closed when the process started (`2>&-`) at the null
    device. Otherwise the next file the run opens takes its descriptor, and what is then
    written to that stream (by Python or by a library) lands in that file."""
    for descriptor, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(descriptor)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)
        if getattr(sys, name) is None:
            setattr(sys, name, open(descriptor, "w" if descriptor else "r", closefd=False))  # noqa: SIM115


def requested_log_format(argv: Sequence[str]) -> str:
    """--log-format as given, read before the arguments are parsed, so that a mistake in them is
    reported in the format asked for; text when absent or invalid (argparse then says why)."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        value = argument.partition("=")[2] if argument.startswith("--log-format=") else None
        if argument == "--log-format" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in LOG_FORMATS:
            return value
    return "text"


_current = Reporter()


def configure(log_format: str, stdout_taken: bool = False) -> Reporter:
    """The process's reporter from now on (`stdout_taken`: standard output carries the export)."""
    global _current
    _current = Reporter(log_format, stdout_taken)
    return _current


def current() -> Reporter:
    return _current
