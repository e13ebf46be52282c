"""Publication dates: take the metadata's, else infer one from the text, else say there is none.

Every relative expression of an article is anchored to its publication date, so a wrong date shifts
the whole article; that is why only absolute dates the page states about itself (a "Published ..."
stamp, a dated wire dateline, a dated photo caption) are accepted, never a page-age label.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from timeline.errors import InputError
from timeline.models import Article, to_utc
from timeline.sources.escapes import decode_escapes
from timeline.sources.furniture import clean_text
from timeline.sources.language import settle_language

log = logging.getLogger(__name__)

NO_DATE_WARNING = "no publication date in the metadata or the text; only absolute dates are anchored"


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern[str]


def _date_pattern(months: list[list[str]]) -> str:
    names = sorted((name for group in months for name in group), key=len, reverse=True)
    month = "(?i:" + "|".join(names) + ")"
    weekday = r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    ordinal = r"(?:st|nd|rd|th)?"
    return (
        rf"(?:{weekday}(?P<m1>{month})\.?\s+(?P<d1>\d{{1,2}}){ordinal},?\s+(?P<y1>\d{{4}})"
        rf"|{weekday}(?P<d2>\d{{1,2}}){ordinal}\s+(?:of\s+)?(?P<m2>{month})\.?,?\s+(?P<y2>\d{{4}})"
        r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))(?!\d)"
    )


@cache
def _table() -> dict[str, Any]:
    with files("timeline.sources").joinpath("data/pubdate.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def _rules() -> tuple[tuple[_Rule, ...], dict[str, int]]:
    table = _table()
    months = table["date"]["months"]
    month_number = {name: index + 1 for index, group in enumerate(months) for name in group}
    date = _date_pattern(months)
    rules = tuple(
        _Rule(rule["name"], re.compile(rule["pattern"].replace("<DATE>", date))) for rule in table["rule"]
    )
    return rules, month_number


def _to_date(match: re.Match[str], month_number: dict[str, int]) -> dt.date | None:
    for suffix in "123":
        year = match.group("y" + suffix)
        if year is None:
            continue
        month_text = match.group("m" + suffix)
        month = int(month_text) if month_text.isdigit() else month_number[month_text.lower()]
        try:
            return dt.date(int(year), month, int(match.group("d" + suffix)))
        except ValueError:
            return None
    return None


def _evidence(name: str, text: str) -> str:
    snippet = " ".join(text.split())
    if len(snippet) > 80:
        snippet = "..." + snippet[-77:]
    return f"{name} '{snippet}'"


def infer_published(text: str) -> tuple[dt.date, str] | None:
    """Find the publication date an article states about itself, with the evidence, or None."""
    rules, month_number = _rules()
    for rule in rules:
        for match in rule.regex.finditer(text):
            day = _to_date(match, month_number)
            if day is not None:
                return day, _evidence(rule.name, match.group(0))
    return None


def settle_published(published: object, raw_text: str, basis: str | None) -> tuple[dt.datetime | None, str]:
    """Resolve an article's publication instant and how it was found: metadata, else text, else none."""
    if published not in (None, ""):
        if not isinstance(published, str | dt.date):
            raise InputError(f"unreadable published date {published!r} (expected an ISO date)")
        try:
            instant = to_utc(published)
        except ValueError:
            raise InputError(f"unreadable published date {published!r}") from None
        return instant, basis or "metadata"
    inferred = infer_published(raw_text)
    if inferred is None:
        return None, "none"
    day, evidence = inferred
    return to_utc(day), f"inferred: {evidence}"


def prepare_article(
    *,
    article_id: str,
    raw_text: str,
    published: object = None,
    basis: str | None = None,
    title: str | None = None,
    title_from_first_line: bool = False,
    source: str | None = None,
    url: str | None = None,
    language: str | None = None,
    language_from: str | None = None,
) -> Article:
    """Turn one source record into a clean Article: furniture removed, publication date and language
    settled. `language` is what the source declares (None or "auto": nothing), `language_from` where it
    says so ("manifest", "page"...); an undeclared language is detected from the cleaned text.

    Raises InputError (without a location: the caller knows where) for an article without text or
    with an unreadable date.
    """
    if not raw_text or not raw_text.strip():
        raise InputError("article without text")
    instant, how = settle_published(published, raw_text, basis)
    text = clean_text(raw_text)
    if not text:
        raise InputError("article without text (only page furniture)")
    if title:
        title = decode_escapes(title)
    elif title_from_first_line:
        title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    if how == "none":
        log.debug("event=no_publication_date article=%s", article_id)
    lang, lang_how = settle_language(language, language_from, f"{title}\n{text}" if title else text)
    return Article(
        id=article_id,
        title=title or None,
        text=text,
        published=instant,
        published_basis=how,
        source=source or None,
        url=url or None,
        language=lang,
        language_basis=lang_how,
    )
