"""An article's language: declared by its source first (feed, page, manifest, record, config), else
detected from its text, else the default; and a detected language builds what a declared one does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.sources import load_paths
from timeline.sources.feeds import parse_feed
from timeline.sources.html import article_from_html
from timeline.sources.language import detect_language, language_tag, settle_language

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _paragraphs(language: str) -> list[str]:
    path = FIXTURES / "language" / f"paragraphs_{language}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_the_written_paragraphs_are_detected_with_at_least_98_percent_accuracy():
    cases = [(lang, text) for lang in ("en", "es") for text in _paragraphs(lang)]
    assert len(cases) >= 200
    assert {lang for lang, _ in cases} == {"en", "es"}
    wrong = [(lang, detect_language(text), text) for lang, text in cases if detect_language(text) != lang]
    accuracy = 1 - len(wrong) / len(cases)
    assert accuracy >= 0.98, f"accuracy {accuracy:.3f}; misread: {wrong}"


def test_a_quotation_in_the_other_language_does_not_decide():
    english = (
        '"Es un acuerdo muy importante," López Obrador told reporters at his morning news conference, '
        "adding that the talks would go on in January."
    )
    spanish = '"We had very productive talks about the border and trade," declaró el jueves un funcionario.'
    assert detect_language(english) == "en"
    assert detect_language(spanish) == "es"


@pytest.mark.parametrize("text", ["", "   ", "mar 5", "12/27/2023", "jue 15"])
def test_too_little_text_is_not_guessed(text):
    assert detect_language(text) is None
    assert settle_language(None, None, text) == ("en", "default")


@pytest.mark.parametrize(
    ("declared", "tag"),
    [("es-MX", "es"), ("es_mx", "es"), ("ES", "es"), ("en-US", "en"), ("spa", "es"), ("Spanish", "es"),
     ("pt-BR", "pt"), ("auto", None), ("", None), (None, None), ("x", None), ("12", None), (3, None)],
)  # fmt: skip
def test_declared_languages_are_read_as_their_primary_subtag(declared, tag):
    assert language_tag(declared) == tag


def test_a_declaration_outranks_the_text_and_says_where_it_came_from():
    spanish = _paragraphs("es")[0]
    assert settle_language("en", "manifest", spanish) == ("en", "declared: manifest")
    assert settle_language("auto", "config", spanish) == ("es", "detected")


def test_html_lang_declares_the_page_and_a_page_without_one_is_detected():
    body = f"<body><article><p>{_paragraphs('es')[1]}</p><p>{_paragraphs('es')[2]}</p></article></body>"
    declared = article_from_html(f'<html lang="es-MX"><head></head>{body}</html>')
    assert (declared.language, declared.language_basis) == ("es", "declared: page")
    locale = article_from_html(f'<html><head><meta property="og:locale" content="es_MX"></head>{body}</html>')
    assert (locale.language, locale.language_basis) == ("es", "declared: page")
    bare = article_from_html(f"<html><head></head>{body}</html>")
    assert (bare.language, bare.language_basis) == ("es", "detected")


def _rss(channel_language: str, items: list[tuple[str, str]]) -> bytes:
    language = f"<language>{channel_language}</language>" if channel_language else ""
    entries = "".join(
        f"<item><guid>urn:{n}</guid><title>{title}</title><description>{text}</description>"
        f"<pubDate>Thu, 28 Dec 2023 18:00:00 GMT</pubDate></item>"
        for n, (title, text) in enumerate(items)
    )
    channel = f"<channel><title>t</title>{language}{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def test_a_feed_declares_its_language_unless_the_configuration_does():
    items = [("Reabren cruces", _paragraphs("es")[7]), ("Rail crossings reopen", _paragraphs("en")[5])]
    channel = parse_feed(_rss("es-mx", items), feed_id=1, url="https://example.org/rss")
    assert {(e.article.language, e.article.language_basis) for e in channel.entries} == {
        ("es", "declared: feed")
    }
    undeclared = parse_feed(_rss("", items), feed_id=1, url="https://example.org/rss")
    assert [(e.article.language, e.article.language_basis) for e in undeclared.entries] == [
        ("es", "detected"),
        ("en", "detected"),
    ]
    configured = parse_feed(_rss("es", items), feed_id=1, url="https://example.org/rss", language="en")
    assert {e.article.language_basis for e in configured.entries} == {"declared: config"}


def test_an_atom_entry_xml_lang_outranks_its_feed():
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>t</title>'
        b'<entry xml:lang="es"><id>urn:1</id><title>Hola</title><updated>2023-12-28T00:00:00Z</updated>'
        b"<content>Texto</content></entry></feed>"
    )
    (entry,) = parse_feed(atom, feed_id=1, url="https://example.org/atom").entries
    assert (entry.article.language, entry.article.language_basis) == ("es", "declared: feed")


def _spanish_article(tmp_path: Path, language: str | None) -> Path:
    text = (FIXTURES / "bilingual" / "rail_es.txt").read_text(encoding="utf-8")
    record = {"id": "rail-es", "text": text, "published": "2023-12-28", "source": "diario"}
    if language:
        record["language"] = language
    path = tmp_path / f"{language or 'none'}.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_spanish_article_without_a_declared_language_builds_the_same_timeline(tmp_path):
    from timeline.pipeline import build_timeline

    declared = load_paths([_spanish_article(tmp_path, "es")]).articles
    detected = load_paths([_spanish_article(tmp_path, None)]).articles
    assert (declared[0].language, declared[0].language_basis) == ("es", "declared: record")
    assert (detected[0].language, detected[0].language_basis) == ("es", "detected")
    with_language, without = build_timeline(declared), build_timeline(detected)
    assert with_language.events, "the Spanish report has dated happenings"
    assert [e.model_dump() for e in without.events] == [e.model_dump() for e in with_language.events]
    assert without.articles[0].language_basis == "detected"


def test_timeline_tag_without_language_detects_spanish():
    text = "La Oficina de Aduanas reabrió este jueves los cruces ferroviarios, cerrados desde el domingo."
    line = json.dumps({"id": "es", "text": text, "anchor": "2023-12-29"}, ensure_ascii=False) + "\n"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "timeline", "tag", "--batch"]
    detected = subprocess.run(command, input=line, capture_output=True, text=True, env=env, timeout=120)
    english = subprocess.run([*command, "--language", "en"], input=line, capture_output=True, text=True,
                             env=env, timeout=120)  # fmt: skip
    assert detected.returncode == 0, detected.stderr
    found = {e["text"]: e["start"] for e in json.loads(detected.stdout)["expressions"]}
    assert any("jueves" in k and v == "2023-12-28" for k, v in found.items()), found
    assert not any("jueves" in e["text"] for e in json.loads(english.stdout)["expressions"])
