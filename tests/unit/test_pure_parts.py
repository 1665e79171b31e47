"""Unit tests of the pure parts: matching, labels, cursors, settings, the in-process runner."""

import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from pydantic import ValidationError

from config import Settings
from domain.names import name_key, names_someone
from domain.sentiment import label_of
from service.pagination import decode_cursor, encode_cursor, next_cursor
from store.repositories.documents import content_hash
from taskqueue import InProcessSender
from usecases.errors import InvalidInputError
from workers.aggregate.matching import EventRule, keyword_found, matching_events
from workers.score.sentiment import score_text


def test_keywords_match_whole_words_and_phrases_case_insensitively() -> None:
    assert keyword_found("Qwen", "the qwen team")
    assert not keyword_found("Qwen", "the Qwenlike team")
    assert keyword_found("Junyang Lin", "JUNYANG\n LIN said")
    assert keyword_found("C++", "a C++ compiler")
    assert not keyword_found("Lin", "Linda said")


def test_matching_events_any_all_people_and_window() -> None:
    noon = datetime(2026, 3, 3, 12, tzinfo=UTC)
    rules = [
        EventRule(event_id=1, keywords=("launch", "Qwen 3.5"), match="any"),
        EventRule(event_id=2, keywords=("launch", "departure"), match="all"),
        EventRule(event_id=3, keywords=("launch",), match="all"),
        EventRule(event_id=4, keywords=("launch",), match="any", people=("Ada Byron",)),
        EventRule(
            event_id=5,
            keywords=("launch",),
            match="any",
            starts_at=noon - timedelta(days=1),
            ends_at=noon,
        ),
    ]

    def ids(title: str | None, text: str, moment: datetime = noon) -> list[int]:
        found = matching_events(title=title, text=text, moment=moment, rules=rules)
        return [rule.event_id for rule in found]

    assert ids("Qwen 3.5 launch", "body") == [1, 3]
    assert ids(None, "a departure after the launch") == [1, 2, 3]
    assert ids(None, "the launch, said Ada Byron") == [1, 3, 4]
    assert ids(None, "the launch", noon - timedelta(hours=1)) == [1, 3, 5]
    assert ids(None, "the launch", datetime(2026, 3, 3, 11)) == [1, 3, 5]
    assert ids(None, "nothing here") == []


def test_sentiment_labels_follow_the_vader_convention() -> None:
    assert [label_of(v) for v in (0.05, 0.0499, -0.0499, -0.05)] == [
        "positive",
        "neutral",
        "neutral",
        "negative",
    ]
    good = score_text("This is a wonderful, brilliant achievement")
    assert (good.label, good.compound) == ("positive", 0.8176)
    assert good.pos + good.neu + good.neg == pytest.approx(1.0, abs=0.01)


def test_cursor_round_trip_and_malformed_cursor() -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    assert decode_cursor(None) is None
    assert next_cursor([1, 2], 2) == encode_cursor(2)
    assert next_cursor([1], 2) is None
    for bad in ("!!!", encode_cursor(1)[:-2] + "zz", "aWQ6eA"):
        with pytest.raises(InvalidInputError, match="cursor"):
            decode_cursor(bad)


def test_content_hash_ignores_whitespace_runs_only() -> None:
    assert content_hash("a  b\n") == content_hash("a b")
    assert content_hash("a b") != content_hash("a c")


def test_name_key_folds_case_accents_and_honorifics() -> None:
    assert name_key("Mr. José  Núñez") == name_key("jose nunez")
    assert name_key("Hillary Clinton") != name_key("Bill Clinton")
    assert name_key("Donald J. Trump") == name_key("Donald Trump")
    assert name_key("Martin Luther King") != name_key("Martin King")
    assert name_key("Republican Donald Trump") == name_key("Donald Trump")
    assert name_key("President Obama") != name_key("Obama")


def test_descriptions_are_not_proper_names() -> None:
    for name in ("Ann Lee", "Charles de Gaulle", "Beto O'Rourke", "DNC", "The New York Times"):
        assert names_someone(name), name
    descriptions = (
        "the senator",
        "The campaign",
        "Campaign aides",
        "one person",
        "this week",
        "Two people briefed",
        "Staff",
        "Rivals",
        "a spokesperson",
        "The company",
    )
    for name in descriptions:
        assert not names_someone(name), name


def test_settings_refuse_placeholder_token_on_the_production_path() -> None:
    with pytest.raises(ValidationError, match="ADMIN_TOKEN"):
        Settings(redis_url="redis://127.0.0.1:6379/0", admin_token="change-me")
    with pytest.raises(ValidationError, match="max_document_bytes"):
        Settings(max_document_bytes=10)
    embedded = Settings(redis_url="", admin_token=None)
    assert embedded.embedded
    assert embedded.max_document_bytes == 2 * 1024 * 1024
    assert embedded.public_reads


def test_in_process_sender_runs_tasks_and_retries() -> None:
    calls: list[int] = []
    done = threading.Event()

    def flaky(value: int) -> float | None:
        calls.append(value)
        if len(calls) < 3:
            return 0.01
        done.set()
        return None

    def broken(value: int) -> float | None:
        raise RuntimeError(value)

    sender = InProcessSender({"flaky": flaky, "broken": broken})
    sender.start()
    sender.send("broken", 1)
    sender.send("flaky", 7)
    assert done.wait(5)
    sender.stop()
    assert calls == [7, 7, 7]
    assert not sender.alive


def test_in_process_tasks_that_meet_an_outage_run_again() -> None:
    calls: list[int] = []
    done = threading.Event()

    def outage_once(value: int) -> float | None:
        calls.append(value)
        if len(calls) == 1:
            raise psycopg.OperationalError("connection failed: Connection refused")
        done.set()
        return None

    sender = InProcessSender({"work": outage_once}, outage_retry_s=0.01)
    sender.start()
    sender.send("work", 4)
    assert done.wait(5)
    sender.stop()
    assert calls == [4, 4]
