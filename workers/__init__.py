"""Background work: the Celery app, the document pipeline and its pure stages."""
