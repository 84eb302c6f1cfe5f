"""The refusal of every workshop allocation step."""

from __future__ import annotations


class AllocationError(Exception):
    """A step that cannot be taken; ``messages`` are German sentences for the person.
    Nothing has been changed when one is raised."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)
