"""The `reactions` command: the composition root that wires the API, the workers and the store."""
