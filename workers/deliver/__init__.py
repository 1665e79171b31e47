"""Webhook delivery of event summaries: coalescing, signing, sending, retries, live publishing."""
