"""HTML fragments to plain text, and text decoding that fails loudly on bad bytes."""

import codecs
import html
from html.parser import HTMLParser

from workers.collect.errors import CollectError

BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
)
SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})


class _TextCollector(HTMLParser):
    """Collects text nodes, breaking lines at block elements and dropping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a block or a skipped element."""
        if tag in SKIP_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a block or a skipped element."""
        if tag in SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside skipped elements."""
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per line, whitespace collapsed."""
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def plain(value: str | None) -> str | None:
    """A short metadata field (title, author) as single-line text, or None when blank."""
    if value is None:
        return None
    text = " ".join(html.unescape(value).replace("\x00", "").split())
    return text or None


def decode_strict(body: bytes, charset: str | None, *, what: str) -> str:
    """Decode `body` with its declared charset (UTF-8 by default); bad bytes are an error."""
    name = charset or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError as exc:
        raise CollectError(f"{what} declares the unknown charset {name!r}") from exc
    try:
        return body.decode(name)
    except UnicodeDecodeError as exc:
        raise CollectError(f"{what} is not valid {name}: {exc.reason} at byte {exc.start}") from exc
