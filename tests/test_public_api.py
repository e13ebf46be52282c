"""The names a user imports from `timeline` resolve to the working pipeline (a small public face)."""

import datetime as dt

import timeline


def test_every_public_name_resolves():
    for name in timeline.__all__:
        assert getattr(timeline, name) is not None, name


def test_tag_and_build_from_the_package_root():
    expressions = timeline.tag("The talks were held on 27 December 2023.", dt.date(2023, 12, 28))
    assert [(e.text, e.start, e.end) for e in expressions] == [
        ("27 December 2023", dt.date(2023, 12, 27), dt.date(2023, 12, 27))
    ]
    article = timeline.Article(
        id="a1",
        text="Officials met in Mexico City on 27 December 2023 to discuss migration.",
        published="2023-12-28",
    )
    built = timeline.build_timeline([article])
    assert isinstance(built, timeline.Timeline)
    assert [(e.start, e.end) for e in built.events] == [(dt.date(2023, 12, 27), dt.date(2023, 12, 27))]
    assert built.events[0].sources[0].article_id == "a1"
