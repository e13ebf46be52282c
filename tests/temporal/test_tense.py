from timeline.temporal.grammar import grammar
from timeline.temporal.tense import reader


def test_a_span_that_opens_a_sentence_is_read_without_the_sentence_before() -> None:
    tenses = reader(grammar("en").lexicon)
    text = "Sales peaked in 2012. By the end of the year, profits will double."
    start = text.index("By")
    end = text.index(",", start)
    assert tenses.sentence(text, start, end) == (start, len(text))
    assert tenses.tense(text, start, end) == "future"  # "will", not "peaked" in the sentence before
