"""The ``jukinet`` command line."""
