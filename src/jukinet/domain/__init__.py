"""The rules of the resident register, in plain Python: no I/O, no third-party imports."""
