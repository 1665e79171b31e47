"""The whole subscription scenario in embedded mode and in docker-compose mode (processes)."""

import pytest

from tests.deliver.conftest import Embedded
from tests.deliver.helpers import Receiver
from tests.deliver.scenario import run_scenario


@pytest.mark.postgres
def test_embedded_mode(embedded: Embedded, receiver: Receiver) -> None:
    run_scenario(api_urls=[embedded.url], receiver=receiver)


@pytest.mark.e2e
def test_compose_mode_two_api_processes_and_a_worker(
    compose_urls: list[str], receiver: Receiver
) -> None:
    run_scenario(api_urls=compose_urls, receiver=receiver)
