"""The one base of domain refusals: a service refused the request and changed nothing.

Every app's refusals derive from ``Refused`` (``tasks.errors.WorkflowError`` and its kinds,
``ratings.services.RatingRefused``; the branch-life services raise ``Refused`` itself), so a
view catches the base and shows ``messages`` (or ``message``, the first) to the user.
"""

from __future__ import annotations


class Refused(Exception):
    """A domain rule refused the request; ``messages`` say why, for the user (the first one
    is the headline, ``message``; any further ones are the details)."""

    def __init__(self, *messages: str):
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))

    @property
    def message(self) -> str:
        return self.messages[0] if self.messages else ""
