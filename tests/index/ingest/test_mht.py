"""Single-file web pages (.mht/.mhtml): a plan page as Word and as a browser save it, read by
index/ingest/read.py and parsed as the .txt of the same plan; a .doc that is one inside."""

from __future__ import annotations

import base64
import quopri

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.formats.mht import NO_PAGE
from planbot.index.ingest.formats.sniff import sniff
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts
from .test_html import PLANS, div_page, html5_page, plan_lines

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(40)).decode()


def part(headers: dict[str, str], body: str) -> str:
    return "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n" + body + "\r\n"


def word_mht(page: bytes, charset: str = "gb2312") -> bytes:
    """As Word saves 单个文件网页: a preamble, the page quoted-printable, its pictures in base64."""
    boundary = "----=_NextPart_01D7424E.5A9C1B20"
    html = quopri.encodestring(page).decode("ascii")
    parts = [part({"Content-Location": "file:///C:/D1A0B6A1/plan.htm", "Content-Transfer-Encoding": "quoted-printable",
                   "Content-Type": f'text/html; charset="{charset}"'}, html),
             part({"Content-Location": "file:///C:/D1A0B6A1/plan.files/image001.png",
                   "Content-Transfer-Encoding": "base64", "Content-Type": "image/png"}, PNG)]
    head = f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="{boundary}"\r\n\r\n'
    preamble = "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
    body = "".join(f"--{boundary}\r\n{p}\r\n" for p in parts) + f"--{boundary}--\r\n"
    return (head + preamble + body).encode("ascii")


def browser_mhtml(page: bytes) -> bytes:
    """As a browser saves a page (.mhtml): mail headers first, the part without a charset (the
    page declares its own)."""
    boundary = "----MultipartBoundary--Qx8fJ2kLmN0pR4sT6vW8yZ----"
    html = quopri.encodestring(page).decode("ascii")
    head = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.example.gov.cn/a/1.html\r\n"
            "Subject: =?utf-8?Q?=E8=AE=A1=E5=88=92?=\r\nDate: Thu, 6 May 2021 10:20:00 +0800\r\n"
            f'MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n\r\n')
    body = (f"--{boundary}\r\n" + part({"Content-Type": "text/html", "Content-ID": "<frame-1@mhtml.blink>",
                                        "Content-Transfer-Encoding": "quoted-printable",
                                        "Content-Location": "http://www.example.gov.cn/a/1.html"}, html)
            + f"\r\n--{boundary}--\r\n")
    return (head + body).encode("ascii")


SAVED = {"word-gb2312": (lambda lines: word_mht(div_page(lines).encode("gbk")), ".mht"),
         "browser-utf8": (lambda lines: browser_mhtml(html5_page(lines).encode("utf-8")), ".mhtml")}


@pytest.mark.parametrize("saved", SAVED)
@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_a_saved_page_gives_the_same_items_as_its_text(path, saved):
    build, suffix = SAVED[saved]
    data = build(plan_lines(path))
    assert sniff(data) == "mht"
    text_plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
    plan = parse_plan(read_plan_bytes(path.stem + suffix, data), path.stem + suffix)
    assert (plan.title, plan.year) == (text_plan.title, text_plan.year)
    assert facts(plan) == facts(text_plan)
    assert [i.text for i in plan.items] == [i.text for i in text_plan.items]


def test_a_doc_that_is_a_single_file_page_reads_as_one():
    """Word's "save as .doc" of a web page, and many sites' 下载.doc: Word opens it as a document."""
    data = word_mht(div_page(plan_lines(SAMPLE)).encode("gbk"))
    assert read_plan_bytes("方案.doc", data) == read_plan_bytes("方案.mht", data)
    assert read_plan_bytes("方案.doc", data).splitlines()[0] == "2021年全县乡村振兴重点任务分工方案"


def test_the_parts_charset_comes_before_a_guess():
    """Big5 bytes with no <meta>: read as GB18030 they would decode, wrongly; the part says Big5."""
    page = "<html><body><p>一、總體要求</p><p>1. 推進幹部培訓。</p></body></html>".encode("big5")
    assert read_plan_bytes("方案.mht", word_mht(page, charset="big5")).splitlines() == ["一、總體要求", "1. 推進幹部培訓。"]


def test_a_saved_mail_without_a_page_gives_its_text():
    message = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
               b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
               + base64.b64encode("一、总体要求\n1. 推进干部培训。".encode()) + b"\r\n--b--\r\n")
    assert read_plan_bytes("方案.mht", message).splitlines() == ["一、总体要求", "1. 推进干部培训。"]


def test_a_page_without_text_or_parts_is_named():
    only_picture = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
                    b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + PNG.encode() + b"\r\n--b--\r\n")
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes("方案.mht", only_picture)
    assert caught.value.reason == NO_PAGE


def test_what_is_no_single_file_page():
    assert sniff(b"From: someone\r\nSubject: a plain mail\r\n\r\nhello") is None
    assert sniff("一、总体要求\nMIME-Version: 1.0 multipart/related".encode()) is None
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes("方案.mht", "一、总体要求".encode())
    assert caught.value.reason == "不是有效的单个文件网页（.mht）"
