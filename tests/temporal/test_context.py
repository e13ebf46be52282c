import re

import pytest

from timeline.temporal.context import need


def test_need_gives_the_text_of_a_filled_group():
    groups = re.match(r"(?P<num>\d+) (?P<unit>weeks?)(?: (?P<dir>ago))?", "3 weeks ago").groupdict()
    assert need(groups, "unit") == "weeks"
    assert need(groups, "dir") == "ago"


def test_need_names_the_group_a_pattern_left_empty():
    groups = re.match(r"(?P<num>\d+) (?P<unit>weeks?)(?: (?P<dir>ago))?", "3 weeks").groupdict()
    with pytest.raises(KeyError, match="'dir'"):
        need(groups, "dir")
    with pytest.raises(KeyError, match="'missing'"):
        need(groups, "missing")
