"""Character properties of a Word 97–2003 file, only as far as they hide text: a tracked
deletion not yet accepted (sprmCFRMarkDel) and hidden text (sprmCFVanish) are still in
the text stream, and docx.py leaves both out ([MS-DOC] 2.9.30 PlcBteChpx, 2.9.23 ChpxFkp).
"""

from __future__ import annotations

import bisect
import struct

from .doc_papx import FKP_SIZE, fkp_pages, sprms

_SPRM_DELETED = 0x0800  # sprmCFRMarkDel
_SPRM_HIDDEN = 0x083C  # sprmCFVanish
# ToggleOperand: 1 on; 0x81 the opposite of the style's, which is "on" for the plain
# styles plans use; 0 and 0x80 (the style's own) off.
_ON = (0x01, 0x81)


class Chpx:
    """Whether the character at a file position (FC) is deleted or hidden."""

    def __init__(self, word: bytes, table: bytes, fc_plc: int, lcb_plc: int):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(_hidden_runs(word, table, fc_plc, lcb_plc)):
            self._starts.append(start)
            self._ends.append(end)

    def hidden(self, fc: int) -> bool:
        i = bisect.bisect_right(self._starts, fc) - 1
        return i >= 0 and fc < self._ends[i]


def _hidden_runs(word: bytes, table: bytes, fc_plc: int, lcb_plc: int):
    for page in fkp_pages(word, table, fc_plc, lcb_plc):
        crun = page[-1]
        if crun == 0 or 4 * (crun + 1) + crun > FKP_SIZE - 1:
            continue
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            where = page[4 * (crun + 1) + i] * 2  # rgb: the Chpx's offset in words; 0: none
            if where and _hides(page[where + 1:where + 1 + page[where]]):
                yield fcs[i], fcs[i + 1]


def _hides(grpprl: bytes) -> bool:
    return any(sprm in (_SPRM_DELETED, _SPRM_HIDDEN) and operand[:1] and operand[0] in _ON
               for sprm, operand in sprms(grpprl))
