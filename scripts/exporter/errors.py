"""The one kind of error a user's mistake gives: a message, no traceback."""


class ExportError(Exception):
    """A user's mistake or a failed build: its message is all the user needs."""
