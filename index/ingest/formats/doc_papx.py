"""Paragraph properties of a Word 97–2003 file: which paragraphs are in a table, which
mark ends a table row, and that row's cells ([MS-DOC] 2.9.177 PlcBtePapx, 2.9.175
PapxFkp, 2.6 Sprm, 2.9.328 TDefTableOperand).

Word writes a table's cells into the text as paragraphs ending with \\x07; the row ends
with one more \\x07, the "table terminating paragraph" (TTP), whose properties carry the
row's cell boundaries and merges. Only these few properties are read: fonts, styles and
the rest do not change what a plan says.
"""

from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass, field

FKP_SIZE = 512
_SPRM_IN_TABLE = 0x2416  # sprmPFInTable
_SPRM_TTP = 0x2417  # sprmPFTtp
_SPRM_INNER_TTP = 0x244C  # sprmPFInnerTtp: a nested table's row end
_SPRM_INNER_CELL = 0x244B  # sprmPFInnerTableCell: a nested table's cell end
_SPRM_ITAP = 0x6649  # sprmPItap: table depth
_SPRM_DEF_TABLE = 0xD608  # sprmTDefTable: cell boundaries and TC80s
_SPRM_ILFO = 0x460B  # sprmPIlfo: the paragraph's list format override (1-based; 0: none)
_SPRM_ILVL = 0x260A  # sprmPIlvl: its list level
_SPRM_VERT_MERGE = 0xD62B  # sprmTVertMerge
_SPRM_CHANGE_TABS = 0xC615  # sprmPChgTabs: the one variable operand with a size of its own
# sprmPHugePapx: the properties are too long for the FKP page (a wide row's TDefTable) and
# stand in the Data stream at the operand's offset, after a 2-byte size.
_SPRM_HUGE_PAPX = 0x6646
# Operand sizes by spra, the top three bits of a sprm ([MS-DOC] 2.2.5.1); 6 is variable.
_OPERAND_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}
_TC80_SIZE = 20


@dataclass
class Para:
    """What matters of one paragraph's properties."""

    in_table: bool = False
    row_end: bool = False  # the TTP of an outermost table row
    inner: bool = False  # a mark of a table nested in a cell
    bounds: list[int] = field(default_factory=list)  # the row's cell boundaries (twips)
    merges: dict[int, int] = field(default_factory=dict)  # cell index -> vertMerge (1: continues)
    ilfo: int = 0  # automatic numbering (doc_lists.py): list format override, 0 for none
    ilvl: int = 0


class Papx:
    """Paragraph properties by file position (FC) of the paragraph's mark."""

    def __init__(self, word: bytes, table: bytes, data: bytes, fc_plc: int, lcb_plc: int):
        self._data = data  # the Data stream, for sprmPHugePapx
        self._paras: dict[int, Para] = {}
        self._starts: list[int] = []
        self._runs: list[tuple[int, int, bytes]] = []
        runs = sorted(_runs(word, table, fc_plc, lcb_plc))
        for start, end, grpprl in runs:
            self._starts.append(start)
            self._runs.append((start, end, grpprl))

    def at(self, fc: int) -> Para | None:
        """The properties of the paragraph whose mark is at `fc`, None when no run holds it."""
        i = bisect.bisect_right(self._starts, fc) - 1
        if i < 0 or not self._runs[i][0] <= fc < self._runs[i][1]:
            return None
        if i not in self._paras:  # every cell of a row shares its run's properties
            self._paras[i] = _para(self._runs[i][2], self._data)
        return self._paras[i]


def fkp_pages(word: bytes, table: bytes, fc_plc: int, lcb_plc: int):
    """The 512-byte FKP pages a PlcBtePapx or PlcBteChpx points to (a PLC of FCs, then
    one page number a run)."""
    count = (lcb_plc - 4) // 8
    if count <= 0 or fc_plc + lcb_plc > len(table):
        return
    pns = struct.unpack_from(f"<{count}I", table, fc_plc + 4 * (count + 1))
    for pn in pns:
        offset = (pn & 0x3FFFFF) * FKP_SIZE
        page = word[offset:offset + FKP_SIZE]
        if len(page) == FKP_SIZE:
            yield page


def _runs(word: bytes, table: bytes, fc_plc: int, lcb_plc: int):
    """(fc start, fc end, grpprl) of every paragraph run in every PAPX FKP page."""
    for page in fkp_pages(word, table, fc_plc, lcb_plc):
        yield from _page_runs(page)


def _page_runs(page: bytes):
    crun = page[-1]
    if crun == 0 or 4 * (crun + 1) + 13 * crun > FKP_SIZE - 1:
        return
    fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
    base = 4 * (crun + 1)
    for i in range(crun):
        where = page[base + 13 * i] * 2  # BxPap.bOffset, in words; 0: no properties
        yield fcs[i], fcs[i + 1], _grpprl(page, where) if where else b""


def _grpprl(page: bytes, where: int) -> bytes:
    """The sprms of a PapxInFkp, less its style index (GrpPrlAndIstd's istd)."""
    cb = page[where]
    start, size = (where + 1, 2 * cb - 1) if cb else (where + 2, 2 * page[where + 1])
    return page[start + 2:start + size]


def sprms(grpprl: bytes):
    """(sprm, operand) pairs; a truncated or unknown-sized one ends the list."""
    i = 0
    while i + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        size = _operand_size(sprm, grpprl, i)
        if size is None or i + size > len(grpprl):
            return
        yield sprm, grpprl[i:i + size]
        i += size


def _operand_size(sprm: int, data: bytes, i: int) -> int | None:
    spra = sprm >> 13
    if spra != 6:
        return _OPERAND_SIZE[spra]
    if sprm == _SPRM_DEF_TABLE:  # a 2-byte size, counting itself less one
        return struct.unpack_from("<H", data, i)[0] + 1 if i + 2 <= len(data) else None
    if i >= len(data):
        return None
    if sprm == _SPRM_CHANGE_TABS and data[i] == 255:  # PChgTabsDelClose + PChgTabsAdd
        deleted = data[i + 1] if i + 1 < len(data) else 0
        added_at = i + 2 + 4 * deleted
        added = data[added_at] if added_at < len(data) else 0
        return 2 + 4 * deleted + 1 + 3 * added
    return data[i] + 1


def _para(grpprl: bytes, data: bytes) -> Para:
    para = Para()
    for sprm, operand in _expanded(grpprl, data):
        on = operand[:1] == b"\x01"
        if sprm == _SPRM_IN_TABLE:
            para.in_table = on
        elif sprm == _SPRM_TTP:
            para.row_end = on
        elif sprm in (_SPRM_INNER_TTP, _SPRM_INNER_CELL):
            para.inner = para.inner or on
        elif sprm == _SPRM_ITAP:
            para.inner = para.inner or struct.unpack("<i", operand)[0] > 1
        elif sprm == _SPRM_DEF_TABLE:
            _define_row(para, operand)
        elif sprm == _SPRM_VERT_MERGE and len(operand) >= 3:
            para.merges[operand[1]] = operand[2]
        elif sprm == _SPRM_ILFO:
            para.ilfo = struct.unpack("<h", operand)[0]
        elif sprm == _SPRM_ILVL:
            para.ilvl = operand[0]
    para.row_end = para.row_end and not para.inner
    return para


def _expanded(grpprl: bytes, data: bytes):
    """The sprms, those of a sprmPHugePapx read from the Data stream in its place."""
    for sprm, operand in sprms(grpprl):
        if sprm != _SPRM_HUGE_PAPX:
            yield sprm, operand
            continue
        at = struct.unpack("<I", operand)[0]
        if at + 2 <= len(data):
            size = struct.unpack_from("<H", data, at)[0]
            yield from sprms(data[at + 2:at + 2 + size])


def _define_row(para: Para, operand: bytes) -> None:
    """TDefTableOperand: cb, itcMac, rgdxaCenter[itcMac + 1], then up to itcMac TC80s."""
    if len(operand) < 3:
        return
    cells = operand[2]
    bounds_end = 3 + 2 * (cells + 1)
    if bounds_end > len(operand):
        return
    para.bounds = list(struct.unpack_from(f"<{cells + 1}h", operand, 3))
    for index in range(min(cells, (len(operand) - bounds_end) // _TC80_SIZE)):
        flags = struct.unpack_from("<H", operand, bounds_end + _TC80_SIZE * index)[0]
        para.merges[index] = (flags >> 5) & 3  # TCGRF.vertMerge
