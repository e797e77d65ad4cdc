"""OpenDocument list numbering: the "一、" or "1．" an .odt's lists draw but do not store.

A numbered paragraph is the first paragraph of a text:list-item; its level is how deep
its text:list is nested, and the list's text:style-name names a text:list-style (in
content.xml's or styles.xml's styles) whose text:list-level-style-number for that level
gives the format (style:num-format: "1", "一, 二, 三, ...", …), the start, and the label
around the number (LibreOffice's loext:num-list-format "（%2%）", else num-prefix, the
text:display-levels numbers joined by ".", num-suffix). Lists that go on numbering
(text:continue-numbering, text:continue-list) share their counters. Counting follows
docx_lists.py: a level's use resets the deeper ones, an item's text:start-value sets it.

Not read: headings numbered by the outline (text:outline-style), bullets (no label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_LEVELS = 10
# style:num-format values (the first characters of LibreOffice's and the spec's names) as
# the w:numFmt names format_number knows.
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman",
            "一": "chineseCounting", "壹": "chineseLegalSimplified", "甲": "ideographTraditional",
            "子": "ideographZodiac", "①": "decimalEnclosedCircle", "１": "decimalFullWidth"}
_PLACEHOLDER = re.compile(r"%(\d)%")
_LABEL_ENDS = set("、.．)）]】〕:：,，")


@dataclass
class _Level:
    fmt: str  # a format_number name; "" for no number
    start: int
    template: str  # "%1%、": each %N% is level N's number


@dataclass
class Place:
    """Where a text:list stands: its counters, its style, its depth (0: outermost)."""

    chain: int
    style: str
    level: int


class ListNumbers:
    def __init__(self, styles: dict[str, dict[int, _Level]]):
        self._styles = styles
        self._counts: dict[int, list[int | None]] = {}
        self._ids: dict[str, int] = {}  # a list's xml:id -> its chain of counters
        self._last: dict[str, int] = {}  # a style -> the chain its last list used

    @classmethod
    def of(cls, *roots) -> "ListNumbers":
        """The list styles of content.xml and styles.xml (roots that may be None)."""
        styles: dict[str, dict[int, _Level]] = {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter(f"{{{_TEXT}}}list-style"):
                styles[style.get(f"{{{_STYLE}}}name", "")] = _levels(style)
        return cls(styles)

    def enter(self, element, outer: Place | None) -> Place:
        """The place of a text:list: inside an item, one level deeper in the same counters."""
        style = element.get(f"{{{_TEXT}}}style-name")
        if outer is not None:
            return Place(outer.chain, style or outer.style, outer.level + 1)
        style = style or ""
        continued = element.get(f"{{{_TEXT}}}continue-list")
        if continued in self._ids:
            chain = self._ids[continued]
        elif element.get(f"{{{_TEXT}}}continue-numbering") == "true" and style in self._last:
            chain = self._last[style]
        else:
            chain = len(self._counts)
            self._counts[chain] = [None] * _LEVELS
        if element.get(_XML_ID):
            self._ids[element.get(_XML_ID)] = chain
        self._last[style] = chain
        return Place(chain, style, 0)

    def label(self, place: Place, item) -> str:
        """The label of a numbered item's first paragraph ("" when none), counting it."""
        levels = self._styles.get(place.style, {})
        if place.level >= _LEVELS:
            return ""
        counts = self._counts.setdefault(place.chain, [None] * _LEVELS)
        level = levels.get(place.level)
        start = item.get(f"{{{_TEXT}}}start-value")
        if start and start.isdigit():
            counts[place.level] = int(start)
        elif counts[place.level] is None:
            counts[place.level] = level.start if level else 1
        else:
            counts[place.level] += 1
        for deeper in range(place.level + 1, _LEVELS):
            counts[deeper] = None
        return _render(levels, counts, level) if level else ""


def _levels(style) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for element in style.iter(f"{{{_TEXT}}}list-level-style-number"):
        try:
            index = int(element.get(f"{{{_TEXT}}}level", "1")) - 1
            start = int(element.get(f"{{{_TEXT}}}start-value", "1"))
            shown = int(element.get(f"{{{_TEXT}}}display-levels", "1"))
        except ValueError:
            continue
        raw = element.get(f"{{{_STYLE}}}num-format", "")
        fmt = _FORMATS.get(raw[:1], "decimal") if raw else ""
        template = element.get(f"{{{_LOEXT}}}num-list-format")
        if template is None:
            numbers = ".".join(f"%{n + 1}%" for n in range(max(index - shown + 1, 0), index + 1))
            template = element.get(f"{{{_STYLE}}}num-prefix", "") + numbers + element.get(f"{{{_STYLE}}}num-suffix", "")
        if 0 <= index < _LEVELS:
            levels[index] = _Level(fmt, start, template)
    return levels


def _render(levels: dict[int, _Level], counts: list[int | None], level: _Level) -> str:
    from .docx_lists import format_number

    if not level.fmt:
        return ""

    def number(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        shown = levels.get(index) or level
        value = counts[index] if 0 <= index < _LEVELS and counts[index] is not None else shown.start
        return format_number(value, shown.fmt or "decimal")

    text = _PLACEHOLDER.sub(number, level.template).strip()
    return text + " " if text and text[-1] not in _LABEL_ENDS else text
