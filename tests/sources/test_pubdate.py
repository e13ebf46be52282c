"""Publication dates stated in the text: every rule's examples from data/pubdate.toml."""

import datetime as dt
import tomllib
from importlib.resources import files

import pytest

from timeline.sources import infer_published

RULES = tomllib.loads(files("timeline.sources").joinpath("data/pubdate.toml").read_text())["rule"]


@pytest.mark.parametrize(
    ("text", "date", "rule"),
    [
        pytest.param(ex["text"], ex["date"], rule["name"], id=f"{rule['name']}-{n}")
        for rule in RULES
        for n, ex in enumerate(rule["examples"])
    ],
)
def test_rule_examples_infer_their_date(text, date, rule):
    day, evidence = infer_published(text)
    assert day == dt.date.fromisoformat(date)
    assert evidence.startswith(f"{rule} '")


@pytest.mark.parametrize(
    "text", [pytest.param(t, id=f"{r['name']}-{n}") for r in RULES for n, t in enumerate(r["none"])]
)
def test_near_misses_infer_nothing(text):
    assert infer_published(text) is None


def test_page_age_labels_and_relative_dates_are_never_evidence():
    assert infer_published("7 months ago\nThe talks were held last Wednesday.\nUpdated 2 hours ago") is None


def test_an_impossible_date_is_skipped_for_a_later_valid_one():
    assert infer_published("Published February 30, 2023\nPosted March 2, 2023")[0] == dt.date(2023, 3, 2)


def test_evidence_is_short_even_for_a_long_caption():
    caption = "Officials " + "and more officials " * 15 + "meet, Dec. 27, 2023. (Photo via EPA)"
    day, evidence = infer_published(caption)
    assert day == dt.date(2023, 12, 27)
    assert len(evidence) < 100 and evidence.endswith("(Photo via EPA)'")
