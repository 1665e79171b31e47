"""The JSONL runner: scorer-format output, clear errors and no partial output file."""

from __future__ import annotations

import json
import pathlib

import pytest

from workers.extract import ExtractInputError, extract_jsonl, jsonl


def _write(path: pathlib.Path, lines: list[str]) -> pathlib.Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_writes_one_line_per_article_in_scorer_format(tmp_path: pathlib.Path) -> None:
    text = '"The dam will hold," said Mira Holt, an engineer at the county.'
    source = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "a1", "text": text, "title": "Dam", "extra": 1}),
            "",
            json.dumps({"id": "a2", "text": "No quotes in this one."}),
        ],
    )
    target = tmp_path / "out.jsonl"
    assert extract_jsonl(input_path=source, output_path=target) == 2
    first, second = (json.loads(line) for line in target.read_text("utf-8").splitlines())
    assert second == {"id": "a2", "quotes": []}
    (quote,) = first["quotes"]
    assert set(quote) >= {"quote", "speaker", "speaker_name", "cue", "kind", "role", "confidence"}
    assert quote["speaker_type"] == "person"
    s, e = quote["quote"]
    assert text[s:e] == "The dam will hold"
    assert quote["speaker_name"] == "Mira Holt"
    assert quote["role"] == "an engineer at the county"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        (json.dumps({"text": "x"}), "line 2: 'id'"),
        (json.dumps({"id": "b", "text": 5}), "line 2: 'text'"),
        (json.dumps({"id": "b", "text": "x", "title": 3}), "line 2: 'title'"),
        (json.dumps(["id", "text"]), "line 2: expected a JSON object"),
    ],
)
def test_bad_line_names_the_line_and_leaves_no_output(
    tmp_path: pathlib.Path, bad: str, message: str
) -> None:
    source = _write(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": "ok"}), bad])
    target = tmp_path / "out.jsonl"
    with pytest.raises(ExtractInputError, match=message):
        extract_jsonl(input_path=source, output_path=target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_existing_output_is_kept_when_input_is_bad(tmp_path: pathlib.Path) -> None:
    source = _write(tmp_path / "in.jsonl", ["{broken"])
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(ExtractInputError):
        extract_jsonl(input_path=source, output_path=target)
    assert target.read_text(encoding="utf-8") == "previous\n"


def test_over_long_line_is_rejected_without_reading_it_whole(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE_CHARS", 100)
    source = _write(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": "x" * 500})])
    with pytest.raises(ExtractInputError, match="line 1: longer than 100 characters"):
        extract_jsonl(input_path=source, output_path=tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_boolean_id_is_rejected(tmp_path: pathlib.Path) -> None:
    source = _write(tmp_path / "in.jsonl", [json.dumps({"id": True, "text": "x"})])
    with pytest.raises(ExtractInputError, match="line 1: 'id'"):
        extract_jsonl(input_path=source, output_path=tmp_path / "out.jsonl")
