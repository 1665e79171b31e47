"""Tests of the quote extraction and attribution engine (workers/extract)."""
