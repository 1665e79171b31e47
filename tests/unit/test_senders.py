"""The shortcut sender runs a worker's own announcements in place and falls back to the broker."""

from schemas.tasks import PROCESS_DOCUMENT, SUMMARY_CHANGED
from taskqueue.senders import ShortcutSender
from tests.unit.test_summary_cache import Recorder


def test_local_tasks_run_in_place_and_the_rest_is_sent() -> None:
    ran: list[tuple[int, ...]] = []
    broker = Recorder()
    sender = ShortcutSender(broker, {SUMMARY_CHANGED: lambda *args: ran.append(args)})
    sender.send(SUMMARY_CHANGED, 3, 7)
    sender.send(PROCESS_DOCUMENT, 9)
    sender.send(SUMMARY_CHANGED, 4, 1, countdown=5)
    assert ran == [(3, 7)]
    assert broker.sent == [(PROCESS_DOCUMENT, (9,)), (SUMMARY_CHANGED, (4, 1))]


def test_a_failing_local_run_goes_to_the_broker() -> None:
    def broken(*_args: int) -> None:
        raise RuntimeError("redis is down")

    broker = Recorder()
    ShortcutSender(broker, {SUMMARY_CHANGED: broken}).send(SUMMARY_CHANGED, 3, 7)
    assert broker.sent == [(SUMMARY_CHANGED, (3, 7))]
