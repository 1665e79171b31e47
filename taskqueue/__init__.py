"""Sending background tasks by name: to Celery over Redis, or to an in-process runner."""

from taskqueue.senders import CelerySender, InProcessSender, TaskSender

__all__ = ["CelerySender", "InProcessSender", "TaskSender"]
