"""The daemon's log lines: key=value, quoted when needed, and never a raw control sequence."""

from __future__ import annotations

import logging

import pytest

from timeline.daemon.logfmt import fields, setup_logging, value


def test_values_are_bare_words_or_quoted():
    assert fields(feed="seed-rss", status=304, new=0, error=None) == "feed=seed-rss status=304 new=0"
    assert value("two words") == '"two words"'
    assert value('say "hi"') == '"say \\"hi\\""'
    assert value("a=b") == '"a=b"'
    assert value("") == '""'


def test_control_characters_cannot_forge_lines_or_drive_the_terminal():
    assert "\n" not in value("evil\nINFO poll feed=fake status=200")
    assert "\x1b" not in value("\x1b[2Jred")
    assert "\u202e" not in value("feed\u202eeman") and "\u2066" not in value("\u2066x")


@pytest.fixture
def restore_logging():
    logger = logging.getLogger("timeline")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


def test_tracebacks_are_sanitised_and_lines_are_utc_stamped(capsys, restore_logging):
    setup_logging(logging.INFO)
    log = logging.getLogger("timeline.daemon")
    log.debug("hidden at the default level")
    try:
        raise ValueError("page said \x1b]0;owned\x07 and \x9b31m")
    except ValueError:
        log.exception("extract " + fields(article="1:abc", status="failed"))
    err = capsys.readouterr().err
    assert "hidden" not in err
    assert err.splitlines()[0].endswith("Z ERROR extract article=1:abc status=failed")
    assert not any(ch in err for ch in "\x1b\x07\x9b")
    assert "ValueError: page said ?]0;owned? and ?31m" in err
