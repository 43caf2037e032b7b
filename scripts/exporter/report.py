"""What the runner tells the operator, as text for a terminal or as JSON lines for a log.

- text (default): the summary on stdout, progress and errors on stderr; progress is one line
  rewritten in place on a terminal, and a line at most every PROGRESS_SECONDS otherwise.
- json (--log-format json): one JSON object per line on stdout, nothing on stderr: an
  `event` (started, waiting, progress, built, written, published, delta, summary, error),
  the time `at` (UTC), the run's `runId`, the `message` the text format would print, and the
  event's own fields.

One reporter per process (`configure`, then `current`): the build's progress and the lock's
wait report through it without it being handed down.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

LOG_FORMATS = ("text", "json")
# how often progress is written when it cannot be rewritten in place (a log, JSON lines)
PROGRESS_SECONDS = 10.0


class Reporter:
    """Writes the run's events in one format (to sys.stdout and sys.stderr as they are when it
    writes)."""

    @property
    def out(self) -> TextIO:
        return sys.stdout

    @property
    def err(self) -> TextIO:
        return sys.stderr

    def __init__(self, log_format: str = "text") -> None:
        self.json = log_format == "json"
        self.live = not self.json and sys.stderr.isatty()
        self.run_id: str | None = None
        self.last_progress = 0.0
        self.progress_shown = False

    def event(self, name: str, message: str | None = None, *, to_err: bool = False, **fields: Any) -> None:
        """An event: its message as a line of text (stdout, or stderr with `to_err`), or a JSON line."""
        if self.json:
            self._json(name, message, fields)
        elif message is not None:
            self._clear_progress()
            print(message, file=self.err if to_err else self.out, flush=True)

    def progress(self, stage: str, message: str, *, final: bool = False, **fields: Any) -> None:
        """How far a stage is: rewritten in place on a terminal; otherwise written at most every
        PROGRESS_SECONDS (and once more when `final`)."""
        if self.live:
            print(f"\r{message}\033[K", end="", file=self.err, flush=True)
            self.progress_shown = True
            return
        now = time.monotonic()
        if not final and now - self.last_progress < PROGRESS_SECONDS:
            return
        self.last_progress = now
        if self.json:
            self._json("progress", message, {"stage": stage, **fields})
        else:
            print(message, file=self.err, flush=True)

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
            print(f"error: {message}", file=self.err, flush=True)

    def _clear_progress(self) -> None:
        if self.progress_shown:
            print("\r\033[K", end="", file=self.err, flush=True)
            self.progress_shown = False

    def _json(self, name: str, message: str | None, fields: dict[str, Any]) -> None:
        record = {
            "event": name,
            "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "runId": self.run_id,
            **({"message": message} if message is not None else {}),
            **fields,
        }
        print(json.dumps(record, ensure_ascii=False, default=str), file=self.out, flush=True)


_current = Reporter()


def configure(log_format: str) -> Reporter:
    """The process's reporter from now on."""
    global _current
    _current = Reporter(log_format)
    return _current


def current() -> Reporter:
    return _current
