"""Streaming exports of reactions: keyset batches, each rendered and sent before the next."""

import csv
import io
import json
from collections.abc import Iterator
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from schemas.reactions import ReactionRead
from store.repositories.reactions import ReactionFilter, reactions_of_event

EXPORT_BATCH = 1000
ExportFormat = Literal["csv", "jsonl", "json"]
"""CSV rows, JSON lines, or one JSON array."""
# A text cell starting with one of these is a formula to a spreadsheet (OWASP CSV injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "document_id",
    "person_id",
    "person",
    "quote",
    "kind",
    "cue",
    "role",
    "platform",
    "compound",
    "pos",
    "neu",
    "neg",
    "label",
    "outlets",
    "first_url",
    "span_start",
    "span_end",
)


def _csv_row(reaction: ReactionRead) -> list[object]:
    """One reaction as CSV cells, in `CSV_COLUMNS` order."""
    s = reaction.sentiment
    return [
        reaction.id,
        reaction.document_id,
        reaction.person.id if reaction.person else None,
        reaction.speaker,
        reaction.quote,
        reaction.kind,
        reaction.cue,
        reaction.role,
        reaction.platform,
        s.compound,
        s.pos,
        s.neu,
        s.neg,
        s.label,
        reaction.outlets,
        reaction.first_url,
        reaction.span[0],
        reaction.span[1],
    ]


def export_rows(
    factory: sessionmaker[Session], *, event_id: int, where: ReactionFilter, fmt: ExportFormat
) -> Iterator[bytes]:
    """Yield the export chunk by chunk; one short read transaction per batch. `json` is one
    array (its items separated as JSON lines are), `jsonl` one object per line."""
    if fmt == "csv":
        yield _csv_line(list(CSV_COLUMNS))
    elif fmt == "json":
        yield b"["
    after: int | None = None
    while True:
        with factory() as session:
            batch = reactions_of_event(
                session, event_id=event_id, after_id=after, limit=EXPORT_BATCH, where=where
            )
        if fmt == "csv":
            yield b"".join(_csv_line(_csv_row(r)) for r in batch)
        else:
            lead = b",\n" if fmt == "json" and after is not None and batch else b""
            separator = b",\n" if fmt == "json" else b"\n"
            items = separator.join(json.dumps(r.model_dump(mode="json")).encode() for r in batch)
            yield lead + items + (b"\n" if fmt == "jsonl" and batch else b"")
        if len(batch) < EXPORT_BATCH:
            break
        after = batch[-1].id
    if fmt == "json":
        yield b"]\n"


def neutralise_formula(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with `'` so it stays text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_LEADS):
        return "'" + cell
    return cell


def _csv_line(cells: list[object]) -> bytes:
    """One CSV line (RFC 4180 quoting), formula-leading text neutralised."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([neutralise_formula(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")
