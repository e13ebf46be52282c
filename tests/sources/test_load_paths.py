import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.errors import InputError
from timeline.sources import default_seeds_path, load_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
FURNITURE_LINES = (
    "Leave a Comment",
    "Back to top",
    "Related Articles",
    "7 months ago",
    "READ MORE",
    "Looks good",
)


def test_seeds_load_with_manifest_metadata_and_no_furniture():
    result = load_paths([default_seeds_path()])
    assert result.problems == []
    assert [a.id for a in result.articles] == sorted(a.id for a in result.articles)
    assert len(result.articles) == 5
    manifest = json.loads((default_seeds_path() / "manifest.json").read_text())["articles"]
    for article, entry in zip(result.articles, manifest, strict=True):
        assert article.published.date().isoformat() == entry["published"]
        assert article.published_basis.startswith("manifest: ")
        assert article.source == entry["source"]
        if entry["title"] is None:
            # a null title is the text's first line
            assert article.title == article.text.splitlines()[0]
        else:
            assert article.title == entry["title"]
        for furniture in FURNITURE_LINES:
            assert furniture.lower() not in article.text.lower(), (article.id, furniture)


def test_a_block_the_page_repeats_is_kept_once():
    article = next(a for a in load_paths([default_seeds_path()]).articles if a.id.startswith("000"))
    lines = [line for line in article.text.splitlines() if len(line) > 40]
    assert len(lines) == len(set(lines))
    assert "Venezuela is broken" in article.text


def test_jsonl_with_bad_lines_loads_the_good_and_reports_each_bad_one():
    path = FIXTURES / "mixed.jsonl"
    result = load_paths([path])
    assert [a.id for a in result.articles] == ["a1", "a2"]
    assert result.problems == [
        f"{path}:2: invalid JSON at column 28: Unterminated string",
        f"{path}:4: article without text",
    ]
    first, second = result.articles
    assert first.published == dt.datetime(2024, 3, 4, tzinfo=dt.UTC)
    assert first.published_basis == "metadata"
    assert second.published == dt.datetime(2024, 3, 6, 14, 30, tzinfo=dt.UTC)
    assert "Share this article" not in first.text and "hours ago" not in first.text
    assert second.text == "Talks to end the port strike resumed on Wednesday, both sides said."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        ('{"id": "x", "text": "ok"\n', ":1: invalid JSON at column 25: Expecting ',' delimiter"),
        ('{"id": "x", "title": "no text"}\n', ":1: article without text"),
        ('["not", "an", "object"]\n', ":1: expected a JSON object, got list"),
        ('{"id": "x", "text": "Share this article"}\n', ":1: article without text (only page furniture)"),
        (
            '{"id": "x", "text": "ok", "published": "yesterday"}\n',
            ":1: unreadable published date 'yesterday'",
        ),
        (
            '{"id": "x", "text": "ok", "published": 1700000000}\n',
            ":1: unreadable published date 1700000000 (expected an ISO date)",
        ),
        ("\n\n", "no articles"),
    ],
)
def test_a_file_with_nothing_good_is_one_input_error(tmp_path, content, message):
    path = tmp_path / "in.jsonl"
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        load_paths([path])
    assert str(caught.value) == f"{path}{'' if message.startswith(':') else ': '}{message}"
    assert "\n" not in str(caught.value)


def test_several_bad_lines_say_how_many_more(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("{\n[\nnull\n")
    with pytest.raises(InputError, match=r"in\.jsonl:1: invalid JSON .* \(and 2 more problems\)$"):
        load_paths([path])


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match=r"nope\.jsonl: no such file or folder$"):
        load_paths([tmp_path / "nope.jsonl"])
    odd = tmp_path / "notes.docx"
    odd.write_text("x")
    with pytest.raises(InputError, match=r"notes\.docx: unsupported file type"):
        load_paths([odd])


def test_manifest_naming_a_missing_file(tmp_path):
    folder = tmp_path / "story"
    shutil.copytree(default_seeds_path(), folder)
    (folder / "002_a1306538fd826ee3.txt").unlink()
    with pytest.raises(InputError) as caught:
        load_paths([folder])
    assert str(caught.value) == (
        f"{folder / 'manifest.json'}: entry 3 names '002_a1306538fd826ee3.txt', which is not in {folder}"
    )


def test_manifest_with_invalid_json_names_the_line(tmp_path):
    (tmp_path / "manifest.json").write_text('{\n  "articles": [\n    {"file": "a.txt",}\n  ]\n}\n')
    with pytest.raises(InputError, match=r"manifest\.json:3: invalid JSON"):
        load_paths([tmp_path])


def test_a_text_file_gets_its_date_from_the_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Harbour deal signed\nPublished March 3, 2021\n\nThe deal was signed on Tuesday.\n")
    (article,) = load_paths([path]).articles
    assert article.id == "story"
    assert article.title == "Harbour deal signed"
    assert article.published == dt.datetime(2021, 3, 3, tzinfo=dt.UTC)
    assert article.published_basis == "inferred: published 'Published March 3, 2021'"
    assert "Published" not in article.text


def test_an_article_with_no_date_anywhere_is_kept_and_warned_about(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("The council met on Tuesday and approved the budget.\n2 days ago\n")
    result = load_paths([path])
    (article,) = result.articles
    assert article.published is None and article.published_basis == "none"
    assert result.problems == [
        f"{path}: article undated: no publication date in the metadata or the text; "
        "only absolute dates are anchored"
    ]


def test_undated_articles_of_one_file_are_warned_about_in_one_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    records = [{"id": f"u{n}", "text": "It rained on Monday."} for n in range(5)]
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    result = load_paths([path])
    assert len(result.articles) == 5
    assert result.problems == [
        f"{path}: 5 articles (u0, u1, u2, ...): no publication date in the metadata or the text; "
        "only absolute dates are anchored"
    ]


def test_a_folder_without_manifest_reads_every_article_file(tmp_path):
    shutil.copy(FIXTURES / "good.jsonl", tmp_path / "b.jsonl")
    (tmp_path / "a.txt").write_text("Published 1 May 2020\nA story.\n")
    (tmp_path / "ignored.csv").write_text("x\n")
    result = load_paths([tmp_path])
    assert [a.id for a in result.articles] == ["a", "a1", "a2"]


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no manifest.json and no article files"):
        load_paths([tmp_path])


def test_gzipped_jsonl_and_duplicate_ids_across_files(tmp_path):
    packed = tmp_path / "good.jsonl.gz"
    with gzip.open(packed, "wb") as handle:
        handle.write((FIXTURES / "good.jsonl").read_bytes())
    result = load_paths([FIXTURES / "good.jsonl", packed])
    assert [a.id for a in result.articles] == ["a1", "a2"]
    assert result.problems == [
        f"{packed}: article id 'a1' appears twice; the later one is skipped",
        f"{packed}: article id 'a2' appears twice; the later one is skipped",
    ]


def test_progress_reports_bytes_up_to_the_total():
    calls = []
    load_paths([FIXTURES / "good.jsonl"], progress=lambda done, total: calls.append((done, total)))
    total = (FIXTURES / "good.jsonl").stat().st_size
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["id", "text", "title", "published", "source", "url", "language"]),
                    st.one_of(
                        st.none(), st.integers(), st.text(max_size=40), st.lists(st.integers(), max_size=2)
                    ),
                ),
                st.text(max_size=30),
            ),
            max_size=5,
        ).map(lambda rows: "\n".join(json.dumps(r) for r in rows).encode()),
    ),
    suffix=st.sampled_from([".jsonl", ".txt", ".html", ".jsonl.gz"]),
)
def test_any_file_content_loads_or_is_one_input_error(tmp_path_factory, content, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"in{suffix}"
    path.write_bytes(content)
    try:
        result = load_paths([path])
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc)
    else:
        assert result.articles and all(a.text.strip() for a in result.articles)
        assert all("\n" not in problem for problem in result.problems)
