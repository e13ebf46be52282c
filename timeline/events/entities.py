"""Named actors and places of a sentence, from capitalised word runs and a small gazetteer.

No tagger model is shipped: a run of capitalised words that is not a sentence opener, month or weekday
(`data/not_names.txt`) is a name; it is a place when listed in `data/places.txt` or introduced by
"in", "at", "near", "from" or "to".
"""

from __future__ import annotations

import functools
import re

from timeline.events.lexicon import base_language, phrases, table, words

_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*|U\.S\.|U\.N\.)(?:\s+(?:(?:of|de|la|al|el|the|and)\s+)?(?:[A-Z][\w'’.-]*))*",
    re.UNICODE,
)
_PLACE_CUE = re.compile(r"\b(?:in|at|near|from|to|across|into)\s+$")
_PARTICLES = {"of", "de", "la", "al", "el", "the", "and"}


@functools.cache
def _grammar(language: str) -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """(name run, place cue, particles) of a language: English's, or its `names.toml` widening them
    (accented capitals, "Andrés Manuel López Obrador", "Secretaría de la Defensa", "en Tapachula")."""
    own = table("names.toml", language)
    if base_language(language) == "en" or not own:
        return _RUN, _PLACE_CUE, frozenset(_PARTICLES)
    particles = sorted(_PARTICLES | set(own.get("particles", [])), key=len, reverse=True)
    capital = "[A-Z" + own.get("capitals", "") + "]"
    joint = "|".join(re.escape(p) for p in particles)
    run = re.compile(
        rf"(?:{capital}[\w'’.-]*|U\.S\.|U\.N\.)(?:\s+(?:(?:{joint})\s+){{0,2}}(?:{capital}[\w'’.-]*))*"
    )
    cues = "|".join(
        re.escape(c) for c in ["in", "at", "near", "from", "to", "across", "into", *own["place_cues"]]
    )
    return run, re.compile(rf"\b(?:{cues})\s+$"), frozenset(particles)


def _clean(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip(" .,'’"))
    return name if name not in ("U.S", "U.N") else name + "."


def names(sentence: str, language: str = "en") -> tuple[list[str], list[str]]:
    """(actors, places) named in a sentence, each list in order of first appearance, without repeats."""
    skip = words("not_names.txt", language)
    gazetteer = phrases("places.txt", language)
    run, place_cue, particles = _grammar(language)
    actors: list[str] = []
    places: list[str] = []
    for match in run.finditer(sentence):
        tokens = match.group(0).split()
        while tokens and tokens[0].strip(".,'’") in skip:
            tokens.pop(0)
        while tokens and tokens[-1].lower() in particles:
            tokens.pop()
        if not tokens:
            continue
        name = _clean(" ".join(tokens))
        if len(name) < 2 or name in skip:
            continue
        is_place = name in gazetteer or bool(place_cue.search(sentence[: match.start()]))
        target = places if is_place else actors
        if name not in target:
            target.append(name)
    return actors, places
