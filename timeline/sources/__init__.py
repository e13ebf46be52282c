"""Article sources: files, folders with a manifest, JSON Lines and HTML pages, all cleaned and dated.

`load_paths` reads what the user points at; `article_from_html` turns one page into an Article;
`clean_text` removes page furniture; `infer_published` finds the date a text states about itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from timeline.sources.files import LoadResult, default_seeds_path, load_paths
from timeline.sources.furniture import clean_text
from timeline.sources.pubdate import infer_published

if TYPE_CHECKING:
    from timeline.sources.html import article_from_html

__all__ = [
    "LoadResult",
    "article_from_html",
    "clean_text",
    "default_seeds_path",
    "infer_published",
    "load_paths",
]


def __getattr__(name: str) -> Any:
    # trafilatura and htmldate load slowly; only HTML users should pay for them.
    if name == "article_from_html":
        from timeline.sources.html import article_from_html

        return article_from_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
