"""The pure core: plain typed values and functions with no I/O, shared by workers and service."""
