"""The one kind of error a user's mistake gives: a message, no traceback."""


class ExportError(Exception):
    """A user's mistake or a failed build: its message is all the user needs."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, what schedulers send to stop a run: handled like Ctrl-C (dbt cancels its
    queries, temporaries are removed, the earlier file stays), with its own exit code."""
