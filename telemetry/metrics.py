"""The Prometheus metrics of the API and the workers, and their exposition.

With `PROMETHEUS_MULTIPROC_DIR` set (Celery's prefork children, several uvicorn workers), each
process writes its samples to files there and the exposition merges them; without it, this
process's own registry is served.
"""

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import Collector

from telemetry.multiproc import ensure_multiprocess_dir, multiprocess_dir

ensure_multiprocess_dir()
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 180.0, 600.0, 1800.0, 3600.0)

HTTP_REQUESTS = Counter(
    "reactions_http_requests_total",
    "API requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "reactions_http_request_duration_seconds",
    "Time to answer an API request (until the response starts), by method and route template.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
DOCUMENTS_PROCESSED = Counter(
    "reactions_documents_processed_total", "Documents processed (reactions stored, events updated)."
)
DOCUMENTS_FAILED = Counter(
    "reactions_documents_failed_total", "Documents given up on after their last attempt."
)
DOCUMENT_ATTEMPTS = Counter(
    "reactions_document_attempts_total",
    "Processing attempts by outcome (processed, retry, failed, busy, skipped, missing).",
    ["outcome"],
)
DOCUMENT_LAG = Histogram(
    "reactions_document_lag_seconds",
    "From a document's arrival (queued) to its processing.",
    buckets=LAG_BUCKETS,
)
SWEEPER_RESENT = Counter(
    "reactions_sweeper_resent_total",
    "Messages the sweeper re-sent because the first was lost, by kind.",
    ["kind"],
)
WEBHOOK_DELIVERIES = Counter(
    "reactions_webhook_deliveries_total",
    "Webhook attempts by the delivery status they left (succeeded, retrying, failed...).",
    ["outcome"],
)
STREAM_CLIENTS = Gauge(
    "reactions_stream_clients",
    "Clients connected to a live summary stream.",
    multiprocess_mode="livesum",
)
TASKS = Counter(
    "reactions_tasks_total", "Celery tasks run, by task name and final state.", ["task", "state"]
)
TASK_DURATION = Histogram(
    "reactions_task_duration_seconds",
    "Time a Celery task ran, by task name.",
    ["task"],
    buckets=LATENCY_BUCKETS,
)


def scrape_registry() -> CollectorRegistry:
    """The registry to expose: every process's samples in multi-process mode, else this one's."""
    if multiprocess_dir() is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def exposition(*extra: Collector) -> tuple[bytes, str]:
    """The metrics in Prometheus' text format (plus those `extra` collectors read now), and
    its content type."""
    body = generate_latest(scrape_registry())
    if extra:
        scraped = CollectorRegistry(auto_describe=False)
        for collector in extra:
            scraped.register(collector)
        body += generate_latest(scraped)
    return body, CONTENT_TYPE_LATEST
