"""Beat with a heartbeat: each tick touches a file, so a healthcheck can tell beat is alive.

`celery beat --scheduler workers.beat:HeartbeatScheduler`; `python -m workers.beat` exits 0
while the heartbeat is fresh (the docker-compose healthcheck).
"""

import sys
import time
from typing import Any

from celery.beat import PersistentScheduler

from config import get_settings

# Beat ticks at least every REACTIONS_COLLECT_TICK_S (15 s) with our schedule; this is slack.
STALE_AFTER_S = 120.0


class HeartbeatScheduler(PersistentScheduler):
    """The default persistent scheduler, touching the heartbeat file on every tick."""

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """Touch the heartbeat, then schedule as usual."""
        get_settings().beat_heartbeat_file.touch()
        interval: float = super().tick(*args, **kwargs)
        return interval


def heartbeat_age(now: float | None = None) -> float | None:
    """Seconds since beat last ticked, or None when it never did."""
    path = get_settings().beat_heartbeat_file
    if not path.exists():
        return None
    return (time.time() if now is None else now) - path.stat().st_mtime


def main() -> int:
    """Exit 0 when beat ticked within STALE_AFTER_S, else 1 with the reason."""
    age = heartbeat_age()
    if age is None or age > STALE_AFTER_S:
        print(f"beat: no tick for {'ever' if age is None else f'{age:.0f}s'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
