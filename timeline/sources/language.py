"""An article's language: what its source declares first, else what its text says, else the default.

Sources declare a language in many places (a feed's `<language>` or `xml:lang`, a page's `<html
lang>`, a manifest or JSON Lines `language`, a feed's configured language); `language_tag` reads any
of them as the primary subtag the taggers use ("es-MX" -> "es"). Undeclared articles are detected
with py3langid, whose naive Bayes model ships inside its package (nothing is downloaded) and gives
the same answer for the same text every time. Every article records how its language was found
(`Article.language_basis`): "declared: <where>", "detected" or "default".
"""

from __future__ import annotations

import re
import threading
import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

# A configured language of "auto" (or none) declares nothing: the source's own declaration, else
# detection, decides.
AUTO = "auto"

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_LETTER = re.compile(r"[^\W\d_]")
# Quotations in double quotes, typographic quotes and guillemets; single quotes double as apostrophes.
_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|«[^»\n]{1,400}»")
# ISO 639-2/T codes and English names some feeds write instead of the two-letter code.
_ALIASES = {"eng": "en", "spa": "es", "esp": "es", "english": "en", "spanish": "es", "español": "es"}


@cache
def settings() -> dict[str, Any]:
    """The detector's settings as loaded from `data/languages.toml`."""
    with files("timeline.sources").joinpath("data/languages.toml").open("rb") as handle:
        return tomllib.load(handle)


def default_language() -> str:
    """The language of an article that declares none and is too short or mixed to detect."""
    return str(settings()["default"])


def language_tag(value: object) -> str | None:
    """The primary language subtag of a declared language, lower case ("es-MX", "es_mx" -> "es"), or
    None when nothing usable is declared ("", "auto", "x-unknown", a non-string)."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if not text or text == AUTO:
        return None
    if text in _ALIASES:
        return _ALIASES[text]
    match = _TAG.match(text)
    if match is None:
        return None
    primary = match.group(1).lower()
    return _ALIASES.get(primary, primary)


_LOADING = threading.Lock()
_LOADED: list[Any] = []


def _identifier() -> Any:
    # The model costs 1-3 s to load (LZMA): only when an article needs detecting, and once per process
    # even when several feed workers need it at the same moment.
    if not _LOADED:
        with _LOADING:
            if not _LOADED:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(settings()["candidates"]))
                _LOADED.append(identifier)
    return _LOADED[0]


def preload_detector() -> None:
    """Load the detector's model in a background thread, so that a long-running process (the daemon)
    has it ready when its first undeclared article arrives instead of paying for it inside a poll."""
    threading.Thread(target=_identifier, name="language-model", daemon=True).start()


def detect_language(text: str) -> str | None:
    """The language a text is written in, among the configured candidates, or None when it is too
    short or the detector is not confident enough to say.

    Quoted words are someone else's (an English report quoting a Spanish sentence is English), so the
    text without its quotations is read first, and the whole text only if that says too little."""
    conf = settings()
    sample = text[: conf["max_chars"]]
    unquoted = _QUOTED.sub(" ", sample)
    for candidate in (unquoted, sample) if unquoted != sample else (sample,):
        if len(_LETTER.findall(candidate)) < conf["min_letters"]:
            continue
        language, probability = _identifier().classify(candidate)
        if probability >= conf["min_confidence"]:
            return str(language)
    return None


def settle_language(declared: object, where: str | None, text: str) -> tuple[str, str]:
    """(language, how it was found) for one article: the declared language if there is one
    ("declared: <where>"), else the detected one ("detected"), else the default ("default")."""
    tag = language_tag(declared)
    if tag is not None:
        return tag, f"declared: {where}" if where else "declared"
    found = detect_language(text)
    if found is not None:
        return found, "detected"
    return default_language(), "default"
