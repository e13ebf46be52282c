"""Reader comments under a story never reach the timeline: the thread goes from its first header on."""

from pathlib import Path

from timeline import build_timeline
from timeline.sources import load_paths

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "comments.jsonl"


def test_comment_threads_are_cut_at_load_time():
    articles = {a.id: a for a in load_paths([PAGE]).articles}
    assert articles["hys-1"].text.splitlines()[-1] == "Thank you for your comments."
    assert "wrote" not in articles["hys-1"].text
    assert articles["wire-1"].text.splitlines()[-1].startswith("(Editing by Jane Roe)")


def test_no_event_or_summary_comes_from_a_reader_comment():
    timeline = build_timeline(load_paths([PAGE]).articles)
    sentences = sorted(source.sentence for event in timeline.events for source in event.sources)
    assert sentences == [
        'He has called it "British Petroleum" since the rig exploded on 20 April.',
        "LONDON (Wire) - BP shares fell 5% on Wednesday after the US criticised the company.",
        "Mr Obama criticised BP over the spill on Wednesday.",
    ]
    # the comments' own days (Monday, Tuesday, Friday) date nothing
    assert {str(event.start) for event in timeline.events} == {"2010-04-20", "2010-06-09"}
    assert {event.summary for event in timeline.events} <= set(sentences)
