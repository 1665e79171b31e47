"""Production edges on the real PostgreSQL: private webhook URLs refused at creation, and a CSV
export that a spreadsheet cannot run as formulas."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from netrules import Resolver, url_address_problem
from service.app import create_app
from service.exports import neutralise_formula
from taskqueue import InProcessSender
from tests.factories import AUTH, make_settings
from tests.service.test_events_and_people import define, push

FORMULA_QUOTE = '“=HYPERLINK("http://evil.example") is a generous release,” said Ines Duarte.'


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_leading_cell_is_prefixed_with_a_quote(lead: str) -> None:
    assert neutralise_formula(f"{lead}1+2") == f"'{lead}1+2"


def test_other_cells_are_left_as_they_are() -> None:
    assert neutralise_formula("a fine release") == "a fine release"
    assert neutralise_formula(-0.52) == -0.52
    assert neutralise_formula(None) is None


def test_the_csv_export_neutralises_a_formula_quote(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event = define(client, "Aurora", ["HYPERLINK"])
    push(client, factory, title="Aurora", text=FORMULA_QUOTE)
    exported = client.get(f"/v1/events/{event}/reactions/export", params={"format": "csv"})
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["quote"] for row in rows] == [
        '\'=HYPERLINK("http://evil.example") is a generous release'
    ]
    jsonl = client.get(f"/v1/events/{event}/reactions/export", params={"format": "jsonl"})
    assert '"quote": "=HYPERLINK' in jsonl.text  # JSON is data, not a sheet: kept as stored


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "https://localhost/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest",
        "http://0x7f.1/hook",
    ],
)
def test_a_private_webhook_url_is_refused_at_creation(
    client: TestClient, factory: sessionmaker[Session], url: str
) -> None:
    event = define(client, "Aurora", ["Aurora"])
    response = client.post("/v1/subscriptions", json={"event_id": event, "url": url}, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("url: not a public address")
    assert client.get("/v1/subscriptions", headers=AUTH).json()["items"] == []


def test_private_webhook_urls_are_accepted_when_private_networks_are_allowed(
    postgres_url: str, factory: sessionmaker[Session]
) -> None:
    settings = make_settings(database_url=postgres_url, redis_url=None, allow_private_networks=True)
    with TestClient(create_app(settings, sender=InProcessSender({}))) as allowed:
        event = define(allowed, "Aurora", ["Aurora"])
        response = allowed.post(
            "/v1/subscriptions",
            json={"event_id": event, "url": "http://127.0.0.1:8080/hook"},
            headers=AUTH,
        )
    assert response.status_code == 201


def resolver(answers: list[str]) -> Resolver:
    """A resolver that names `answers` for any host."""
    return lambda _host, _port: answers


def test_the_rule_checks_every_address_a_name_resolves_to() -> None:
    public = resolver(["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
    assert url_address_problem("https://hooks.example/x", resolver=public) is None
    mixed = resolver(["93.184.215.14", "192.168.1.5"])
    assert "192.168.1.5" in (url_address_problem("https://hooks.example/x", resolver=mixed) or "")
    nothing = resolver([])
    assert "no address" in (url_address_problem("https://hooks.example/x", resolver=nothing) or "")


def test_a_nul_in_a_text_filter_is_a_422_before_any_query(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event = define(client, "Aurora", ["Aurora"])
    cases = {
        "outlet": (f"/v1/events/{event}/reactions/export", {"format": "csv", "outlet": "\x00"}),
        "q": ("/v1/people", {"q": "a\x00b"}),
    }
    for field, (path, params) in cases.items():
        response = client.get(path, params=params)
        assert response.status_code == 422, field
        assert response.json()["detail"][0]["loc"] == ["query", field]
