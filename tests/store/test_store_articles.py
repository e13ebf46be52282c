"""Articles keyed by (feed, entry) and the mentions extracted from them, on every configured backend."""

from __future__ import annotations

import datetime as dt

import pytest
from store_helpers import make_article, make_mention

from timeline.errors import InputError
from timeline.store import Store, article_id, entry_key, in_story, keyword_pattern


@pytest.fixture
def feed_id(store: Store) -> int:
    return store.add_feed("http://127.0.0.1:9/rss").id


def test_entry_key_prefers_guid_then_link_then_content_hash() -> None:
    assert entry_key("urn:1", "http://x/a", "text") == "urn:1"
    assert entry_key("  ", "http://x/a", "text") == "http://x/a"
    hashed = entry_key(None, None, "text")
    assert hashed.startswith("sha256:") and hashed == entry_key("", "", "text") != entry_key(
        None, None, "other"
    )


def test_article_ids_are_stable_and_scoped_to_their_feed(store: Store, feed_id: int) -> None:
    other = store.add_feed("http://127.0.0.1:9/atom").id
    store.upsert_article(feed_id, "guid-1", make_article("Same entry in two feeds."))
    store.upsert_article(other, "guid-1", make_article("Same entry in two feeds."))
    ids = sorted(a.id for a in store.articles())
    assert ids == sorted([article_id(feed_id, "guid-1"), article_id(other, "guid-1")])
    assert ids[0] != ids[1] and article_id(feed_id, "guid-1") == article_id(feed_id, "guid-1")


def test_duplicate_is_unchanged_and_changed_entry_updates_the_same_row(store: Store, feed_id: int) -> None:
    article = make_article("Talks resumed on Tuesday.")
    assert store.upsert_article(feed_id, "g", article) == "new"
    assert store.upsert_article(feed_id, "g", article.model_copy(update={"id": "whatever"})) == "unchanged"
    assert (
        store.upsert_article(feed_id, "g", article.model_copy(update={"text": "Talks resumed Monday."}))
        == "updated"
    )
    (stored,) = store.articles()
    assert stored.id == article_id(feed_id, "g") and stored.text == "Talks resumed Monday."
    assert store.list_feeds()[0].articles == 1


def test_upsert_for_unknown_feed_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="no feed"):
        store.upsert_article(12345, "g", make_article("x"))


def test_times_come_back_aware_utc(store: Store, feed_id: int) -> None:
    store.upsert_article(feed_id, "g", make_article("x", published="2023-12-27T23:30:00-05:00"))
    (stored,) = store.articles()
    assert stored.published == dt.datetime(2023, 12, 28, 4, 30, tzinfo=dt.UTC)
    assert stored.published.utcoffset() == dt.timedelta(0)


def test_articles_are_ordered_by_publication_with_undated_last(store: Store, feed_id: int) -> None:
    store.upsert_article(feed_id, "c", make_article("undated", published=None))
    store.upsert_article(feed_id, "b", make_article("later", published="2024-01-02"))
    store.upsert_article(feed_id, "a", make_article("earlier", published="2023-12-30"))
    assert [a.text for a in store.articles()] == ["earlier", "later", "undated"]


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        ([], {"ceasefire", "gaza", "other"}),
        (["Gaza"], {"gaza"}),
        (["gaz"], set()),
        (["CEASE-FIRE", "gaza"], {"gaza"}),
        (["truce talks"], {"ceasefire"}),
        (["  ", "talks"], {"ceasefire"}),
    ],
)
def test_story_keywords_match_whole_words_case_insensitively(
    store: Store, feed_id: int, keywords: list[str], expected: set[str]
) -> None:
    store.upsert_article(feed_id, "ceasefire", make_article("The TRUCE\ntalks stalled.", title="ceasefire"))
    store.upsert_article(
        feed_id, "gaza", make_article("Aid entered Gaza's south; Gazans waited.", title="gaza")
    )
    store.upsert_article(feed_id, "other", make_article("Markets rose; a gazebo fell.", title="other"))
    assert {a.title for a in store.articles(keywords=keywords)} == expected


def test_mentions_are_replaced_per_article_and_read_back_in_order(store: Store, feed_id: int) -> None:
    store.upsert_article(feed_id, "a", make_article("a"))
    store.upsert_article(feed_id, "b", make_article("b"))
    a, b = article_id(feed_id, "a"), article_id(feed_id, "b")
    store.save_mentions(a, [make_mention("elsewhere", "2023-12-25"), make_mention(a, "2023-12-26")])
    store.save_mentions(b, [make_mention(b, "2023-12-20")])
    store.save_mentions(a, [make_mention(a, "2023-12-24"), make_mention(a, "2023-12-23")])
    assert [m.value for m in store.mentions_for([a])] == ["2023-12-24", "2023-12-23"]
    assert all(m.article_id == a for m in store.mentions_for([a]))
    assert len(store.all_mentions()) == 3 and store.mentions_for([]) == []
    with pytest.raises(InputError, match="no article"):
        store.save_mentions("missing:0", [])


def test_extraction_is_needed_for_new_and_changed_articles_only(store: Store, feed_id: int) -> None:
    store.upsert_article(feed_id, "a", make_article("first"))
    a = article_id(feed_id, "a")
    assert [x.id for x in store.articles_needing_extraction()] == [a]
    store.save_mentions(a, [])
    assert store.articles_needing_extraction() == []
    store.upsert_article(feed_id, "a", make_article("first"))
    assert store.articles_needing_extraction() == []
    store.upsert_article(feed_id, "a", make_article("first, corrected"))
    assert [x.id for x in store.articles_needing_extraction()] == [a]
    store.upsert_article(feed_id, "a", make_article("again"), mentions=[make_mention(a, "2024-01-01")])
    assert store.articles_needing_extraction() == [] and len(store.mentions_for([a])) == 1


def test_removing_a_feed_removes_its_articles_and_mentions(store: Store, feed_id: int) -> None:
    store.upsert_article(feed_id, "a", make_article("a"), mentions=[make_mention("x", "2023-12-25")])
    store.remove_feed(feed_id)
    assert store.articles() == [] and store.all_mentions() == []


def test_many_mentions_lookups_are_chunked(store: Store, feed_id: int) -> None:
    for n in range(3):
        store.upsert_article(
            feed_id, f"e{n}", make_article(f"t{n}"), mentions=[make_mention("x", "2023-12-25")]
        )
    ids = [article_id(feed_id, f"e{n}") for n in range(3)] + [f"absent:{n}" for n in range(1200)]
    assert len(store.mentions_for(ids)) == 3


def test_worker_threads_share_one_store(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    feeds = [store.add_feed(f"http://h/{n}") for n in range(4)]

    def work(feed_id: int) -> list[str]:
        outcomes = []
        for n in range(15):
            outcomes.append(store.upsert_article(feed_id, f"e{n}", make_article(f"text {n}")))
            store.record_poll(feed_id, status=200, next_check_at=dt.datetime.now(dt.UTC))
        return outcomes

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, [f.id for f in feeds]))
    assert all(r == ["new"] * 15 for r in results)
    assert sorted(f.articles for f in store.list_feeds()) == [15] * 4


def test_naive_datetimes_are_refused(store: Store, feed_id: int) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        store.record_poll(feed_id, status=200, next_check_at=dt.datetime(2026, 1, 1))


def test_overlong_entry_keys_are_stored_by_hash(store: Store, feed_id: int) -> None:
    guid = "urn:x:" + "g" * 5000
    key = entry_key(guid, None, "text")
    assert key.startswith("sha256:") and key == entry_key(guid + "  ", "http://x/a", "other")
    assert store.upsert_article(feed_id, guid, make_article("long guid")) == "new"
    assert store.upsert_article(feed_id, key, make_article("long guid")) == "unchanged"
    assert [a.id for a in store.articles()] == [article_id(feed_id, guid)] == [article_id(feed_id, key)]


def test_the_sql_prefilter_never_drops_a_story_article(store: Store) -> None:
    feed = store.add_feed("http://h/rss")
    texts = {
        "a": "GAZA's crossings reopened.",
        "b": "The border\n  crossing was shut.",
        "c": "Gazans waited.",  # not a whole word
        "d": "Crossing the border at MÉXICO city.",
        "e": "Nothing to see; 100% of it_ and %gaza_ in odd characters.",
    }
    for key, text in texts.items():
        store.upsert_article(feed.id, key, make_article(text, title=None))
    for keywords in (["gaza"], ["border crossing"], ["México"], ["gaza", "border crossing"], ["100%"]):
        everything = store.articles()
        pattern = keyword_pattern(keywords)
        expected = sorted(a.text for a in everything if in_story(pattern, a))
        assert sorted(a.text for a in store.articles(keywords=keywords)) == expected, keywords
        pending = store.articles_needing_extraction(keywords=keywords)
        assert sorted(a.text for a in pending) == expected, keywords


def test_the_language_basis_is_kept(store: Store) -> None:
    feed = store.add_feed("http://h/rss")
    article = make_article("Las conversaciones se reanudaron.").model_copy(
        update={"language": "es", "language_basis": "detected"}
    )
    store.upsert_article(feed.id, "es-1", article)
    (stored,) = store.articles()
    assert (stored.language, stored.language_basis) == ("es", "detected")


def test_article_versions_move_with_content_and_extraction_only(store: Store, feed_id: int) -> None:
    story = ["storydesk"]
    store.upsert_article(feed_id, "a", make_article("Storydesk: talks resumed.", published="2023-12-28"))
    store.upsert_article(feed_id, "b", make_article("Storydesk: crossings reopened.", published="2023-12-27"))
    store.upsert_article(feed_id, "c", make_article("Nothing on the story here."))
    store.upsert_article(
        feed_id, "d", make_article("A storydesks item: a prefilter match only.", published="2023-12-29")
    )
    versions = dict(store.article_versions(keywords=story))
    # the order and the prefilter of `articles`; `in_story` is left to the reader
    assert [aid for aid, _ in store.article_versions(keywords=story)] == [
        article_id(feed_id, "b"),
        article_id(feed_id, "a"),
        article_id(feed_id, "d"),
    ]
    assert [a.id for a in store.articles(keywords=story)] == [
        article_id(feed_id, "b"),
        article_id(feed_id, "a"),
    ]
    a = article_id(feed_id, "a")
    store.upsert_article(feed_id, "a", make_article("Storydesk: talks resumed.", published="2023-12-28"))
    assert dict(store.article_versions(keywords=story)) == versions  # stored again unchanged
    assert store.save_mentions(a, [make_mention(a, "2023-12-27")])
    extracted = dict(store.article_versions(keywords=story))
    assert extracted[a] != versions[a] and {k: v for k, v in extracted.items() if k != a} == {
        k: v for k, v in versions.items() if k != a
    }
    store.upsert_article(
        feed_id, "a", make_article("Storydesk: talks resumed at noon.", published="2023-12-28")
    )
    assert dict(store.article_versions(keywords=story))[a] not in (versions[a], extracted[a])
    found = store.articles_by_id([a, article_id(feed_id, "c"), "no-such-id"])
    assert sorted(found) == sorted([a, article_id(feed_id, "c")])
    assert found[a].text == "Storydesk: talks resumed at noon." and found[a] == store.article(a)
