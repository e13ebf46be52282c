"""Exact days found a happening's cluster before approximate ones ("nearly six weeks ago") join it."""

from __future__ import annotations

import pytest

from timeline.merge.cluster import Clusterer, approximate
from timeline.merge.text import content_terms


@pytest.mark.parametrize(
    ("sentence", "expression", "language"),
    [
        ("The rig exploded nearly six weeks ago.", "nearly six weeks ago", "en"),
        ("The talks ended about a month ago.", "about a month ago", "en"),
        ("The fire broke out some 40 days ago.", "some 40 days ago", "en"),
        ("La plataforma explotó hace casi seis semanas.", "hace casi seis semanas", "es"),
    ],
)
def test_hedged_or_coarsely_counted_days_are_approximate(mention, sentence, expression, language) -> None:
    m = mention("a", sentence, expression, "2010-04-18").model_copy(update={"language": language})
    assert approximate(m)


@pytest.mark.parametrize(
    ("sentence", "expression", "start", "granularity"),
    [
        ("The rig exploded on 20 April.", "20 April", "2010-04-20", "day"),
        ("The rig exploded last Tuesday.", "last Tuesday", "2010-04-20", "day"),
        ("The rig exploded three days ago.", "three days ago", "2010-04-20", "day"),
        # a week is its own granularity, not an approximate day
        ("The rig exploded about a week ago.", "about a week ago", "2010-04-19", "week"),
    ],
)
def test_exact_days_and_other_granularities_are_not(mention, sentence, expression, start, granularity):
    assert not approximate(mention("a", sentence, expression, start, granularity=granularity))


def test_an_exact_day_is_visited_before_an_earlier_approximate_one(mention) -> None:
    # the approximate reading lands two days early and its article sorts first: visited first, it would
    # found the cluster that the exact reports then join as conflicts, or split away from
    mentions = [
        mention("a", "The Deepwater Horizon rig exploded and sank nearly six weeks ago.",
                "nearly six weeks ago", "2010-04-18"),
        mention("b", "The Deepwater Horizon rig exploded on 20 April.", "20 April", "2010-04-20"),
        mention("c", "Talks on the spill resumed on 19 April.", "19 April", "2010-04-19"),
    ]  # fmt: skip
    assert Clusterer(mentions).visit_order(range(3)) == [2, 1, 0]


def test_an_explosion_and_a_rig_that_exploded_and_sank_share_their_words() -> None:
    explosion = content_terms("an explosion that sank the rig")
    assert set(explosion) == set(content_terms("the rig exploded and sunk"))
