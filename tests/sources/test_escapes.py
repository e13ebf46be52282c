"""JSON and HTML escapes left in article text are decoded at load time, and only complete ones."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.sources import clean_text, load_paths
from timeline.sources.escapes import decode_escapes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oversaw funds after 9\\/11 terror attacks", "Oversaw funds after 9/11 terror attacks"),
        ("HIV\\/Aids and\\/or 24\\/7", "HIV/Aids and/or 24/7"),
        ("the president\\u2019s plan", "the president\u2019s plan"),
        ('He said \\"no\\" twice', 'He said "no" twice'),
        ("a smile \\ud83d\\ude00 here", "a smile \U0001f600 here"),
        ("Barnes &amp; Noble", "Barnes & Noble"),
        ("it&#39;s and it&#x27;s", "it's and it's"),
        ("Caf&eacute; &ldquo;Paris&rdquo;", "Caf\u00e9 \u201cParis\u201d"),
        ("twice escaped: it&amp;#39;s", "twice escaped: it's"),
        ("first line\\nsecond line", "first line\nsecond line"),
    ],
)
def test_complete_escapes_are_decoded(text, expected):
    assert decode_escapes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "AT&T and R&D spending rose; Q&A at 5",
        "the &nosuchentity; stays",
        "a lone surrogate \\ud83d stays",
        "a path C:\\Users\\Ana and a regex \\d+",
        "5 & 6",
        "a text with neither",
    ],
)
def test_text_that_is_not_an_escape_stays(text):
    assert decode_escapes(text) == text


@given(st.text(alphabet=st.characters(blacklist_characters="\\&")))
def test_text_without_backslash_or_ampersand_is_returned_unchanged(text):
    assert decode_escapes(text) == text


def test_clean_text_decodes_before_it_looks_for_furniture():
    # "Share&nbsp;this&nbsp;article" is furniture only once its spaces are spaces
    text = "Share&nbsp;this&nbsp;article\nThe rig sank on 22 April."
    assert clean_text(text) == "The rig sank on 22 April."


def test_a_json_lines_article_loads_with_its_escapes_decoded(tmp_path):
    record = {
        "id": "e1",
        "title": "Fund chief&#39;s 9\\/11 role",
        "published": "2010-06-17",
        "text": "He oversaw the fund set up after the 9\\/11 attacks in 2001.\n"
        "BP &amp; Transocean said on Monday they would pay\\u2014eventually.",
    }
    path = tmp_path / "escaped.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    article = load_paths([path]).articles[0]
    assert article.title == "Fund chief's 9/11 role"
    assert article.text == (
        "He oversaw the fund set up after the 9/11 attacks in 2001.\n"
        "BP & Transocean said on Monday they would pay\u2014eventually."
    )
