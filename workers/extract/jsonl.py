"""JSONL batch runner: articles in, scorer-format reactions out, written atomically."""

from __future__ import annotations

import json
import os
import pathlib
import tempfile
from typing import Any

from .engine import MAX_TEXT_CHARS, extract_reactions
from .model import ExtractedQuote, ExtractInputError

MAX_LINE_CHARS = 4 * MAX_TEXT_CHARS


def _parse_line(line: str, number: int) -> tuple[Any, str, str | None]:
    """Validate one input line and return (id, text, title)."""
    if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
        raise ExtractInputError(f"line {number}: longer than {MAX_LINE_CHARS} characters")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ExtractInputError(f"line {number}: not valid JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise ExtractInputError(f"line {number}: expected a JSON object")
    article_id = record.get("id")
    if not isinstance(article_id, str | int) or isinstance(article_id, bool):
        raise ExtractInputError(f"line {number}: 'id' must be a string or an integer")
    text = record.get("text")
    if not isinstance(text, str):
        raise ExtractInputError(f"line {number}: 'text' must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractInputError(f"line {number}: 'text' is longer than {MAX_TEXT_CHARS} characters")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise ExtractInputError(f"line {number}: 'title' must be a string or null")
    return article_id, text, title


def quote_record(quote: ExtractedQuote) -> dict[str, Any]:
    """Serialise one quote in the scorer's output format (plus descriptive extras)."""
    return {
        "quote": list(quote.quote),
        "speaker": list(quote.speaker) if quote.speaker else None,
        "speaker_name": quote.speaker_name,
        "cue": list(quote.cue) if quote.cue else None,
        "kind": quote.kind,
        "speaker_type": quote.speaker_type,
        "role": quote.role,
        "affiliation": quote.affiliation,
        "confidence": round(quote.confidence, 3),
    }


def extract_jsonl(*, input_path: pathlib.Path, output_path: pathlib.Path) -> int:
    """Run the engine over a JSONL file in the scorer format; returns the number of articles."""
    output_path = pathlib.Path(output_path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{output_path.name}.", suffix=".tmp", dir=output_path.parent or "."
    )
    count = 0
    try:
        with (
            open(input_path, encoding="utf-8") as src,
            os.fdopen(fd, "w", encoding="utf-8") as dst,
        ):
            for number, line in enumerate(iter(lambda: src.readline(MAX_LINE_CHARS + 1), ""), 1):
                if not line.strip():
                    continue
                article_id, text, title = _parse_line(line, number)
                quotes = [
                    quote_record(q)
                    for q in extract_reactions(text, title=title)
                    if q.kind != "indirect"
                ]
                dst.write(json.dumps({"id": article_id, "quotes": quotes}, ensure_ascii=False))
                dst.write("\n")
                count += 1
        os.replace(tmp_name, output_path)
    except BaseException:
        pathlib.Path(tmp_name).unlink(missing_ok=True)
        raise
    return count
