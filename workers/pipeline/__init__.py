"""The document pipeline: extract, score, attribute, assign to events, summarise."""
