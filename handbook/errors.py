"""How the extension stops a build on the user's mistakes."""

from __future__ import annotations


class HandbookExit(SystemExit):
    """Stops the build with a one-line message on stderr and exit status 1.

    A ``SystemExit`` rather than a ``SphinxError``: sphinx-build answers every exception
    with a crash report (versions, traceback, "please report this to the developers"),
    which is the wrong answer to a typo in a YAML file or a missing package. The details
    (every data problem with its file:line) are logged before this is raised.
    """

    category = "Handbook error"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(f"{self.category}: {message}")
