"""Word 97–2003 plans (.doc, and .wps holding the same format), read by formats/doc.py.

The .doc files are real ones: LibreOffice converted the .docx plans that
tests/fixtures/office/make.py builds (the sample plan as paragraphs, the same plan as a
task table with merged 类别/子类 cells, test_read's small 任务分工 table); that each reads as
its .docx does and gives the text plan's items is test_office_files.py's, with the .rtf and
.odt ones. Here: .wps, fields, and broken files (those files with a flag, a byte or a name
changed).
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.formats.doc import read_doc
from planbot.index.ingest.read import read_plan_bytes


OFFICE = Path(__file__).resolve().parents[2] / "fixtures" / "office"
PLAN = OFFICE / "plan.doc"
TABLE_PLAN = OFFICE / "plan-table.doc"
SMALL_TABLE = OFFICE / "small-table.doc"


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


def test_wps_in_words_format_is_read_like_the_doc():
    """WPS Office saves .wps as a Word 97 compound file."""
    data = PLAN.read_bytes()
    assert read_plan_bytes("乡村振兴分工方案.wps", data) == read_plan_bytes("乡村振兴分工方案.doc", data)


def test_fields_keep_their_result_and_special_characters_become_text():
    from planbot.index.ingest.formats.doc import _visible

    def visible(text: str) -> str:
        return "".join(ch for ch, _ in _visible([(ch, i) for i, ch in enumerate(text)]))

    assert visible('见\x13 HYPERLINK "http://x" \x14附件1\x15。\x13 PAGE \x15') == "见附件1。"
    assert visible("\x13 IF \x13 DATE \x142021\x15 \x14是\x15") == "是"  # a field inside a field's code
    assert visible("图\x01表\x08一\x0b二\x0c三\x1e四\x1f\x02") == "图表一\n二\n三-四"
    assert visible("未闭合\x13 PAGE") == "未闭合"  # a field cut off: its code is never text


def test_a_doc_that_is_a_web_page_inside_is_read_as_one():
    """Word's "save as web page" kept the .doc name, as many sites' 下载.doc do."""
    page = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word"><head>'
            '<meta http-equiv=Content-Type content="text/html; charset=gb2312"></head><body lang=ZH-CN>'
            "<div class=WordSection1><p class=MsoNormal>2021年全县组织工作要点</p>"
            "<p class=MsoNormal>一、加强干部培训</p><p class=MsoNormal>1．举办科级干部培训班2期，县委组织部负责。</p>"
            "</div></body></html>").encode("gbk")
    assert read_plan_bytes("要点.doc", page) == read_plan_bytes("要点.html", page)
    assert read_plan_bytes("要点.doc", page).splitlines()[-1] == "1．举办科级干部培训班2期，县委组织部负责。"


# -- what is refused ---------------------------------------------------------------------
def _with_word_stream(tmp_path, source: Path, change) -> bytes:
    """The file with its WordDocument stream changed in place (same length)."""
    import olefile

    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        change(stream)
        ole.write_stream("WordDocument", bytes(stream))
    return path.read_bytes()


def _set_flag(stream: bytearray, flag: int) -> None:
    struct.pack_into("<H", stream, 0x0A, struct.unpack_from("<H", stream, 0x0A)[0] | flag)


def test_encrypted_doc_says_to_remove_the_password(tmp_path):
    data = _with_word_stream(tmp_path, PLAN, lambda s: _set_flag(s, 0x0100))  # FibBase.fEncrypted
    assert reason("方案.doc", data) == "文件已加密，无法读取（请先在 Word 或 WPS 中取消密码，再发送）"


def test_word_95_says_to_resave(tmp_path):
    data = _with_word_stream(tmp_path, PLAN, lambda s: struct.pack_into("<H", s, 2, 0x0065))  # nFib
    assert reason("方案.doc", data) == "这是 Word 95 或更早版本的文档，无法读取，请在 Word 或 WPS 中另存为 .docx 后再发送"


def test_truncated_doc_is_refused():
    data = PLAN.read_bytes()
    for size in (600, len(data) // 2, len(data) - 700):
        assert reason("方案.doc", data[:size]).startswith("不是有效的 Word 文档（.doc）")


def test_an_ole_file_without_word_text_is_refused_with_advice():
    """An old Office file of another program (here: the stream's name changed), named .doc
    or .wps: a .wps of WPS's own older format looks like this."""
    data = PLAN.read_bytes().replace("WordDocument".encode("utf-16-le"), "WordDocumenX".encode("utf-16-le"))
    assert reason("方案.doc", data) == "文件里没有 Word 正文（可能是其他程序的文件），请在 Word 或 WPS 中另存为 .docx 后再发送"
    assert reason("方案.wps", data) == ("这个 .wps 不是 Word 97–2003 格式（可能是 WPS 早期版本的文档），"
                                      "请在 Word 或 WPS 中另存为 .docx 后再发送")


def test_content_that_is_not_a_doc():
    assert reason("方案.doc", "一、总体要求".encode()) == "不是有效的 Word 文档（.doc）"
    assert reason("方案.wps", b"%PDF-1.7\n" + bytes(100)) == "文件内容与扩展名不符（看起来是 PDF）"


def test_a_doc_renamed_docx_and_back_read_as_what_they_are(make_docx, plan_lines):
    """Word and WPS open a renamed document by what it holds; so does PlanBot."""
    assert read_plan_bytes("方案.docx", PLAN.read_bytes()) == read_plan_bytes("方案.doc", PLAN.read_bytes())
    docx = make_docx(plan_lines[:3])
    assert read_plan_bytes("方案.doc", docx) == read_plan_bytes("方案.wps", docx) == read_plan_bytes("方案.docx", docx)
    assert read_plan_bytes("方案.doc", docx).splitlines() == plan_lines[:3]


def test_a_table_or_a_pdf_named_doc_is_still_refused(make_xlsx):
    assert reason("方案.doc", make_xlsx([["任务", "牵头单位"]])) == "文件内容与扩展名不符（看起来是 Excel 表格（.xlsx））"
    assert reason("方案.docx", b"%PDF-1.7\n" + bytes(100)) == "文件内容与扩展名不符（看起来是 PDF）"


@pytest.mark.parametrize("source", [PLAN, TABLE_PLAN, SMALL_TABLE], ids=lambda p: p.stem)
def test_damaged_streams_give_text_or_a_plan_file_error(tmp_path, source):
    """Bytes overwritten anywhere in WordDocument (FIB, text, property pages) and in the
    table stream: the reader itself answers with text or a PlanFileError, never another
    exception (read.py would turn one into "damaged" too, but log it as our bug)."""
    import olefile

    with olefile.OleFileIO(str(source)) as ole:
        table_name = next(n for n in ("1Table", "0Table") if ole.exists(n))
        streams = {n: ole.openstream(n).read() for n in ("WordDocument", table_name)}
    rng = random.Random(source.stem)
    for trial in range(60):
        name = rng.choice(list(streams))
        stream = bytearray(streams[name])
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(0x200 if trial % 2 else len(stream))  # half of them in the FIB/CLX start
            stream[at] = rng.randrange(256)
        path = tmp_path / f"{trial}.doc"
        path.write_bytes(source.read_bytes())
        with olefile.OleFileIO(str(path), write_mode=True) as ole:
            ole.write_stream(name, bytes(stream))
        try:
            assert isinstance(read_doc(path.name, path.read_bytes()), str)
        except PlanFileError:
            pass
