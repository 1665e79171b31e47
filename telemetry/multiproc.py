"""prometheus-client's multi-process mode: one directory per service where every process (Celery
pool children, uvicorn workers) writes its samples, merged when scraped.

Kept apart from the metric definitions: a process must empty the directory before it defines
any metric, since defining one opens its file there.
"""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> Path | None:
    """The directory shared by this service's processes, when multi-process mode is on."""
    raw = os.environ.get(MULTIPROC_ENV)
    return Path(raw) if raw else None


def ensure_multiprocess_dir() -> None:
    """Create the directory if multi-process mode is on (metrics cannot be defined without it)."""
    directory = multiprocess_dir()
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)


def reset_multiprocess_dir() -> None:
    """Empty the directory at a service's start, so a previous run's samples are not served."""
    directory = multiprocess_dir()
    if directory is None:
        return
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)


def mark_process_dead(pid: int) -> None:
    """Drop a finished process's live gauges."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(pid)
