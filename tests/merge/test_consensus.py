"""An event's date is the one most of its sources support; a disagreeing minority neither wins nor narrows."""

from __future__ import annotations

import datetime as dt

from timeline import Article, build_timeline
from timeline.merge.dates import consensus

D = dt.date


def _article(n: int, published: str, text: str) -> Article:
    return Article(id=f"a{n:02d}", text=text, published=published, source=f"outlet {n}")


def test_many_sources_on_one_day_outweigh_one_that_counts_back_to_another() -> None:
    # five reports date the rig explosion to 20 April; one late feature counts "six weeks ago" from
    # 1 June, which lands on 20 April's Tuesday week, and must not move or narrow the event's date
    reports = [
        _article(
            n,
            "2010-04-21",
            "The Deepwater Horizon drilling rig exploded on 20 April in the Gulf of Mexico, killing 11 "
            f"workers and setting off the oil spill, officials at the operator Transocean said (report {n}).",
        )
        for n in range(5)
    ]
    late = _article(
        9,
        "2010-06-01",
        "The Deepwater Horizon drilling rig exploded on April 18 in the Gulf of Mexico, killing 11 workers "
        "and setting off the oil spill, officials at the rig operator Transocean said.",
    )
    timeline = build_timeline([*reports, late])
    rig = [e for e in timeline.events if "Deepwater" in " ".join(s.sentence for s in e.sources)]
    dated = [e for e in rig if len({s.article_id for s in e.sources}) >= 5]
    assert len(dated) == 1
    event = dated[0]
    assert (event.start, event.end) == (D(2010, 4, 20), D(2010, 4, 20))
    assert event.date_support == 5
    assert all(c.article_id == "a09" for c in event.conflicts)


def test_a_tie_goes_to_the_day_more_sources_name_exactly(mention) -> None:
    # "last week" and "mid-July" hold both the day the cap went on and the day the well was shut; two
    # sources name the 15th, one the 12th: the week's vaguer reports must not tip it to the earlier day
    mentions = [
        mention("a", "BP installed the cap on July 12.", "July 12", "2010-07-12"),
        mention("b", "A cap put on earlier this week held.", "earlier this week", "2010-07-12", "2010-07-14"),
        mention("c", "The well was capped last week.", "last week", "2010-07-12", "2010-07-18", "week"),
        mention("d", "The well was capped on July 15.", "July 15", "2010-07-15"),
        mention("e", "BP shut the well on July 15.", "July 15", "2010-07-15"),
        mention("g", "The well was capped in mid-July.", "mid-July", "2010-07-11", "2010-07-20", "month"),
    ]
    # four articles hold each day (12th: a b c g; 15th: c d e g)
    assert consensus(mentions) == ((D(2010, 7, 15), D(2010, 7, 15)), 4)
