"""Merging mentions into events: agreement, intersection, conflicts, stable ids, order, salience."""

from __future__ import annotations

import datetime as dt
import random

from timeline.merge import merge_mentions
from timeline.merge.dates import describe, intersect


def test_one_happening_in_three_articles_is_one_event(mention, articles) -> None:
    mentions = [
        mention(
            "a",
            "Blinken met Lopez Obrador in Mexico City on Wednesday for migration talks.",
            "Wednesday",
            "2023-12-27",
        ),
        mention(
            "b",
            "On Wednesday Lopez Obrador and Blinken held talks on migration at the palace.",
            "Wednesday",
            "2023-12-27",
        ),
        mention(
            "c",
            "The migration talks between Blinken and Lopez Obrador on Dec. 27 were long.",
            "Dec. 27",
            "2023-12-27",
        ),
        mention("d", "A caravan of migrants left Tapachula on Christmas Eve.", "Christmas Eve", "2023-12-24"),
    ]
    events = merge_mentions(mentions, articles)
    talks = [e for e in events if e.start == dt.date(2023, 12, 27)]
    assert len(talks) == 1
    assert {s.article_id for s in talks[0].sources} == {"a", "b", "c"}
    assert [e.start for e in events] == [dt.date(2023, 12, 24), dt.date(2023, 12, 27)]


def test_an_event_is_dated_by_the_interval_its_sources_agree_on(mention, articles) -> None:
    mentions = [
        mention(
            "a",
            "Earlier this month, US authorities closed two rail border crossings in Texas.",
            "Earlier this month",
            "2023-12-01",
            "2023-12-28",
            "month",
            "2023-12",
        ),
        mention(
            "b",
            "Last week the US closed two Texas rail crossings, the border authorities said.",
            "Last week",
            "2023-12-18",
            "2023-12-24",
            "week",
            "2023-W51",
        ),
    ]
    (event,) = merge_mentions(mentions, articles)
    assert (event.start, event.end) == (dt.date(2023, 12, 18), dt.date(2023, 12, 24))
    assert (event.granularity, event.value) == ("week", "2023-W51")
    assert not event.conflicts


def test_sources_whose_dates_cannot_both_be_true_are_kept_as_a_conflict(mention, articles) -> None:
    text = "Rebels seized the oil port of Ras Lanuf after heavy fighting with government troops"
    mentions = [
        mention("a", f"{text} on Monday.", "Monday", "2011-03-07"),
        mention("b", f"{text} on Monday, witnesses said.", "Monday", "2011-03-07"),
        mention("c", f"{text} on Tuesday.", "Tuesday", "2011-03-08"),
    ]
    (event,) = merge_mentions(mentions, articles)
    assert event.start == event.end == dt.date(2011, 3, 7)
    assert [c.article_id for c in event.conflicts] == ["c"]
    assert event.conflicts[0].start == dt.date(2011, 3, 8)
    assert "c" in {s.article_id for s in event.sources}


def test_unrelated_happenings_of_one_day_stay_apart(mention, articles) -> None:
    mentions = [
        mention(
            "a",
            "An earthquake of magnitude 7 struck Haiti near Port-au-Prince on Tuesday.",
            "Tuesday",
            "2010-01-12",
        ),
        mention(
            "b",
            "On Tuesday the central bank raised interest rates by a quarter point.",
            "Tuesday",
            "2010-01-12",
        ),
    ]
    assert len(merge_mentions(mentions, articles)) == 2


def test_words_of_the_date_itself_do_not_join_two_happenings(mention, articles) -> None:
    # both are dated by "Thanksgiving Day": the date is compared through the interval, not its words
    mentions = [
        mention(
            "a",
            "Retailers reported record online sales on Thanksgiving Day.",
            "Thanksgiving Day",
            "2023-11-23",
        ),
        mention(
            "b",
            "Storms grounded flights across the Midwest on Thanksgiving Day.",
            "Thanksgiving Day",
            "2023-11-23",
        ),
    ]
    assert len(merge_mentions(mentions, articles)) == 2


def test_ids_are_stable_across_runs_and_input_order(mention, articles) -> None:
    mentions = [
        mention(x, f"Protesters filled Tahrir Square in Cairo on {day} demanding change.", day, iso)
        for x, day, iso in [
            ("a", "Friday", "2011-01-28"),
            ("b", "Friday", "2011-01-28"),
            ("c", "Tuesday", "2011-01-25"),
        ]
    ]
    first = merge_mentions(mentions, articles)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    second = merge_mentions(shuffled, articles)
    assert [e.id for e in first] == [e.id for e in second]
    assert len({e.id for e in first}) == len(first)


def test_events_are_sorted_by_start_then_end(mention, articles) -> None:
    mentions = [
        mention(
            "a",
            "The spill reached the Louisiana coast in May 2010 and spread.",
            "May 2010",
            "2010-05-01",
            "2010-05-31",
            "month",
            "2010-05",
        ),
        mention(
            "b",
            "The Deepwater Horizon rig exploded on April 20, 2010 in the Gulf.",
            "April 20, 2010",
            "2010-04-20",
        ),
        mention(
            "c", "BP capped the well on July 15, 2010 after months of leaking.", "July 15, 2010", "2010-07-15"
        ),
        mention(
            "d",
            "Engineers tried a top kill in May, 2010 without success at all.",
            "May",
            "2010-05-01",
            "2010-05-31",
            "month",
            "2010-05",
        ),
    ]
    events = merge_mentions(mentions, articles)
    keys = [(e.start, e.end) for e in events]
    assert keys == sorted(keys)


def test_more_sources_and_a_busier_day_mean_more_salience(mention, articles) -> None:
    big = [
        mention(x, "Gaddafi was killed in Sirte on Thursday, fighters said.", "Thursday", "2011-10-20")
        for x in "abc"
    ]
    small = [mention("d", "A ship docked in Misrata on Friday with aid.", "Friday", "2011-10-21")]
    events = {e.start: e for e in merge_mentions(big + small, articles)}
    assert events[dt.date(2011, 10, 20)].salience > events[dt.date(2011, 10, 21)].salience


def test_describe_names_calendar_units() -> None:
    d = dt.date
    assert describe((d(2023, 12, 27), d(2023, 12, 27)), []) == ("day", "2023-12-27")
    assert describe((d(2023, 12, 18), d(2023, 12, 24)), []) == ("week", "2023-W51")
    assert describe((d(2023, 12, 1), d(2023, 12, 31)), []) == ("month", "2023-12")
    assert describe((d(2024, 1, 1), d(2024, 12, 31)), []) == ("year", "2024")
    assert intersect((d(2023, 12, 1), d(2023, 12, 28)), (d(2023, 12, 18), d(2023, 12, 24))) == (
        d(2023, 12, 18),
        d(2023, 12, 24),
    )
    assert intersect((d(2023, 12, 1), d(2023, 12, 5)), (d(2023, 12, 6), d(2023, 12, 7))) is None


def test_no_mentions_no_events(articles) -> None:
    assert merge_mentions([], articles) == []


def test_a_minor_event_of_a_busy_day_ranks_below_the_days_leading_event(mention, articles) -> None:
    quake = [
        mention(
            x,
            "A magnitude 7 earthquake struck Haiti near Port-au-Prince on Tuesday.",
            "Tuesday",
            "2010-01-12",
        )
        for x in "abc"
    ]
    minor = [
        mention(
            "d", "On Tuesday a British charity opened a fundraising line in London.", "Tuesday", "2010-01-12"
        )
    ]
    events = sorted(merge_mentions(quake + minor, articles), key=lambda e: -e.salience)
    assert len(events) == 2
    assert {s.article_id for s in events[0].sources} == {"a", "b", "c"}
    # the day's evidence is the leading event's; the minor one keeps only its share
    assert events[1].salience < 0.75 * events[0].salience


def test_a_bare_noun_beside_its_date_does_not_title_the_event(mention, articles) -> None:
    # "the January 25 protest" is the event's most central mention, but "Protest" tells no one what happened
    noun = mention("a", "Police broke up the January 25 protest in Cairo.", "January 25", "2011-01-25")
    noun = noun.model_copy(update={"clause": "the January 25 protest"})
    mentions = [
        noun,
        mention("b", "Thousands of protesters marched in Cairo on January 25.", "January 25", "2011-01-25"),
    ]
    [event] = merge_mentions(mentions, articles)
    assert event.title == "Thousands of protesters marched in Cairo"


def test_a_page_stamp_that_dates_the_title_leaves_no_clock_behind(mention, articles) -> None:
    # a flattened page glued its stamp to the lead; the stamp's day dates the mention, and the title is
    # the lead without the whole stamp, not "00.00 BST In June 1971, ..."
    sentence = "Monday 9 May 2005 00.00 BST Colonel David Hackworth criticised the conduct of the war."
    [event] = merge_mentions([mention("a", sentence, "Monday 9 May 2005", "2005-05-09")], articles)
    assert event.title == "Colonel David Hackworth criticised the conduct of the war"
    assert event.summary == "Colonel David Hackworth criticised the conduct of the war."


def test_a_title_takes_the_lead_after_a_glued_stamp_unless_the_date_is_the_headlines(
    mention, articles
) -> None:
    sentence = (
        "BP survival fears as cost of spill soars Monday 14 June 2010 21.52 BST The board of BP have been "
        "meeting to discuss whether to suspend the dividend."
    )
    [event] = merge_mentions([mention("a", sentence, "Monday 14 June 2010", "2010-06-14")], articles)
    assert event.title == "The board of BP have been meeting to discuss whether to suspend the dividend"
    assert event.summary == (
        "BP survival fears as cost of spill soars. The board of BP have been meeting to discuss whether to "
        "suspend the dividend."
    )
    headline = (
        "Iraqis vote on 15 October Monday 10 October 2005 12.00 BST Iraqis will go to the polls next week."
    )
    [event] = merge_mentions([mention("b", headline, "15 October", "2005-10-15")], articles)
    assert event.title.startswith("Iraqis vote. Iraqis will go")
