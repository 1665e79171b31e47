"""Speaker ranker: candidates, the shipped weights, and a deterministic training run."""

from __future__ import annotations

import json
import pathlib

from workers.extract import extract_reactions
from workers.extract.engine import speaker_candidates
from workers.extract.ranker import Candidate, choose, load_weights
from workers.extract.speakers import Mention, build_registry, resolve_name
from workers.extract.train_speaker import examples
from workers.extract.train_speaker import main as train_main


def _texts(text: str, options: list[Candidate]) -> set[str | None]:
    return {text[c.mention.start : c.mention.end] if c.mention else None for c in options}


def test_candidates_hold_every_clause_subject_and_nobody() -> None:
    text = (
        "Nia Oduya, who chairs the board, argued that the budget was "
        "\u201ca promise we cannot keep.\u201d"
    )
    ((span, options),) = speaker_candidates(text)
    assert text[span[0] : span[1]] == "a promise we cannot keep."
    assert {"Nia Oduya", "who", "the budget", None} <= _texts(text, options)


def test_sentence_before_gives_candidates_to_a_quote_opening_a_sentence() -> None:
    text = "The two engineers wrote to the council. \u201cThe bridge needs a new deck.\u201d"
    ((_, options),) = speaker_candidates(text)
    assert "two engineers" in _texts(text, options)


def test_a_tag_with_any_verb_offers_its_speaker() -> None:
    """Tags after the quote with verbs outside the lexicon: inverted and subject first."""
    inverted = (
        "Ivo Tan spoke before the vote.\n\n"
        "\u201cThe dam will hold for another winter,\u201d agrees Marta Lind, 41, of Dover."
    )
    ((_, options),) = speaker_candidates(inverted)
    assert "Marta Lind" in _texts(inverted, options)
    subject_first = (
        "Ivo Tan spoke before the vote.\n\n"
        "\u201cThe dam will hold for another winter,\u201d Marta Lind sang from the bank."
    )
    ((_, options),) = speaker_candidates(subject_first)
    assert "Marta Lind" in _texts(subject_first, options)


def test_shipped_weights_load_and_choose_a_probability() -> None:
    weights = load_weights()
    assert weights, "workers/extract/data/speaker_weights.json is missing"
    ((_, options),) = speaker_candidates('"We will win," Ada Brook said.')
    best, probability = choose(options, weights)
    assert best.mention is not None
    assert best.mention.text == "Ada Brook"
    assert 0.0 < probability <= 1.0


def test_relative_clause_speaker_is_kept() -> None:
    text = "Tom Reyes, a farmer who sells at the market, said \u201cprices are too low.\u201d"
    (quote,) = [q for q in extract_reactions(text) if q.kind != "indirect"]
    assert quote.speaker_name == "Tom Reyes"


def _gold_article() -> dict[str, object]:
    text = '"Rain is coming," said Lea Moss. Ivo Tan wrote that the dam is "almost full."'
    quotes = [(1, 16), (len(text) - 13, len(text) - 2)]
    sources = [(22, 30), (33, 40)]
    return {
        "id": "a1",
        "title": "",
        "text": text,
        "attributions": [
            {"direct": True, "quotes": [list(q)], "source": [list(s)]}
            for q, s in zip(quotes, sources, strict=True)
        ],
    }


def test_training_is_deterministic(tmp_path: pathlib.Path) -> None:
    corpus = tmp_path / "gold.jsonl"
    corpus.write_text(json.dumps(_gold_article()) + "\n", encoding="utf-8")
    first, second = tmp_path / "w1.json", tmp_path / "w2.json"
    assert train_main(["--corpus", str(corpus), "--output", str(first)]) == 0
    assert train_main(["--corpus", str(corpus), "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    payload = json.loads(first.read_text(encoding="utf-8"))
    assert payload["quotes"] == 2
    assert any(w > 0 for w in payload["weights"].values())


def test_pronoun_candidate_knows_it_stands_for_the_previous_speaker() -> None:
    text = (
        '"The vote is close," Ada Brook said on Monday. The council met later. '
        'Rival groups argued, and she added that the plan was "far from settled" then.'
    )
    _, (_, options) = speaker_candidates(text)
    she = next(c for c in options if c.mention is not None and c.mention.text == "she")
    assert {"coref|previous|pronoun", "coref|recent|pronoun"} <= she.features


def test_resolve_name_gives_antecedents_and_full_names() -> None:
    text = "Ada Brook arrived. Brook spoke, then she left."
    registry = build_registry(text)
    surname = Mention(19, 24, "Brook", "Brook", None)
    pronoun = Mention(text.index("she"), text.index("she") + 3, "she", None, None)
    assert resolve_name(surname, registry) == "Ada Brook"
    assert resolve_name(pronoun, registry) == "Ada Brook"


def test_training_accepts_a_candidate_whose_resolved_name_is_the_source() -> None:
    text = 'Lea Moss spoke first. "Rain is coming," she said.'
    quote = text.index("Rain")
    record = {
        "id": "a2",
        "text": text,
        "attributions": [
            {
                "direct": True,
                "quotes": [[quote, quote + len("Rain is coming")]],
                "source": [[0, 8]],
                "source_text": "Lea Moss",
            }
        ],
    }
    ((features, labels),) = examples(iter([json.dumps(record)]))
    (pronoun,) = [n for n, fs in enumerate(features) if "kind|pronoun" in fs]
    assert labels[pronoun]
