"""Live summary updates: the fan-out hub of an API process and the publishers that feed it.

Workers publish each new summary; in docker-compose mode through Redis pub/sub (one subscriber
connection per API process), in embedded mode straight into the process's hub.
"""

from notify.hub import Listener, StreamHub, sse_frame
from notify.publish import RedisPublisher, SummaryPublisher, channel_for

__all__ = [
    "Listener",
    "RedisPublisher",
    "StreamHub",
    "SummaryPublisher",
    "channel_for",
    "sse_frame",
]
