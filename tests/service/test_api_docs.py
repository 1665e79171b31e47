"""The API documents itself: a valid OpenAPI document and docs pages that need no internet."""

import re

from fastapi.testclient import TestClient
from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_lists_the_stream(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    stream = spec["paths"]["/v1/events/{event_id}/stream"]["get"]["responses"]
    assert "text/event-stream" in stream["200"]["content"]
    assert stream["4XX"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }


def test_docs_pages_load_their_assets_from_the_app(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert assets, page
        for asset in assets:
            assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
            assert client.get(asset).status_code == 200, asset
        assert "//" not in "".join(assets)


def test_dashboard_links_to_the_local_docs(client: TestClient) -> None:
    html = client.get("/").text
    assert '<a href="/docs">API</a>' in html
