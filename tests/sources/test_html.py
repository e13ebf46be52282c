"""HTML pages -> Articles: real pages under tests/fixtures/html, each with its expected result beside it."""

import json
import socket
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.sources import article_from_html, load_paths

PAGES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "html").glob("*.html"))


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything tries to open a connection: extraction must work offline."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access during HTML extraction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_gives_its_expected_article(page, no_network):
    expected = json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))
    article = article_from_html(page.read_bytes(), article_id=page.stem)
    assert article.model_dump(mode="json") == expected


def test_every_page_has_an_expected_result_and_there_are_several():
    assert len(PAGES) >= 3
    assert all(p.with_name(p.stem + ".expected.json").is_file() for p in PAGES)


def test_furniture_of_a_news_page_never_reaches_the_text(no_network):
    page = next(p for p in PAGES if p.stem == "news_with_furniture")
    text = article_from_html(page.read_text(encoding="utf-8")).text
    for furniture in (
        "Related Articles",
        "Leave a Comment",
        "Facebook",
        "Sign up",
        "inbox",
        "Back to top",
        "cookies",
    ):
        assert furniture not in text


def test_id_falls_back_to_the_url_then_to_a_hash(no_network):
    page = next(p for p in PAGES if p.stem == "undated_page").read_bytes()
    assert (
        article_from_html(page, url="https://news.example.org/budget").id == "https://news.example.org/budget"
    )
    hashed = article_from_html(page)
    assert hashed.id.startswith("html-") and hashed.id == article_from_html(page).id


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("https://news.example.org/story", "expected an HTML page, got a URL"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "article without text"),
        (b"", "not an HTML page"),
    ],
)
def test_what_is_not_an_article_page_is_an_input_error(html, message, no_network):
    with pytest.raises(InputError) as caught:
        article_from_html(html)
    assert str(caught.value).startswith(message)


def test_load_paths_reads_html_files(no_network):
    result = load_paths([p for p in PAGES if p.stem != "undated_page"])
    assert [a.id for a in result.articles] == [p.stem for p in PAGES if p.stem != "undated_page"]
    assert result.problems == []


def test_dates_inside_the_story_are_never_taken_for_the_publication_date(no_network):
    # htmldate's extensive search would answer 2024-03-12 here: an event date, not a publication date.
    page = (
        "<html><head><title>Vote set</title></head><body><article><h1>Vote set</h1>"
        "<p>The election will be held on November 5, 2024, officials said.</p>"
        "<p>Candidates registered on 12 March 2024, the commission said.</p></article></body></html>"
    )
    article = article_from_html(page, article_id="vote")
    assert article.published is None and article.published_basis == "none"


def test_a_manifest_can_list_html_pages_and_its_metadata_wins(tmp_path, no_network):
    page = next(p for p in PAGES if p.stem == "undated_page")
    (tmp_path / "page.html").write_bytes(page.read_bytes())
    manifest = {
        "articles": [
            {"file": "page.html", "title": "Budget passes", "source": "City Desk", "published": "2024-05-02",
             "published_basis": "printed on the council's notice board"}
        ]
    }  # fmt: skip
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (article,) = load_paths([tmp_path]).articles
    assert (article.id, article.title, article.source) == ("page", "Budget passes", "City Desk")
    assert article.published.date().isoformat() == "2024-05-02"
    assert article.published_basis == "manifest: printed on the council's notice board"
    assert article.text.startswith("Council approves new budget")
