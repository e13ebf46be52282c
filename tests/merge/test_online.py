"""OnlineMerger: a fresh one is the batch merge; updates keep the story and touch only what changed."""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.events import extract_mentions
from timeline.merge import merge_mentions
from timeline.merge.cluster import holders
from timeline.merge.events import day_signals, to_event
from timeline.merge.online import OnlineMerger
from timeline.merge.salience import DaySignals
from timeline.merge.summary import with_support_and_summary
from timeline.merge.support import CandidateCache, find_support, pick_support, support_state
from timeline.models import Article, Event, Mention
from timeline.sources import load_paths

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
D = dt.date
NEVER = math.inf  # a refit share no test update reaches: every update stays incremental


@pytest.fixture(scope="module")
def seeds() -> list[tuple[Article, list[Mention]]]:
    """The seed articles, oldest first, each with its extracted mentions."""
    articles = sorted(load_paths([SEEDS]).articles, key=lambda a: (a.anchor or D.min, a.id))
    return [(a, extract_mentions(a)) for a in articles]


def _flat(pairs: list[tuple[Article, list[Mention]]]) -> list[Mention]:
    return [m for _a, found in pairs for m in found]


def _says(event: Event, pattern: str) -> bool:
    return any(re.search(pattern, s.sentence, re.I) for s in event.sources)


def _articles(event: Event) -> set[str]:
    return {s.article_id for s in event.sources if not s.supporting}


def _sources(events: list[Event]) -> set[tuple[str, int | None, str]]:
    """The dated sources: supporting ones follow the clusters' text, which greedy order may change."""
    return {(s.article_id, s.start_char, s.sentence) for e in events for s in e.sources if not s.supporting}


def test_a_fresh_merger_gives_exactly_the_batch_merge(seeds) -> None:
    articles, mentions = [a for a, _ in seeds], _flat(seeds)
    assert OnlineMerger(articles, mentions).events() == merge_mentions(mentions, articles)


def test_adding_the_seeds_one_by_one_keeps_the_story_and_touches_only_affected_events(seeds) -> None:
    (first, found), *rest = seeds
    merger = OnlineMerger([first], found, refit_share=NEVER)
    for article, mentions in rest:
        before = {e.id: e for e in merger.events()}
        result = merger.update([article], {article.id: mentions})
        after = merger.events()
        assert not result.refit
        # every event that differs was re-derived; the others were left alone, and not all were redone
        differing = [e for e in after if before.get(e.id) != e]
        assert len(differing) <= result.rebuilt < len(after)
    events = merger.events()
    assert _sources(events) == _sources(merge_mentions(_flat(seeds), [a for a, _ in seeds]))
    on_27 = [e for e in events if e.start == e.end == D(2023, 12, 27)]
    talks = [e for e in on_27 if _says(e, r"\b(talks|met|meeting|deals)\b")]
    assert max(len(_articles(e)) for e in talks) >= 3
    (tapachula,) = [e for e in events if _says(e, r"Tapachula") and e.start == e.end]
    (chiapas,) = [e for e in events if _says(e, r"Chiapas") and e.start == e.end]
    assert (tapachula.start, chiapas.start) == (D(2023, 12, 24), D(2023, 12, 26))
    assert tapachula.id != chiapas.id
    assert events == sorted(events, key=lambda e: (e.start, e.end, -e.salience, e.id))


def test_removing_an_article_removes_exactly_its_sources(seeds) -> None:
    articles, mentions = [a for a, _ in seeds], _flat(seeds)
    merger = OnlineMerger(articles, mentions, refit_share=NEVER)
    before = _sources(merger.events())
    gone = seeds[2][0].id
    result = merger.update([], {}, removed=[gone])
    assert not result.refit
    after = _sources(merger.events())
    assert after == {s for s in before if s[0] != gone}
    assert result.rebuilt < len(merger.events())


def test_an_update_re_derives_only_the_changed_article_s_events(seeds) -> None:
    articles, mentions = [a for a, _ in seeds], _flat(seeds)
    merger = OnlineMerger(articles, mentions, refit_share=NEVER)
    before = {e.id: e for e in merger.events()}
    article, found = seeds[-1]
    # the same article again, cut to its first mention: a changed article, most of its events go
    result = merger.update([article], {article.id: found[:1]})
    after = merger.events()
    assert not result.refit
    assert {s for s in _sources(after) if s[0] == article.id} == _sources(
        [e for e in merge_mentions(found[:1], [article])]
    )
    untouched = [e for e in after if article.id not in _articles(e) and before.get(e.id) == e]
    assert len(untouched) + result.rebuilt >= len(after)
    assert result.rebuilt <= len({e.id for e in after} - set(before)) + sum(
        1 for e in after if e.start == e.end
    )


def test_drift_past_the_refit_share_re_merges_in_full(seeds) -> None:
    (first, found), *rest = seeds
    merger = OnlineMerger([first], found, refit_share=0.25)
    result = merger.update([a for a, _ in rest], {a.id: m for a, m in rest})
    assert result.refit
    articles, mentions = [a for a, _ in seeds], _flat(seeds)
    by_id = sorted(seeds, key=lambda pair: pair[0].id)
    assert merger.events() == merge_mentions(_flat(by_id), articles)
    assert merger.mention_count == len(mentions)
    # a small change afterwards stays incremental
    article, again = seeds[0]
    assert not merger.update([article], {article.id: again[:2]}).refit


def test_a_refit_never_holds_the_old_merge_beside_the_new_one(seeds) -> None:
    # the seeds as eight wire copies: a merge whose state dwarfs what the interpreter allocates aside
    articles, mentions = [], []
    for n in range(8):
        for article, found in seeds:
            copy = article.model_copy(update={"id": f"{article.id}-{n}"})
            articles.append(copy)
            mentions += [m.model_copy(update={"article_id": copy.id}) for m in found]
    gc.collect()
    tracemalloc.start()
    try:
        merger = OnlineMerger(articles, mentions)
        before = len(merger.events())
        held, _peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        merger.refit()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(merger.events()) == before
    # building the new merge beside the old one took a third more than the merge itself
    assert peak - held < 0.1 * held


def test_the_index_files_a_lone_cluster_as_its_number_not_as_a_set(seeds) -> None:
    # most terms of a block are one cluster's: a one-element set each was 85 MB of a 5,000-article story
    merger = OnlineMerger([a for a, _ in seeds], _flat(seeds))
    held = [ids for postings in merger.clusterer.index.values() for ids in postings.values()]
    lone = [ids for ids in held if isinstance(ids, int)]
    assert lone and len(lone) > len(held) / 2
    assert all(len(ids) > 1 for ids in held if isinstance(ids, set))


def test_an_added_article_without_its_article_is_refused(seeds) -> None:
    article, found = seeds[0]
    merger = OnlineMerger([], [])
    with pytest.raises(ValueError, match="no Article"):
        merger.update([], {article.id: found})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["add", "remove", "cut"])), max_size=8))
def test_no_event_is_ever_stale_and_every_mention_is_cited_once(seeds, steps) -> None:
    """Whatever the sequence of changes, the kept events are what deriving every cluster afresh gives."""
    merger = OnlineMerger([seeds[0][0]], seeds[0][1], refit_share=NEVER)
    for n, action in steps:
        article, found = seeds[n]
        if action == "remove":
            merger.update([], {}, removed=[article.id])
        else:
            merger.update([article], {article.id: found if action == "add" else found[::2]})
    clusterer = merger.clusterer
    live: list[Mention] = clusterer.mentions  # type: ignore[assignment]
    derived = _derived_afresh(merger)
    assert merger.events() == derived
    days = merger.days
    fresh = DaySignals.of([m for m in live if m], list(merger.articles.values()))
    for name in ("refs", "retrospective", "published", "anchors"):
        assert getattr(days, name) == getattr(fresh, name)
    cited = sorted(
        (s.article_id, s.start_char or 0, s.sentence) for e in derived for s in e.sources if not s.supporting
    )
    held = sorted((m.article_id, m.expression.start_char, m.sentence) for m in live if m is not None)
    assert cited == held
    # the inverted index names exactly the live clusters, under their own terms
    indexed = {
        cid for postings in clusterer.index.values() for term in postings for cid in holders(postings, term)
    }
    assert indexed == {cid for cid, c in enumerate(clusterer.clusters) if c.members}


def _derived_afresh(merger: OnlineMerger) -> list[Event]:
    clusterer = merger.clusterer
    live: list[Mention] = clusterer.mentions  # type: ignore[assignment]
    days, weights = merger.days, merger.weights
    support = find_support(support_state(clusterer, merger.articles.values()))
    derived = [
        with_support_and_summary(
            to_event(c, live, clusterer.vectors, days, weights),
            support.get(cid, []),
            c.centroid,
            clusterer.tfidf,
            days.anchors,
        )
        for cid, c in enumerate(clusterer.clusters)
        if c.members
    ]
    return sorted(derived, key=lambda e: (e.start, e.end, -e.salience, e.id))


@pytest.mark.parametrize("late", range(5))
def test_an_article_arriving_last_re_scores_the_other_events_of_its_days(seeds, late) -> None:
    """Its mentions change the day signals, so one-day events it did not join are re-derived too."""
    rest = [pair for n, pair in enumerate(seeds) if n != late]
    merger = OnlineMerger([a for a, _ in rest], _flat(rest), refit_share=NEVER)
    article, found = seeds[late]
    result = merger.update([article], {article.id: found})
    assert merger.events() == _derived_afresh(merger)
    assert 0 < result.rebuilt < len(merger.events())


RAS_LANUF = "Rebels seized the oil port of Ras Lanuf after heavy fighting with government troops"


def _monday_pair_and_a_tuesday(mention) -> list:
    """Two articles date the seizure of Ras Lanuf to Monday; a third says Tuesday (a conflict)."""
    return [
        mention("a", f"{RAS_LANUF} on Monday.", "Monday", "2011-03-07"),
        mention("b", f"{RAS_LANUF} on Monday, witnesses said.", "Monday", "2011-03-07"),
        mention("c", f"{RAS_LANUF} on Tuesday.", "Tuesday", "2011-03-08"),
    ]


def _shape(events: list[Event]) -> list[tuple]:
    """What an event says, apart from its id and salience (which follow the IDF of the last full fit)."""
    return sorted(
        (e.start, e.end, sorted(s.article_id for s in e.sources), sorted(c.article_id for c in e.conflicts))
        for e in events
    )


def test_a_cluster_keeps_its_conflict_when_its_founder_leaves(mention, articles) -> None:
    mentions = _monday_pair_and_a_tuesday(mention)
    merger = OnlineMerger(articles, mentions, refit_share=NEVER)
    assert _shape(merger.events()) == [(D(2011, 3, 7), D(2011, 3, 7), ["a", "b", "c"], ["c"])]
    merger.update([], {}, removed=["a"])
    assert _shape(merger.events()) == _shape(merge_mentions(mentions[1:], articles))
    (event,) = merger.events()
    # the conflict still counts in what the event is about
    assert event.summary.startswith(RAS_LANUF)
    kept, vectors = merger.clusterer.clusters[0], merger.clusterer.vectors
    expected = {t: vectors[1].get(t, 0.0) + vectors[2].get(t, 0.0) for t in {*vectors[1], *vectors[2]}}
    assert kept.centroid.keys() == expected.keys()
    assert all(math.isclose(kept.centroid[t], w) for t, w in expected.items())


def test_a_conflict_left_alone_becomes_its_own_event(mention, articles) -> None:
    mentions = _monday_pair_and_a_tuesday(mention)
    merger = OnlineMerger(articles, mentions, refit_share=NEVER)
    result = merger.update([], {}, removed=["a", "b"])
    assert _shape(merger.events()) == [(D(2011, 3, 8), D(2011, 3, 8), ["c"], [])]
    assert result.rebuilt == 1
    # a later source of the first date meets it by the same join rule: the dates disagree, so a conflict
    late = mention("d", f"{RAS_LANUF} on Monday, officials said.", "Monday", "2011-03-07")
    merger.update([a for a in articles if a.id == "d"], {"d": [late]})
    assert _shape(merger.events()) == [(D(2011, 3, 8), D(2011, 3, 8), ["c", "d"], ["d"])]


@pytest.fixture(scope="module")
def wire(seeds) -> list[tuple[Article, list[Mention]]]:
    """The seeds again as wire copies: each republished the next day and, as a story of its own,
    forty days later (every copy anchored and extracted afresh), so updates meet many articles near
    the same events and others far from them."""
    copies = []
    for shift in (1, 40):
        for article, _found in seeds:
            assert article.published is not None
            copy = article.model_copy(
                update={
                    "id": f"{article.id}+{shift}",
                    "published": article.published + dt.timedelta(days=shift),
                }
            )
            copies.append((copy, extract_mentions(copy)))
    return [*seeds, *copies]


def _fresh_picks(merger: OnlineMerger) -> dict:
    state = support_state(merger.clusterer, merger.articles.values())
    return pick_support(state, state.articles, CandidateCache())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.sets(st.integers(0, 14), min_size=3, max_size=12),
    steps=st.lists(st.tuples(st.integers(0, 14), st.sampled_from(["add", "remove", "cut"])), max_size=6),
)
def test_incremental_support_on_wire_copies_is_what_picking_afresh_gives(wire, start, steps) -> None:
    """Support kept per sentence and re-scored only against changed events equals picking it afresh."""
    first = [wire[n] for n in sorted(start)]
    merger = OnlineMerger([a for a, _ in first], _flat(first), refit_share=NEVER)
    for n, action in steps:
        article, found = wire[n]
        if action == "remove":
            merger.update([], {}, removed=[article.id])
        else:
            merger.update([article], {article.id: found if action == "add" else found[1::2]})
    assert merger.events() == _derived_afresh(merger)
    assert merger._picks == _fresh_picks(merger)
    clusterer = merger.clusterer
    live = [m for m in clusterer.mentions if m is not None]
    fresh = day_signals(
        live, list(merger.articles.values()), clusterer.clusters, merger.weights, slots=clusterer.mentions
    )
    assert merger.days == fresh


def test_an_article_far_from_the_others_re_picks_only_its_neighbours(wire) -> None:
    near, far = wire[:10], wire[10:]
    merger = OnlineMerger([a for a, _ in near + far[1:]], _flat(near + far[1:]), refit_share=NEVER)
    article, found = far[0]
    result = merger.update([article], {article.id: found})
    assert merger.events() == _derived_afresh(merger)
    # the first story's articles reach the new article's events only through shared coarse dates
    # ("December"): most of them are not picked again
    assert 1 <= result.repicked < len(near)
    assert any(s.supporting for e in merger.events() for s in e.sources)
