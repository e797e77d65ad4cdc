"""RTF plans, read by formats/rtf.py.

The .rtf fixtures are LibreOffice's conversions of the .docx plans that
tests/fixtures/office/make.py builds (Chinese as \\uN with \\'3f fallbacks); that each
reads as its .docx does is test_office_files.py's. The hand-written ones below are
what Word and WPS on a Chinese Windows write instead: GBK bytes as \\'xx escapes in the
declared \\ansicpg936 code page.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.formats.rtf import read_rtf
from planbot.index.ingest.read import read_plan_bytes


OFFICE = Path(__file__).resolve().parents[2] / "fixtures" / "office"


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


def gbk(text: str) -> str:
    """Chinese as Word writes it in RTF: each GBK byte as \\'xx."""
    return "".join(f"\\'{b:02x}" if b > 0x7F else chr(b) for b in text.encode("gbk"))


def rtf(body: str, fonts: str = r"{\f0\froman\fcharset0 Times New Roman;}{\f13\fnil\fcharset134 SimSun;}") -> bytes:
    return (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl" + fonts + "}" + body + "}").encode("ascii")


def test_gbk_escapes_in_the_declared_code_page():
    """Word writes Chinese under a Latin \\f with the Chinese font as \\dbch\\af (striprtf
    decodes these in cp1252: "Ò»¡¢×ÜÌå"); WPS under a \\fcharset134 font; with no font at
    all the document's \\ansicpg936 decides."""
    body = (r"{\hich\af0\dbch\af13\loch\f0 " + gbk("一、总体要求") + r"}\par"
            r"{\f13 " + gbk("1．加强组织领导") + r"}\par"
            + gbk("牵头单位：县委办") + r"\par")
    assert read_rtf("a.rtf", rtf(body)).splitlines() == ["一、总体要求", "1．加强组织领导", "牵头单位：县委办"]


def test_unicode_escapes_and_their_fallbacks():
    body = (r"\uc1\u19968?\u12289?\u24635?\u20307?\par"  # 一、总体: one fallback each
            r"{\uc2\u21153\'b7\'fe\u21153\'b7\'fe}\par"  # 务务 with two-byte fallbacks
            r"\uc0\u-28511\u21153\par")  # a negative (signed 16-bit) value: -28511 is 0x90A1, 邡
    assert read_rtf("a.rtf", rtf(body)).splitlines() == ["一、总体", "务务", "邡务"]


def test_fields_lists_headers_pictures_and_line_breaks():
    body = (r"{\header " + gbk("页眉：内部资料") + r"\par}"
            r"{\listtext\pard\plain 1.\tab}" + gbk("加强领导") + r"\par"
            + gbk("详见") + r'{\field{\*\fldinst HYPERLINK "http://x"}{\fldrslt ' + gbk("附件1") + r"}}\par"
            r"{\pict\wmetafile8\bin6 \par}{}\par"  # six bytes of picture data: "\par}{"
            + gbk("第一行") + r"\line " + gbk("第二行") + r"\par"
            r"{\footnote " + gbk("脚注") + r"}")
    assert read_rtf("a.rtf", rtf(body)).splitlines() == ["1.加强领导", "详见附件1", "第一行", "第二行"]


def test_a_doc_that_is_rtf_inside_is_read():
    """Word's "save as RTF" named .doc, and many sites' .doc downloads, are RTF."""
    data = (OFFICE / "small-table.rtf").read_bytes()
    assert read_plan_bytes("分工.doc", data) == read_plan_bytes("分工.rtf", data)


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "文件为空"),
    (b"{\\rtf1\\ansi}", "这个 RTF 文档里没有文字"),
    (rtf(r"{\header " + gbk("页眉") + r"}{\pict\bin4 abcd}\par\par"), "这个 RTF 文档里没有文字"),
    ("一、总体要求".encode(), "不是有效的 RTF 文档"),
    (b"%PDF-1.7\n" + bytes(100), "文件内容与扩展名不符（看起来是 PDF）"),
])
def test_empty_or_other_content_is_refused(data, expected):
    assert reason("方案.rtf", data) == expected


def test_damaged_rtf_gives_text_or_a_plan_file_error():
    """Cut off anywhere, bytes overwritten, a lone backslash at the end, absurd numbers:
    text or a PlanFileError, never another exception."""
    data = (OFFICE / "small-table.rtf").read_bytes()
    rng = random.Random(7)
    samples = [data[:n] for n in (7, 100, len(data) // 2, len(data) - 1)]
    samples += [rtf(r"\u99999999 \bin-5 \uc-3\u20219 x\par\cell\row\row\cellx\trowd\cell}}}}" + "\\"),
                b"{\\rtf1\\ansi x\\"]
    for _ in range(40):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.choice(b"{}\\'0123456789abcdefxu \xd2\xbb")
        samples.append(bytes(damaged))
    for sample in samples:
        try:
            assert isinstance(read_rtf("a.rtf", sample), str)
        except PlanFileError:
            pass
