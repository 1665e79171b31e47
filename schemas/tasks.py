"""Names of the background tasks, in one place for the senders and the workers."""

PROCESS_DOCUMENT = "reactions.process_document"
SWEEP_QUEUED = "reactions.sweep_queued"
BACKFILL_EVENT = "reactions.backfill_event"
SUMMARY_CHANGED = "reactions.summary_changed"
