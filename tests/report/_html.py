"""Reading the rendered page back: tagged figures and structure (stdlib html.parser)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any


class Figures(HTMLParser):
    """Collects (path, style, text) of every ``<span class="fig" data-field=…>``."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[list[Any], str, str]] = []
        self._open: tuple[list[Any], str] | None = None
        self._text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "span" and a.get("data-field") is not None:
            self._open = (json.loads(a["data-field"] or "[]"), a.get("data-style") or "")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open is not None:
            self.figures.append((*self._open, "".join(self._text)))
            self._open = None


def parse(html: str) -> Figures:
    parser = Figures()
    parser.feed(html)
    return parser
