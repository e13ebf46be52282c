"""Every rule of data/newsworthy.toml against its own examples, and the rules at work in a build."""

import datetime as dt

import pytest

from timeline import Article, build_timeline
from timeline.events import split_sentences
from timeline.events.newsworthy import is_newsworthy, joints, newsworthy_table, why_not_news

TABLE = newsworthy_table()
RULES = TABLE["rule"]
REFUSED = [pytest.param(text, rule["name"], id=f"{rule['name']}-{n}") for rule in RULES
           for n, text in enumerate(rule["not_news"])]  # fmt: skip
ACCEPTED = [pytest.param(text, id=f"{rule['name']}-{n}") for rule in RULES
            for n, text in enumerate(rule["news"])]  # fmt: skip


@pytest.mark.parametrize(("sentence", "rule"), REFUSED)
def test_each_rule_refuses_its_examples(sentence, rule):
    assert why_not_news(sentence) == rule


@pytest.mark.parametrize("sentence", ACCEPTED)
def test_near_misses_are_news(sentence):
    assert why_not_news(sentence) is None


def test_every_rule_has_examples_both_ways():
    for rule in RULES:
        assert rule["not_news"] and rule["news"], rule["name"]


@pytest.mark.parametrize("case", TABLE["joints"]["split"], ids=lambda c: c["text"][:30])
def test_a_headline_run_into_a_sentence_is_cut_off(case):
    spans = split_sentences(case["text"])
    assert [case["text"][s:e] for s, e in spans] == case["result"]
    assert not is_newsworthy(case["text"])


@pytest.mark.parametrize("sentence", TABLE["joints"]["whole"])
def test_capitalised_openers_inside_names_and_titles_are_no_joint(sentence):
    assert list(joints(sentence)) == []
    assert [sentence[s:e] for s, e in split_sentences(sentence)] == [sentence]


LIVE_PAGE = "\n".join(
    [
        "BP caps leaking well The cap was fitted over the well on Thursday, officials said.",
        "Is this the end of the spill on Thursday?",
        "At 1:48 pm on 15 Jul 2010, Tiger1963 wrote: I said it would be capped by Thursday.",
        'depeche68 wrote, "They said the same on Tuesday."',
        "Watch the oil spill's path since May 2",
        "You can follow the hearing live on this website on Friday.",
        "3.17 pm: So it has come to this on Thursday.",
        "The pressure test began on Wednesday, Adm Thad Allen said.",
    ]
)


def test_no_event_or_summary_comes_from_what_is_not_news():
    article = Article(id="live", text=LIVE_PAGE, published="2010-07-16")
    timeline = build_timeline([article])
    sentences = {source.sentence for event in timeline.events for source in event.sources}
    summaries = {event.summary for event in timeline.events}
    assert summaries <= sentences
    assert sentences == {
        "The cap was fitted over the well on Thursday, officials said.",
        "The pressure test began on Wednesday, Adm Thad Allen said.",
    }
    days = sorted(event.start for event in timeline.events)
    assert days == [dt.date(2010, 7, 14), dt.date(2010, 7, 15)]
