"""Named actors and places of a sentence, from capitalised word runs and a small gazetteer.

No tagger model is shipped: a run of capitalised words that is not a sentence opener, month or weekday
(`data/not_names.txt`) is a name; it is a place when listed in `data/places.txt` or introduced by
"in", "at", "near", "from" or "to".
"""

from __future__ import annotations

import re

from timeline.events.lexicon import phrases, words

_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*|U\.S\.|U\.N\.)(?:\s+(?:(?:of|de|la|al|el|the|and)\s+)?(?:[A-Z][\w'’.-]*))*",
    re.UNICODE,
)
_PLACE_CUE = re.compile(r"\b(?:in|at|near|from|to|across|into)\s+$")


def _clean(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip(" .,'’"))
    return name if name not in ("U.S", "U.N") else name + "."


def names(sentence: str) -> tuple[list[str], list[str]]:
    """(actors, places) named in a sentence, each list in order of first appearance, without repeats."""
    skip = words("not_names.txt")
    gazetteer = phrases("places.txt")
    actors: list[str] = []
    places: list[str] = []
    for match in _RUN.finditer(sentence):
        tokens = match.group(0).split()
        while tokens and tokens[0].strip(".,'’") in skip:
            tokens.pop(0)
        while tokens and tokens[-1].lower() in {"of", "de", "la", "al", "el", "the", "and"}:
            tokens.pop()
        if not tokens:
            continue
        name = _clean(" ".join(tokens))
        if len(name) < 2 or name in skip:
            continue
        is_place = name in gazetteer or bool(_PLACE_CUE.search(sentence[: match.start()]))
        target = places if is_place else actors
        if name not in target:
            target.append(name)
    return actors, places
