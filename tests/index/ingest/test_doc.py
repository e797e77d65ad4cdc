"""Word 97–2003 plans (.doc, and .wps holding the same format), read by formats/doc.py.

The .doc files are real ones: LibreOffice converted the .docx plans that
tests/fixtures/office/make.py builds (the sample plan as paragraphs, the same plan as a
task table with merged 类别/子类 cells, test_read's small 任务分工 table). Each must read
as its .docx does, line for line, and give the text plan's items. The broken ones are
those files with a flag, a byte or a name changed here.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.formats.doc import read_doc
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.fixtures.office import make
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts

OFFICE = Path(__file__).resolve().parents[2] / "fixtures" / "office"
PLAN = OFFICE / "plan.doc"
TABLE_PLAN = OFFICE / "plan-table.doc"
SMALL_TABLE = OFFICE / "small-table.doc"


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


@pytest.mark.parametrize(("doc", "build"), [(PLAN, make.plan_paragraphs), (TABLE_PLAN, make.plan_table)],
                         ids=["paragraphs", "task-table"])
def test_doc_reads_as_its_docx_and_gives_the_text_plans_items(doc, build, plan_text):
    doc_text = read_plan_bytes(doc.name, doc.read_bytes())
    assert doc_text == read_plan_bytes("方案.docx", build())
    doc_plan, text_plan = parse_plan(doc_text, doc.name), parse_plan(plan_text, SAMPLE.name)
    assert doc_plan.title == text_plan.title
    assert doc_plan.year == text_plan.year
    assert facts(doc_plan) == facts(text_plan)
    assert len(doc_plan.items) > 16


def test_table_rows_cells_merges_and_paragraphs_in_a_cell():
    """A row across the table is a line of its own; the 牵头单位 merged down over items 1
    and 2 is repeated; a cell's two paragraphs are joined by a space."""
    assert read_plan_bytes("分工.doc", SMALL_TABLE.read_bytes()).splitlines() == [
        "任务分工如下：",
        "序号\t重点任务\t牵头单位\t责任单位\t完成时限",
        "一、巩固拓展脱贫攻坚成果",
        "1\t对脱贫不稳定户、边缘易致贫户开展常态化监测\t县乡村振兴局\t各乡镇人民政府\t长期坚持",
        "2\t落实过渡期内“四个不摘”要求\t县乡村振兴局\t县财政局、县民政局、县医保局\t2021年12月底前",
        "3\t完善集中安置区配套设施\t县发展改革局\t县人社局、县住建局 相关乡镇人民政府\t2021年9月30日前",
        "各单位要按时报送进展。",
    ]


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


def test_tracked_deletions_and_hidden_text_are_left_out_as_in_the_docx():
    """A deletion not yet accepted and a hidden run are still in the doc file: the plan's
    text is what Word shows, as the .docx reader gives it."""
    text = read_plan_bytes("revisions.doc", (OFFICE / "revisions.doc").read_bytes())
    assert text == read_plan_bytes("revisions.docx", make.revisions())
    assert text.splitlines()[1] == "1．加强组织领导，新增的文字，按时完成。"


def test_word_list_numbers_become_labels():
    """The sample plan numbered by Word's lists (一、（一） from one list, 1．… 16． from
    another): the labels Word draws are the items' labels, as in the .docx."""
    text = read_plan_bytes("numbered.doc", (OFFICE / "numbered.doc").read_bytes())
    assert text == read_plan_bytes("numbered.docx", make.numbered())
    assert facts(parse_plan(text, "numbered.doc")) == facts(parse_plan(SAMPLE.read_text("utf-8"), SAMPLE.name))


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


def test_a_doc_renamed_docx_and_back_still_say_which_it_is(make_docx, plan_lines):
    assert reason("方案.docx", PLAN.read_bytes()) == \
        "文件内容与扩展名不符（看起来是旧版 Word 文档（.doc）），请在 Word 或 WPS 中另存为 .docx 后再发送"
    assert reason("方案.doc", make_docx(plan_lines[:3])) == "文件内容与扩展名不符（看起来是 Word 文档（.docx））"


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
