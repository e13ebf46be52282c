"""An event's date is the one most of its sources support; a disagreeing minority neither wins nor narrows."""

from __future__ import annotations

import datetime as dt

from timeline import Article, build_timeline

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
