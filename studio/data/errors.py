"""Errors of the data layer: each message says what is wrong and where."""


class DataError(ValueError):
    """Data that cannot be used as it is; the message is meant for the user."""


class Cancelled(Exception):
    """The caller asked a long load to stop."""
