"""Day signals: a day an article's own timeline lists counts as a journalist's choice."""

import datetime as dt

from timeline.events import extract_mentions
from timeline.merge.salience import DaySignals, SalienceWeights
from timeline.models import Article

FACTBOX = (
    "Here is a timeline of the conflict.\n"
    "March 19 - The first air strikes halt an advance of government forces on the eastern city.\n"
    "March 30 - The foreign minister defects and flies to London on a private plane.\n"
    "April 30 - A missile attack on a house in the capital kills the leader's youngest son.\n"
)
STAMPS = (
    "24th June 2011 - 13:38 I take it there will soon be air strikes to protect the civilians.\n"
    "24th June 2011 - 20:55 My heart goes out to the people of the country and their desire.\n"
    "25th June 2011 - 09:10 The rebels did not stop creating stories that lack any credibility.\n"
)


def _signals(*texts: str) -> DaySignals:
    articles = [
        Article(id=f"a{n}", text=text, published="2011-08-22T09:00:00Z") for n, text in enumerate(texts)
    ]
    mentions = [m for a in articles for m in extract_mentions(a)]
    return DaySignals.of(mentions, articles)


def test_days_of_an_in_article_timeline_are_listed_and_score_higher():
    days = _signals(FACTBOX)
    listed = {dt.date(2011, 3, 19), dt.date(2011, 3, 30), dt.date(2011, 4, 30)}
    assert set(days.listed) == listed
    plain = _signals(FACTBOX.replace(" - ", " saw this: "))
    w = SalienceWeights()
    assert days.score(dt.date(2011, 4, 30), w) > plain.score(dt.date(2011, 4, 30), w)


def test_two_entries_are_no_timeline_and_clock_stamps_are_no_entries():
    two = "".join(FACTBOX.splitlines(keepends=True)[:3])
    assert not _signals(two).listed
    assert not _signals(STAMPS).listed
