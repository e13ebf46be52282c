"""Content words and TF-IDF vectors of mentions: what "the same happening in other words" is measured on."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from timeline.events.lexicon import base_language, lines, own_lines, words

_TOKEN = re.compile(r"[a-z][a-z'.-]*[a-z]|u\.s\.")
_PLURALS = (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", ""))
_VERBAL = (("ing", ""), ("ed", ""), ("ure", ""))

Vector = dict[str, float]


def _strip(word: str, table: tuple[tuple[str, str], ...]) -> str:
    for suffix, repl in table:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + repl
    return word


@functools.cache
def _synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in lines("synonyms.txt"):
        canonical, *variants = line.split()
        for variant in (canonical, *variants):
            table[variant] = canonical
    return table


@functools.cache
def stem(word: str) -> str:
    """A crude stemmer with paraphrase folding: "crossings"/"crossing" and "shuttered"/"closed" meet."""
    base = _strip(_strip(word, _PLURALS), _VERBAL)
    table = _synonyms()
    return table.get(word) or table.get(base) or base


def content_terms(text: str, language: str = "en") -> list[str]:
    """Stemmed content words of a text, stop words and numbers left out.

    Another language's words are read through its table into English ones (`events/data/<language>/
    bilingual.txt`: "reunión" is "meet"), so that reports of one happening in two languages share terms.
    """
    language = base_language(language)
    stop = words("stopwords.txt", language)
    folded = fold(text)
    tokens = (tok.strip("'-.") for tok in _TOKEN.findall(folded) if tok not in stop and len(tok) > 1)
    if language == "en":
        return [stem(tok) for tok in tokens]
    table = _bilingual(language)
    return [table.get(_plural(tok)) or stem(tok) for tok in tokens]


def _plural(word: str) -> str:
    """A Spanish-style plural reduced to its singular: "reuniones" -> "reunion", "cruces" -> "cruce"."""
    if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiouc":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and word[-2] in "aeiou":
        return word[:-1]
    return word


@functools.cache
def _bilingual(language: str) -> dict[str, str]:
    """A language's words (folded, plurals reduced) -> the English term they are compared as."""
    table: dict[str, str] = {}
    for line in own_lines("bilingual.txt", language):
        english, *forms = line.split()
        for form in forms:
            table[_plural(fold(form))] = stem(english)
    return table


def fold(text: str) -> str:
    """Lower case without accents: "López" and "Lopez" are one name."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class TfIdf:
    """Inverse document frequencies over one set of sentences, and unit TF-IDF vectors from them."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            n += 1
            df.update(set(doc))
        self.n = max(n, 1)
        self.idf = {term: math.log((1 + self.n) / (1 + count)) + 1.0 for term, count in df.items()}

    def vector(self, terms: Sequence[str]) -> Vector:
        """The L2-normalised TF-IDF vector of one document's terms."""
        counts = Counter(terms)
        default = math.log(1 + self.n) + 1.0
        vec = {t: (1 + math.log(c)) * self.idf.get(t, default) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def dot(a: Vector, b: Vector) -> float:
    """Dot product of two sparse vectors, iterating the shorter."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def norm(a: Vector) -> float:
    """Euclidean length of a sparse vector."""
    return math.sqrt(sum(v * v for v in a.values()))
