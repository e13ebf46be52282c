"""Join rules of the clusterer: exact days found a happening, approximate ones and agreeing dates join it."""

from __future__ import annotations

import datetime as dt

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


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("the earthquake that struck Haiti", "the quake that struck Haiti"),
        ("the April 20 blowout of the well", "the April 20 explosion of the well"),
        ("BP capped the leaking well", "BP choked off the leaking well"),
        ("the well was plugged", "the well was capped"),
    ],
)
def test_news_names_for_one_happening_share_their_words(one: str, other: str) -> None:
    assert content_terms(one) == content_terms(other)


def test_a_mention_joins_the_cluster_its_date_agrees_with_before_one_it_would_contradict(mention) -> None:
    # the last report words the blast like the 18 April one but dates it 20 April: it joins the 20 April
    # cluster it agrees with rather than standing as a conflict of the one it resembles more
    mentions = [
        mention("a", "A blast on 18 April killed 11 workers and caused the worst disaster in US history.",
                "18 April", "2010-04-18"),
        mention("b", "The rig exploded on 20 April.", "20 April", "2010-04-20"),
        mention("c", "The blast on 20 April killed 11 workers and caused the worst disaster in US history.",
                "20 April", "2010-04-20"),
    ]  # fmt: skip
    clusterer = Clusterer(mentions)
    placed = {i: clusterer.add(i) for i in clusterer.visit_order(range(3))}
    assert placed[2] == placed[1] != placed[0]
    assert clusterer.clusters[placed[2]].members == [1, 2]


def test_an_approximate_day_agrees_with_the_exact_day_within_its_reach(mention, articles) -> None:
    from timeline.merge import merge_mentions

    mentions = [
        mention("a", "The Deepwater Horizon rig exploded on 20 April, killing 11 workers.", "20 April",
                "2010-04-20"),
        mention("b", "The Deepwater Horizon rig exploded on Tuesday, killing 11 workers.", "Tuesday",
                "2010-04-20"),
        mention("c", "The oil leak began more than a month ago, when a rig leased by BP exploded.",
                "more than a month ago", "2010-04-23"),
    ]  # fmt: skip
    (event,) = merge_mentions(mentions, articles)
    assert (event.start, event.end) == (dt.date(2010, 4, 20),) * 2
    assert [(c.article_id, c.start) for c in event.conflicts] == [("c", dt.date(2010, 4, 23))]
