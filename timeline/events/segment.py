"""Sentence spans of an article, with pysbd on the paragraphs that need it.

pysbd keeps "Dec. 27" and "U.S." inside a sentence but costs about 4 ms a paragraph, so paragraphs
without any possible internal boundary are taken whole, and only paragraphs that hold a date are
segmented at all (`SentenceIndex.sentence_at`).
"""

from __future__ import annotations

import bisect
import re

import pysbd

from timeline.events.lexicon import base_language, own_lines
from timeline.events.newsworthy import joints

# A full stop, question or exclamation mark followed by space and something that may start a sentence
# (Spanish opens questions and exclamations with ¿ and ¡, and capitals carry accents).
_MAYBE_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(\[¿¡]*[A-Z0-9ÁÉÍÓÚÑ]")
# pysbd's rules per language (abbreviations: "Sr.", "Lic.", "EE.UU."); others use the English ones.
_PYSBD_LANGUAGES = {"en", "es", "fr", "de", "it", "nl", "pl", "ru", "da", "el", "ar", "hi", "ja", "zh"}


def _segmenter(language: str = "en") -> pysbd.Segmenter:
    # A new one per call, never a shared one: `Segmenter.segment` keeps its input on the instance and
    # looks its sentences up there, so two threads sharing one (the daemon's polls, extracting in
    # process) got sentences back for the other thread's text, none for their own, and a paragraph
    # became one sentence. Building one costs about 3 us beside the 1.6 ms of a segmentation.
    code = language if language in _PYSBD_LANGUAGES else "en"
    return pysbd.Segmenter(language=code, clean=False, char_span=False)


# A boundary no abbreviation can fake: a lower-case word of four letters or more, a full stop, a capital.
_SAFE_BOUNDARY = re.compile(r"(?<=[a-záéíóúñü]{4}[.!?])\s+(?=[\"“(¿¡]?[A-ZÁÉÍÓÚÑ])")
# pysbd slows down more than linearly on long inputs (70 kB in one line: 2.6 s), so long paragraphs
# are first cut at safe boundaries into pieces of about this size.
_PIECE = 2000


def split_paragraph(text: str, offset: int = 0, language: str = "en") -> list[tuple[int, int]]:
    """Sentence spans (start, end) of one paragraph, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    if len(text) > _PIECE:
        for match in _SAFE_BOUNDARY.finditer(text):
            if match.start() - start >= _PIECE:
                spans.extend(_segment(text[start : match.start()], offset + start, language))
                start = match.end()
    spans.extend(_segment(text[start:], offset + start, language))
    # the joints are English openers ("The", "When"); other languages keep pysbd's sentences
    return _cut_at_joints(text, offset, spans) if base_language(language) == "en" else spans


def _cut_at_joints(text: str, offset: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans cut where a headline or caption runs into the next sentence without punctuation
    (`newsworthy.joints`): pysbd sees one sentence in "...to cap oil leak The US Coast Guard said"."""
    cut: list[tuple[int, int]] = []
    for start, end in spans:
        begin = start - offset
        for joint in joints(text, begin, end - offset):
            cut.extend(_trim(text, offset, begin, joint))
            begin = joint
        cut.extend(_trim(text, offset, begin, end - offset))
    return cut


def _segment(text: str, offset: int, language: str = "en") -> list[tuple[int, int]]:
    if not text.strip():
        return []
    pieces = [text] if not _MAYBE_BOUNDARY.search(text) else _segmenter(language).segment(text)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        found = text.find(piece, cursor)
        if found < 0:  # pysbd altered the text; fall back to the whole piece
            return _trim(text, offset, 0, len(text))
        cursor = found + len(piece)
        spans.extend(_trim(text, offset, found, cursor))
    return spans if language == "en" else _rejoin(text, offset, spans, language)


def _rejoin(text: str, offset: int, spans: list[tuple[int, int]], language: str) -> list[tuple[int, int]]:
    """Join the pieces pysbd cut after an abbreviation of the language's list (`abbreviations.txt`: "Sr.",
    "EE.UU.", "dic.") or before a lower-case word, which opens no sentence."""
    known = {a.lower() for line in own_lines("abbreviations.txt", language) for a in line.split()}
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            previous = text[out[-1][0] - offset : out[-1][1] - offset]
            last = previous.rsplit(None, 1)[-1].lower().lstrip('("“«')
            first = text[start - offset]
            if last in known or first.islower():
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


def _trim(text: str, offset: int, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(offset + start, offset + end)] if end > start else []


def split_sentences(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Sentence spans of a whole text: paragraphs are lines, sentences never cross them."""
    index = SentenceIndex(text, language)
    return [span for para in range(len(index.paragraphs)) for span in index.sentences_of(para)]


def rough_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans cut only where no abbreviation can fake a boundary: no pysbd, so ~100x cheaper.

    For scanning whole articles (undated sentences): where an abbreviation hides a boundary, two
    sentences stay one span, which a caller that wants short, date-free sentences simply skips."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        cursor = 0
        for match in _SAFE_BOUNDARY.finditer(line):
            spans.extend(_trim(line, start, cursor, match.start()))
            cursor = match.end()
        spans.extend(_trim(line, start, cursor, len(line)))
        start += len(line) + 1
    return spans


class SentenceIndex:
    """Finds the sentence around a character offset, segmenting each paragraph at most once."""

    def __init__(self, text: str, language: str = "en") -> None:
        self.text = text
        self.language = base_language(language)
        self.paragraphs: list[tuple[int, int]] = []
        start = 0
        for line in text.split("\n"):
            self.paragraphs.append((start, start + len(line)))
            start += len(line) + 1
        self._starts = [start for start, _ in self.paragraphs]
        self._cache: dict[int, list[tuple[int, int]]] = {}

    def sentences_of(self, para: int) -> list[tuple[int, int]]:
        """Sentence spans of paragraph number `para`."""
        if para not in self._cache:
            start, end = self.paragraphs[para]
            self._cache[para] = split_paragraph(self.text[start:end], start, self.language)
        return self._cache[para]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The span of the sentence holding `offset` (the paragraph's nearest one if between two)."""
        para = max(0, bisect.bisect_right(self._starts, offset) - 1)
        spans = self.sentences_of(para) or [self.paragraphs[para]]
        for start, end in spans:
            if offset < end:
                return (start, end)
        return spans[-1]
