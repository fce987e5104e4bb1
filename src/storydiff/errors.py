"""Errors every front end shares: the command lines of the library, the store and the web app raise
them, and `storydiff.cli.main` turns them into one line and an exit status."""

from __future__ import annotations


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""
