"""Word 97–2003 automatic numbering: the "一、" or "1．" a .doc draws but does not store.

As in a .docx (docx_lists.py), a numbered paragraph holds only a reference: its
properties name a list format override (sprmPIlfo, 1-based into PlfLfo) and a level
(sprmPIlvl); the override names a list (lsid) in PlfLst, whose LVL of that level gives
the start, the number format (an MSONFC code) and the number text, where the characters
0–8 stand for the numbers of levels 1–9 ([MS-DOC] 2.9.150 PlfLst, 2.9.131 LVL, 2.9.151
PlfLfo). `ListNumbers.label(ilfo, ilvl)` is called for every paragraph in document order,
counting as docx_lists.py counts: per list, a level's use resetting the deeper ones, an
override's start-at restarting a level the first time it is used.

Not read: numbering that comes from a paragraph style alone (no sprmPIlfo on the paragraph)
and an override's own level formats; such paragraphs keep no label, as before.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_LEVELS = 9
_LSTF_SIZE, _LVLF_SIZE, _LFO_SIZE = 28, 28, 16
_SIMPLE_LIST = 0x01  # LSTF.fSimpleList: one level instead of nine
_LEGAL = 0x04  # LVLF.fLegal: every level shown as decimal
_NO_RESTART = 0x08  # LVLF.fNoRestart: restarts only after levels above ilvlRestartLim
# MSONFC codes ([MS-OSHARED] 2.2.1.3) as the w:numFmt names format_number knows.
_FORMATS = {
    0: "decimal", 1: "upperRoman", 2: "lowerRoman", 3: "upperLetter", 4: "lowerLetter",
    10: "ideographDigital", 11: "japaneseCounting", 14: "decimalFullWidth", 16: "japaneseLegal",
    18: "decimalEnclosedCircle", 19: "decimalFullWidth2", 22: "decimalZero", 23: "bullet",
    26: "decimalEnclosedFullstop", 27: "decimalEnclosedParen", 28: "decimalEnclosedCircleChinese",
    30: "ideographTraditional", 31: "ideographZodiac", 33: "taiwaneseCounting",
    34: "ideographLegalTraditional", 35: "taiwaneseCountingThousand", 37: "chineseCounting",
    38: "chineseLegalSimplified", 39: "chineseCountingThousand", 255: "none",
}
_LABEL_ENDS = set("、.．)）]】〕:：,，")


@dataclass
class _Level:
    start: int
    fmt: str
    legal: bool
    text: str  # the number text, "\x00、" for "%1、"
    restart_limit: int | None = None  # None: restarts after any level above it


class ListNumbers:
    def __init__(self, lists: dict[int, list[_Level]], overrides: list[tuple[int, dict[int, int]]]):
        self._lists = lists  # lsid -> levels
        self._overrides = overrides  # ilfo (1-based) -> (lsid, {ilvl: start})
        self._counts: dict[int, list[int | None]] = {}
        self._entered: set[tuple[int, int]] = set()

    @classmethod
    def of(cls, table: bytes, lst: tuple[int, int], lfo: tuple[int, int]) -> "ListNumbers":
        """The numbering of a file; a damaged list table numbers nothing rather than fail
        the whole plan (its text is still there, only labels are missing)."""
        try:
            return cls(_lists(table, *lst), _overrides(table, *lfo))
        except (struct.error, IndexError):
            return cls({}, [])

    def label(self, ilfo: int, ilvl: int) -> str:
        """The label of a paragraph with this list reference ("" when none), counting it."""
        if ilfo <= 0 or ilfo > len(self._overrides) or not 0 <= ilvl < _LEVELS:
            return ""
        lsid, starts = self._overrides[ilfo - 1]
        levels = self._lists.get(lsid)
        if not levels or ilvl >= len(levels):
            return ""
        counts = self._counts.setdefault(lsid, [None] * _LEVELS)
        if (ilfo, ilvl) not in self._entered and ilvl in starts:
            counts[ilvl] = starts[ilvl]
        elif counts[ilvl] is None:
            counts[ilvl] = levels[ilvl].start
        else:
            counts[ilvl] += 1
        self._entered.add((ilfo, ilvl))
        for deeper in range(ilvl + 1, len(levels)):
            limit = levels[deeper].restart_limit
            if limit is None or ilvl < limit:
                counts[deeper] = None
        return _render(levels, counts, levels[ilvl])


def _render(levels: list[_Level], counts: list[int | None], level: _Level) -> str:
    from .docx_lists import format_number

    if level.fmt == "bullet" or not level.text:
        return ""  # bullets are decoration, not numbers a question can refer to
    parts = []
    for ch in level.text:
        index = ord(ch)
        if index < _LEVELS and index < len(levels):
            value = counts[index] if counts[index] is not None else levels[index].start
            parts.append(format_number(value, "decimal" if level.legal else levels[index].fmt))
        elif index >= _LEVELS:
            parts.append(ch)
    text = "".join(parts).strip()
    return text + " " if text and text[-1] not in _LABEL_ENDS else text


def _lists(table: bytes, fc: int, lcb: int) -> dict[int, list[_Level]]:
    """PlfLst's LSTFs, then every list's LVLs, which follow PlfLst in the table stream."""
    if lcb < 2 or fc + lcb > len(table):
        return {}
    count = struct.unpack_from("<h", table, fc)[0]
    if count <= 0 or 2 + count * _LSTF_SIZE > lcb:
        return {}
    lists: dict[int, list[_Level]] = {}
    at = fc + lcb
    for index in range(count):
        lstf = fc + 2 + index * _LSTF_SIZE
        lsid = struct.unpack_from("<i", table, lstf)[0]
        levels = []
        for _ in range(1 if table[lstf + 26] & _SIMPLE_LIST else _LEVELS):
            level, at = _level(table, at)
            levels.append(level)
        lists[lsid] = levels
    return lists


def _level(table: bytes, at: int) -> tuple[_Level, int]:
    """One LVL: LVLF, grpprlPapx, grpprlChpx, then the number text (a length and UTF-16)."""
    start, nfc, flags = struct.unpack_from("<iBB", table, at)
    chpx, papx, limit = table[at + 24], table[at + 25], table[at + 26]
    text_at = at + _LVLF_SIZE + papx + chpx
    length = struct.unpack_from("<H", table, text_at)[0]
    text = table[text_at + 2:text_at + 2 + 2 * length].decode("utf-16-le", "replace")
    level = _Level(start, _FORMATS.get(nfc, "decimal"), bool(flags & _LEGAL), text,
                   limit if flags & _NO_RESTART else None)
    return level, text_at + 2 + 2 * length


def _overrides(table: bytes, fc: int, lcb: int) -> list[tuple[int, dict[int, int]]]:
    """PlfLfo's LFOs (lsid), then each one's LFOData: a cp and clfolvl LFOLVLs, of which
    the start-at overrides are kept (a formatting override's LVL is skipped over)."""
    if lcb < 4 or fc + lcb > len(table):
        return []
    count = struct.unpack_from("<i", table, fc)[0]
    if count <= 0 or 4 + count * _LFO_SIZE > lcb:
        return []
    overrides = []
    at = fc + 4 + count * _LFO_SIZE
    for index in range(count):
        lfo = fc + 4 + index * _LFO_SIZE
        lsid = struct.unpack_from("<i", table, lfo)[0]
        levels = table[lfo + 12]
        starts: dict[int, int] = {}
        at += 4  # LFOData.cp
        for _ in range(levels):
            start, flags = struct.unpack_from("<iI", table, at)
            at += 8
            if flags & 0x10:  # fStartAt
                starts[flags & 0x0F] = start
            if flags & 0x20:  # fFormatting: an LVL follows
                _, at = _level(table, at)
        overrides.append((lsid, starts))
    return overrides
