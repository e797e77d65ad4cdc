"""Word automatic numbering: the "一、" or "1." that Word draws but does not store.

A numbered paragraph holds only a reference (w:numPr: numId + ilvl, on the paragraph
or inherited from its style); the label comes from word/numbering.xml:

    w:num numId=3 ──> w:abstractNum 7 ──> w:lvl ilvl=0: start, numFmt, lvlText "%1、"

`Numbering.label(p)` must be called for every paragraph in document order: it advances
the counters the way Word does and returns the label the paragraph shows.

Counting follows Word rather than a literal reading of the spec: counters belong to
the abstract definition, so two w:num pointing at one w:abstractNum continue each
other; a w:num whose w:lvlOverride has a w:startOverride restarts that level the first
time it is used; using a level resets the deeper levels (w:lvlRestart can narrow that).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cn2an
from docx.oxml.ns import qn

_LEVELS = 9
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# A label ending in one of these reads fine glued to the text ("1.加强", "（一）健全");
# any other label ("第一条", a bare "1") gets a space so it does not merge with the text.
_LABEL_ENDS = set("、.．)）]】〕:：,，")


@dataclass
class Level:
    start: int = 0  # the spec's default; Word always writes w:start
    fmt: str = "decimal"
    template: str | None = None  # w:lvlText, e.g. "（%1）"
    restart: int | None = None  # w:lvlRestart: 0 = never, n = after level n (1-based)
    legal: bool = False  # w:isLgl: show every level as a decimal number
    style: str | None = None  # w:pStyle: the paragraph style bound to this level
    pad: int = 0  # custom formats like "001, 002, 003"


@dataclass
class Instance:
    """A w:num: which abstract definition it uses, and what it overrides."""

    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


@dataclass
class Style:
    based_on: str | None
    num_id: str | None
    ilvl: int | None


class Numbering:
    def __init__(self, numbering_el, styles_el):
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstract id -> numStyleLink style
        self._instances: dict[str, Instance] = {}
        self._styles: dict[str, Style] = {}
        self._default_style: str | None = None
        if numbering_el is not None:
            self._read_numbering(numbering_el)
        if styles_el is not None:
            self._read_styles(styles_el)
        self._counts: dict[str, list[int | None]] = {}
        self._entered: set[tuple[str, int]] = set()

    @classmethod
    def of(cls, document) -> "Numbering":
        """The numbering of a python-docx Document (which may have no numbering part)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        part = document.part
        try:
            numbering_el = part.part_related_by(RT.NUMBERING).element
        except KeyError:  # python-docx's numbering_part would invent an empty one
            numbering_el = None
        try:
            styles_el = part.part_related_by(RT.STYLES).element
        except KeyError:
            styles_el = None
        return cls(numbering_el, styles_el)

    # -- counting --------------------------------------------------------------------
    def label(self, p) -> str:
        """The label paragraph `p` shows ("" when none), counting it."""
        ref = self._reference(p)
        if ref is None:
            return ""
        num_id, ilvl = ref
        instance = self._instances.get(num_id)
        if instance is None:
            return ""
        abstract = self._resolve_abstract(instance.abstract)
        level = self._level(instance, abstract, ilvl)
        if level is None:
            return ""
        counts = self._counts.setdefault(abstract, [None] * _LEVELS)
        self._advance(counts, num_id, instance, abstract, ilvl, level)
        return self._render(counts, instance, abstract, level)

    def _advance(self, counts, num_id, instance, abstract, ilvl, level) -> None:
        first_use = (num_id, ilvl) not in self._entered
        self._entered.add((num_id, ilvl))
        if first_use and ilvl in instance.starts:
            counts[ilvl] = instance.starts[ilvl]
        elif counts[ilvl] is None:
            counts[ilvl] = level.start
        else:
            counts[ilvl] += 1
        for deeper in range(ilvl + 1, _LEVELS):
            sub = self._level(instance, abstract, deeper)
            restart = sub.restart if sub is not None else None
            if restart is None or (restart > 0 and ilvl < restart):
                counts[deeper] = None

    def _render(self, counts, instance, abstract, level) -> str:
        if level.fmt == "bullet" or not level.template:
            return ""  # bullets are decoration, not numbers a question can refer to
        text = level.template
        for index in range(_LEVELS):
            marker = f"%{index + 1}"
            if marker not in text:
                continue
            shown = self._level(instance, abstract, index) or Level()
            value = counts[index] if counts[index] is not None else shown.start
            fmt = "decimal" if level.legal else shown.fmt
            text = text.replace(marker, format_number(value, fmt, shown.pad))
        text = text.strip()
        if text and text[-1] not in _LABEL_ENDS:
            text += " "
        return text

    # -- looking up ------------------------------------------------------------------
    def _reference(self, p) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph: its own w:numPr, filled in from its styles."""
        ppr = p.find(qn("w:pPr"))
        style_id = None
        num_id = ilvl = None
        if ppr is not None:
            style_el = ppr.find(qn("w:pStyle"))
            style_id = style_el.get(qn("w:val")) if style_el is not None else None
            num_id, ilvl = _num_pr(ppr)
        style_id = style_id or self._default_style
        seen = set()
        current = style_id
        while current and current not in seen and (num_id is None or ilvl is None):
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            num_id = style.num_id if num_id is None else num_id
            ilvl = style.ilvl if ilvl is None else ilvl
            current = style.based_on
        if num_id is None or num_id == "0":  # numId 0 switches inherited numbering off
            return None
        if ilvl is None:
            ilvl = self._level_of_style(num_id, style_id)
        return num_id, min(max(ilvl, 0), _LEVELS - 1)

    def _level_of_style(self, num_id: str, style_id: str | None) -> int:
        """A style numbered without ilvl uses the level that names the style."""
        instance = self._instances.get(num_id)
        if instance is None or style_id is None:
            return 0
        levels = self._abstracts.get(self._resolve_abstract(instance.abstract), {})
        for ilvl, level in levels.items():
            if level.style == style_id:
                return ilvl
        return 0

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow w:numStyleLink (a list defined by a numbering style) to the real one."""
        for _ in range(5):
            link = self._style_links.get(abstract_id)
            style = self._styles.get(link) if link else None
            instance = self._instances.get(style.num_id) if style and style.num_id else None
            if instance is None or instance.abstract == abstract_id:
                break
            abstract_id = instance.abstract
        return abstract_id

    def _level(self, instance: Instance, abstract: str, ilvl: int) -> Level | None:
        if ilvl in instance.levels:
            return instance.levels[ilvl]
        return self._abstracts.get(abstract, {}).get(ilvl)

    # -- parsing ---------------------------------------------------------------------
    def _read_numbering(self, root) -> None:
        for abstract in root.iterfind(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            self._abstracts[abstract_id] = {
                int(lvl.get(qn("w:ilvl"), "0")): _read_level(lvl)
                for lvl in abstract.iterfind(qn("w:lvl"))
            }
            link = _val(abstract, "w:numStyleLink")
            if link:
                self._style_links[abstract_id] = link
        for num in root.iterfind(qn("w:num")):
            abstract_id = _val(num, "w:abstractNumId")
            if abstract_id is None:
                continue
            instance = Instance(abstract_id)
            for override in num.iterfind(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = _int(override, "w:startOverride")
                if start is not None:
                    instance.starts[ilvl] = start
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    instance.levels[ilvl] = _read_level(lvl)
            self._instances[num.get(qn("w:numId"))] = instance

    def _read_styles(self, root) -> None:
        for style in root.iterfind(qn("w:style")):
            if style.get(qn("w:type")) != "paragraph":
                continue
            style_id = style.get(qn("w:styleId"))
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self._default_style = style_id
            ppr = style.find(qn("w:pPr"))
            num_id, ilvl = _num_pr(ppr) if ppr is not None else (None, None)
            self._styles[style_id] = Style(_val(style, "w:basedOn"), num_id, ilvl)


def _num_pr(ppr) -> tuple[str | None, int | None]:
    num_pr = ppr.find(qn("w:numPr"))
    if num_pr is None:
        return None, None
    return _val(num_pr, "w:numId"), _int(num_pr, "w:ilvl")


def _read_level(lvl) -> Level:
    fmt_el = lvl.find(qn("w:numFmt"))
    if fmt_el is None:  # Word 2010+ may wrap it: mc:AlternateContent/mc:Fallback
        fmt_el = lvl.find(f"{{{_MC_NS}}}AlternateContent/{{{_MC_NS}}}Choice/{qn('w:numFmt')}")
    fmt = fmt_el.get(qn("w:val"), "decimal") if fmt_el is not None else "decimal"
    pad = 0
    if fmt == "custom":  # e.g. w:format="001, 002, 003, ..."
        sample = (fmt_el.get(qn("w:format")) or "").split(",")[0].strip()
        pad = len(sample) if sample.isdigit() else 0
    legal = lvl.find(qn("w:isLgl"))
    return Level(
        start=_int(lvl, "w:start") or 0,
        fmt=fmt,
        template=_val(lvl, "w:lvlText"),
        restart=_int(lvl, "w:lvlRestart"),
        legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false", "off"),
        style=_val(lvl, "w:pStyle"),
        pad=pad,
    )


def _val(parent, tag: str) -> str | None:
    child = parent.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _int(parent, tag: str) -> int | None:
    value = _val(parent, tag)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# -- number formats ---------------------------------------------------------------------
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_IDEOGRAPH_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def format_number(n: int, fmt: str, pad: int = 0) -> str:
    """`n` in a w:numFmt format; unknown formats fall back to decimal, as Word's do."""
    if fmt == "none":
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return cn2an.an2cn(n) if n >= 0 else str(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return cn2an.an2cn(n, "up") if n >= 0 else str(n)
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = _TIANGAN if fmt == "ideographTraditional" else _DIZHI
        return cycle[(n - 1) % len(cycle)] if n > 0 else str(n)
    if fmt == "ideographDigital":
        return str(n).translate(_IDEOGRAPH_DIGITS)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH_DIGITS)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)  # ①..⑳
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)  # ⑴..⒇
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)  # ⒈..⒛
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # z, aa, bb
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and n > 0:
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return f"{n:0{pad}d}" if pad else str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)
