"""Errors a caller can catch; the CLI turns each into one line and a non-zero exit."""


class TimelineError(Exception):
    """Base of every error timeline raises on purpose."""


class InputError(TimelineError):
    """Bad input: a missing path, an unreadable file, invalid JSON on a line, an article without text."""


class ConfigError(TimelineError):
    """The configuration file or an environment override is invalid."""
