"""Quote-mark scanning: pair double quotation marks per paragraph in linear time."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DEPTH = 8
_TOKEN = re.compile(r"''|[\"\u201c\u201d\u201e\u00ab\u00bb\n]|<[A-Za-z/][^<>\n]{0,300}>")
_OPENING_BEFORE = frozenset("([{\u2014\u2013-/")


@dataclass(frozen=True, slots=True)
class Segment:
    """A quoted segment: content span (no marks or edge spaces), opening mark, closing-mark end."""

    start: int
    end: int
    open_mark: int
    close_end: int | None
    depth: int


def _is_opening(text: str, pos: int, width: int) -> bool:
    """True when a mark at pos sits in opening position (space before, word after)."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return (before.isspace() or before in _OPENING_BEFORE) and not after.isspace()


def _is_closing(text: str, pos: int, width: int) -> bool:
    """True when a mark at pos sits in closing position (word before, space/punct after)."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def scan_quotes(text: str, *, limit: int | None = None) -> list[Segment]:
    """Return double-quoted segments sorted by start (scanning stops after limit top-level ones)."""
    segments: list[Segment] = []
    stack: list[tuple[int, int]] = []  # (mark position, mark width)
    top_level = 0

    def close(end_at: int, close_end: int | None) -> None:
        nonlocal top_level
        mark, width = stack.pop()
        start, end = _trimmed(text, mark + width, end_at)
        if end > start:
            segments.append(Segment(start, end, mark, close_end, len(stack)))
            top_level += not stack

    for match in _TOKEN.finditer(text):
        tok = match.group()
        pos = match.start()
        if limit is not None and top_level >= limit:
            break
        if tok == "\n":
            while stack:
                close(pos, None)
            continue
        if tok[0] == "<":
            continue
        width = len(tok)
        opening = _is_opening(text, pos, width)
        closing = _is_closing(text, pos, width)
        if tok in ("\u201c", "\u201e", "\u00ab"):
            if stack and closing and not opening:
                close(pos, pos + width)
                continue
        elif tok in ("\u201d", "\u00bb"):
            if stack and (closing or not opening):
                close(pos, pos + width)
                continue
            if closing:
                continue
        elif stack and (closing or not opening):
            close(pos, pos + width)
            continue
        elif closing and not opening:
            continue
        if len(stack) < MAX_DEPTH:
            stack.append((pos, width))
    while stack:
        close(len(text), None)
    segments.sort(key=lambda s: (s.start, -s.end))
    return segments
