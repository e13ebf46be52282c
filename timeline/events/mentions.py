"""Dated event mentions of one article: every sentence with an anchored DATE expression yields one."""

from __future__ import annotations

from timeline.events.attribution import (
    complement_is_event,
    is_reporting_date,
    split_clause,
    strip_attribution,
)
from timeline.events.entities import names
from timeline.events.lexicon import base_language, phrases
from timeline.events.segment import SentenceIndex
from timeline.models import Article, Mention, TimeExpression

# Coarser than these, a "date" is a period of the story rather than a happening's day.
_DATED_GRANULARITIES = {"day", "week", "weekend", "month", "quarter", "half", "season", "year", "part_of_day",
                        "hour", "minute", "second"}  # fmt: skip


def extract_mentions(article: Article) -> list[Mention]:
    """Tag the article against its publication date and turn each dated sentence into mentions."""
    # imported here so merging stored mentions (the daemon) never loads the tagger's tables
    from timeline.temporal import tag

    expressions = tag(article.text, article.anchor, language=article.language)
    return mentions_from(article, expressions)


def _usable(expr: TimeExpression) -> bool:
    return (
        expr.type in ("DATE", "TIME")
        and expr.text.casefold() not in phrases("date_idioms.txt")
        and expr.anchored
        and (expr.granularity or "day") in _DATED_GRANULARITIES
        and expr.mod not in ("BEFORE", "AFTER")
    )


def mentions_from(article: Article, expressions: list[TimeExpression]) -> list[Mention]:
    """Mentions from already-tagged expressions: per sentence, one per distinct reported date.

    A date attached to a saying ("said Thursday") yields a reporting mention only when the sentence
    has no other date, and not even that when the reported clause is a completed happening.
    """
    text = article.text
    language = base_language(article.language)
    index = SentenceIndex(text, language)
    by_sentence: dict[tuple[int, int], list[TimeExpression]] = {}
    for expr in expressions:
        if _usable(expr):
            by_sentence.setdefault(index.sentence_at(expr.start_char), []).append(expr)
    length = max(len(text), 1)
    mentions: list[Mention] = []
    for (s_start, s_end), exprs in by_sentence.items():
        sentence = text[s_start:s_end]
        reported: list[tuple[TimeExpression, bool]] = []
        saying: list[TimeExpression] = []
        n_words = len(sentence.split())
        for expr in exprs:
            if n_words - len(expr.text.split()) < 3:
                continue  # a dateline or "Published ..." stub, not a statement
            # a saying's date still dates a completed complement: "said on Wednesday it had struck deals"
            if not is_reporting_date(sentence, expr.start_char - s_start, language) or complement_is_event(
                sentence, expr.end_char - s_start, language
            ):
                reported.append((expr, False))
            else:
                saying.append(expr)
        if not reported and saying:
            reported = [(saying[0], True)]
        seen: set[tuple[object, object]] = set()
        actors, places = names(sentence, language)
        for expr, reporting in reported:
            if (expr.start, expr.end) in seen:
                continue
            seen.add((expr.start, expr.end))
            c_start, c_end = split_clause(
                sentence, expr.start_char - s_start, expr.end_char - s_start, language
            )
            clause, _ = strip_attribution(sentence[c_start:c_end], [e.text for e in exprs], language)
            assert expr.start is not None and expr.end is not None
            mentions.append(
                Mention(
                    article_id=article.id,
                    sentence=sentence,
                    sentence_start=s_start,
                    clause=clause or sentence,
                    expression=expr,
                    start=expr.start,
                    end=expr.end,
                    granularity=expr.granularity or "day",
                    value=expr.value,
                    actors=actors,
                    places=places,
                    reporting=reporting,
                    position=min(1.0, s_start / length),
                    language=language,
                )
            )
    return mentions
