"""What operators see: JSON logs carrying the ids in play, and Prometheus metrics.

Imported by the API, the workers and the CLI alike; it imports none of them.
"""
