"""Errors with a Portuguese and an English message."""

from __future__ import annotations


class DisclosureInputError(ValueError):
    """Malformed input to disclosure control (hierarchy, inner cells, previous release)."""

    def __init__(self, message_pt: str, message_en: str) -> None:
        super().__init__(f"{message_pt} / {message_en}")
        self.message_pt = message_pt
        self.message_en = message_en
