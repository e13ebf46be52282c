"""Dated event mentions of one article: every sentence with an anchored DATE expression yields one."""

from __future__ import annotations

import datetime as dt
import re

from timeline.events.attribution import (
    complement_is_event,
    is_reporting_date,
    resolve_pronoun,
    split_clause,
    strip_attribution,
)
from timeline.events.entities import names
from timeline.events.happening import noun_happening, subordinate_happening
from timeline.events.lexicon import base_language, lines, phrases
from timeline.events.newsworthy import is_newsworthy
from timeline.events.segment import SentenceIndex
from timeline.models import Article, Mention, TimeExpression

# A future verb may look back this far (a plan announced for a day just gone); further is a slip.
DOUBT_DAYS = 366

# A happening dated more than this many years before its article is history the article recalls ("the
# Longitude prize of 1714", "tremors in 1751"), not a happening of the story.
HISTORY_YEARS = 100

# Coarser than these, a "date" is a period of the story rather than a happening's day.
_DATED_GRANULARITIES = {"day", "week", "weekend", "month", "quarter", "half", "season", "year", "part_of_day",
                        "hour", "minute", "second"}  # fmt: skip


def extract_mentions(article: Article) -> list[Mention]:
    """Tag the article against its publication date and turn each dated sentence into mentions."""
    # imported here so merging stored mentions (the daemon) never loads the tagger's tables
    from timeline.temporal import tag

    expressions = tag(article.text, article.anchor, language=article.language)
    return mentions_from(article, expressions)


def _idiom(expr: TimeExpression, text: str) -> bool:
    # the tagger's span leaves a signal out ("at" of "at the end of the day"): read the words before it
    for phrase in phrases("date_idioms.txt"):
        window = " ".join(text[max(0, expr.end_char - len(phrase) - 8) : expr.end_char].casefold().split())
        if window.endswith(phrase) and not window[: len(window) - len(phrase)][-1:].isalnum():
            return True
    return False


def _usable(expr: TimeExpression, text: str) -> bool:
    # a duration the tagger anchored to calendar days ("the first eleven months of 2023") is a period
    return (
        (expr.type in ("DATE", "TIME") or (expr.type == "DURATION" and expr.granularity is not None))
        and not _idiom(expr, text)
        and expr.anchored
        and (expr.granularity or "day") in _DATED_GRANULARITIES
        and expr.mod not in ("BEFORE", "AFTER")
    )


def _locates(length: TimeExpression | None, expr: TimeExpression, text: str) -> bool:
    """Whether expr only says where the anchored length before it lies ("the first nine months of
    1997": the tagger gives the length and the year, as TimeML does; the length dates the sentence)."""
    return (
        length is not None
        and length.type == "DURATION"
        and length.start is not None
        and length.end is not None
        and expr.start is not None
        and expr.end is not None
        and expr.start <= length.start
        and length.end <= expr.end
        and text[length.end_char : expr.start_char].strip().casefold() in ("of", "de", "del", "de la")
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
    horizon = _history_horizon(article)
    before: TimeExpression | None = None
    for expr in expressions:
        located, before = _locates(before, expr, text), expr
        if located:
            continue
        if _usable(expr, text) and not (horizon and expr.end and expr.end < horizon):
            by_sentence.setdefault(index.sentence_at(expr.start_char), []).append(expr)
    length = max(len(text), 1)
    mentions: list[Mention] = []
    for (s_start, s_end), exprs in by_sentence.items():
        sentence = text[s_start:s_end]
        if not is_newsworthy(sentence):
            continue  # a question, fragment, comment header, prompt or run-on: no happening to date
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
            at_start, at_end = expr.start_char - s_start, expr.end_char - s_start
            noun = noun_happening(sentence, at_start, at_end) or subordinate_happening(
                sentence, at_start, at_end
            )
            if noun is not None:
                clause = sentence[noun[0] : noun[1]]
            else:
                c_start, c_end = split_clause(
                    sentence, expr.start_char - s_start, expr.end_char - s_start, language
                )
                at = expr.start_char - s_start - c_start
                clause, _ = strip_attribution(sentence[c_start:c_end], [e.text for e in exprs], language, at)
                named_before = (
                    names(sentence[:c_start], language)[0] or names(_previous(index, s_start), language)[0]
                )
                clause = resolve_pronoun(clause, expr.text, named_before[-1] if named_before else None)
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
                    reporting=reporting and noun is None,
                    dates_noun=noun is not None,
                    position=min(1.0, s_start / length),
                    language=language,
                    doubtful=_doubt(sentence, expr, article),
                )
            )
    return mentions


def _history_horizon(article: Article) -> dt.date | None:
    """The day before which a date in this article is history (`HISTORY_YEARS`); None when undated."""
    anchor = article.anchor
    if anchor is None:
        return None
    return dt.date(max(anchor.year - HISTORY_YEARS, 1), 1, 1)


def _previous(index: SentenceIndex, start: int) -> str:
    """The sentence before the one starting at `start` in the same paragraph, or ""."""
    if start == 0 or index.text[start - 1] == "\n":
        return ""
    prev_start, prev_end = index.sentence_at(start - 1)
    return index.text[prev_start:prev_end] if prev_end <= start else ""


def _doubt(sentence: str, expr: TimeExpression, article: Article) -> str | None:
    """Why a date contradicts its sentence's tense (a future verb, a date years before publication)."""
    anchor = article.anchor
    if anchor is None or expr.end is None or (anchor - expr.end).days <= DOUBT_DAYS:
        return None
    lower = sentence.lower()
    for cue in lines("future_cues.txt"):
        if re.search(rf"(?<![\w']){re.escape(cue)}\b", lower):
            return f"'{expr.text}' is long before publication ({anchor}) in a future clause ('{cue}')"
    return None
