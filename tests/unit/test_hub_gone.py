"""The stream hub forgets an event announced gone: its cached summary and its clients."""

from notify.hub import GONE, StreamHub


def test_a_gone_event_leaves_the_hub_cache_and_ends_its_streams() -> None:
    hub = StreamHub(queue_size=2)
    listener = hub.listen(7)
    hub.fan_out(7, 3, body=b'{"event_id": 7}')
    assert hub.cache.get(7) == b'{"event_id": 7}'
    hub.fan_out(7, 0, body=GONE)
    assert hub.cache.get(7) is None
    assert listener.dropped.is_set()
    assert hub.listener_count() == 0
