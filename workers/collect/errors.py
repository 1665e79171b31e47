"""The errors a collector records on its source instead of crashing the worker."""


class CollectError(Exception):
    """A source or entry could not be collected; the message is stored as the source's error."""


class BlockedAddressError(CollectError):
    """A URL resolved to an address the fetch-safety rule forbids."""
