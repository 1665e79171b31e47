"""Quote extraction and speaker attribution for news articles: pure functions, no I/O inside."""

from .engine import extract_reactions
from .jsonl import extract_jsonl
from .model import ExtractedQuote, ExtractInputError

__all__ = ["ExtractInputError", "ExtractedQuote", "extract_jsonl", "extract_reactions"]
