"""One HTML page -> one Article: main text with trafilatura, publication date with htmldate.

Nothing here touches the network: the page is parsed once into a tree and both libraries get the
tree (htmldate fetches when handed a string that looks like a URL; a tree never does).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from timeline.errors import InputError
from timeline.models import Article
from timeline.sources.language import language_tag
from timeline.sources.pubdate import infer_published, prepare_article

log = logging.getLogger(__name__)
# These libraries log parse failures at ERROR; with no handler configured Python would print them on
# stderr, breaking the CLI's one-line errors. A NullHandler keeps them quiet unless the app opts in.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# htmldate's extensive search reads dates out of the body text, where a story's event dates live:
# with it off, "html-metadata" means what it says (markup, meta tags, URL) and stated stamps in the
# text are left to infer_published, which records its evidence. It also costs more on large pages.
_DATE_OPTIONS: dict[str, Any] = {"extensive_search": False, "original_date": True}


def _tree(html: str | bytes):  # -> lxml.html.HtmlElement | None
    from trafilatura.utils import load_html

    if isinstance(html, str) and html.strip().startswith(("http://", "https://")) and " " not in html.strip():
        raise InputError("expected an HTML page, got a URL")
    try:
        return load_html(html)
    except (TypeError, ValueError) as exc:
        raise InputError(f"not an HTML page ({exc})") from None


# Where a page states its language, most authoritative first: the document's own attribute, then the
# metadata a CMS writes (Content-Language, Open Graph locale "es_MX").
_LANGUAGE_PATHS = (
    "/html/@lang",
    "/html/@xml:lang",
    "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')='content-language']/@content",
    "//meta[translate(@name,'LANGUAGE','language')='language']/@content",
    "//meta[@property='og:locale']/@content",
)


def page_language(tree) -> str | None:  # tree: lxml.html.HtmlElement
    """The language a page declares about itself ("es-MX" -> "es"), or None if it declares none."""
    root = tree.getroottree().getroot()
    for path in _LANGUAGE_PATHS:
        try:
            values = root.xpath(path, namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
        except Exception:  # noqa: BLE001 - a malformed page must not lose its text over its language
            continue
        for value in values:
            tag = language_tag(str(value).split(",")[0])
            if tag is not None:
                return tag
    return None


def _fallback_id(html: str | bytes) -> str:
    data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html
    return "html-" + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]


def article_from_html(html: str | bytes, *, url: str | None = None, article_id: str | None = None) -> Article:
    """Extract one page's article: cleaned main text, title and publication date (metadata, else text).

    The id is `article_id`, else the URL, else a hash of the page. Raises InputError for a page with
    no article text.
    """
    import htmldate
    import trafilatura
    from trafilatura.settings import Document

    tree = _tree(html)
    if tree is None:
        raise InputError("not an HTML page")
    published = htmldate.find_date(tree, url=url, **_DATE_OPTIONS)
    page_text = tree.text_content() if published is None else ""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        date_extraction_params=_DATE_OPTIONS,
    )
    # Without as_dict it is a Document or None; the dict in its return type is the as_dict form.
    text = (document.text if isinstance(document, Document) else None) or ""
    basis = "html-metadata" if published else None
    if published is None and not infer_published(text) and page_text:
        # The stamp is often outside the main text (a byline block trafilatura drops): look there too.
        stated = infer_published(page_text)
        if stated is not None:
            published, basis = stated[0].isoformat(), f"inferred: {stated[1]}"
    log.debug("event=html_extracted url=%s chars=%d published=%s", url, len(text), published)
    return prepare_article(
        article_id=article_id or url or _fallback_id(html),
        raw_text=text,
        published=published,
        basis=basis,
        title=getattr(document, "title", None),
        source=getattr(document, "sitename", None),
        url=url or getattr(document, "url", None),
        language=page_language(tree),
        language_from="page",
    )
