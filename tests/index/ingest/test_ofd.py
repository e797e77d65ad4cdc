"""OFD plans (.ofd, GB/T 33190), read by formats/ofd.py.

The fixtures in tests/fixtures/ofd are the sample plan laid out as a 公文 by
tests/fixtures/ofd/make.py, drawn the two ways real files draw text (one object per
character under a CTM; whole lines with DeltaX), plus a scan and a cut-off file. The small
packages below are built with the same helpers, for one rule each.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.formats import ofd
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.fixtures.ofd import make
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ofd"
PLANS = ["plan", "plan-lines"]
ADVICE = "请用 OFD 阅读器另存为 PDF 后再发送"
DAMAGED = f"不是有效的 OFD 文件（文件可能已损坏），{ADVICE}"


def fixture(stem: str) -> bytes:
    return (FIXTURES / f"{stem}.ofd").read_bytes()


def reason(data: bytes, name: str = "方案.ofd") -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


def one_page(objects: str, **kwargs) -> bytes:
    return make.package([make.page(objects)], **kwargs)


def lines_of(data: bytes) -> list[ofd.Line]:
    (page,) = ofd.page_lines("t.ofd", data)
    return page.lines


def texts_of(data: bytes) -> list[str]:
    return [line.text for line in lines_of(data)]


def texts(objects: str) -> list[str]:
    return texts_of(one_page(objects))


# -- the sample plan ---------------------------------------------------------------------------
@pytest.mark.parametrize("stem", PLANS)
def test_a_plan_reads_back_as_its_paragraphs(stem):
    """Five pages, each with the template's running header and a "— n —" footer, four
    paragraphs running on to the next page: the text is the source's paragraphs, line for line."""
    pages = ofd.page_lines(stem, fixture(stem))
    assert len(pages) == 5
    assert [page.lines[0].text for page in pages] == [make.HEADER] * 5  # the template's text is read
    assert [page.lines[-1].text.replace(" ", "") for page in pages] == [f"—{n}—" for n in range(1, 6)]
    drawn = [line.text for page in pages for line in page.lines]
    paragraphs = make.sample_lines()
    assert len(drawn) - 2 * 5 == sum(len(make.wrap(p)) for p in paragraphs) > len(paragraphs) + 15  # 16 wrap
    text = read_plan_bytes(f"{stem}.ofd", fixture(stem))
    assert text.splitlines() == paragraphs
    assert make.HEADER not in text and not re.search(r"—\s*\d\s*—", text)


@pytest.mark.parametrize("stem", PLANS)
def test_a_plan_gives_the_text_plans_items(stem, plan_text):
    plan = parse_plan(read_plan_bytes(f"{stem}.ofd", fixture(stem)), f"{stem}.ofd")
    text_plan = parse_plan(plan_text, SAMPLE.name)
    assert (plan.title, plan.year) == (text_plan.title, text_plan.year)
    assert facts(plan) == facts(text_plan)
    assert len(plan.items) > 16


def test_the_committed_files_are_what_make_writes():
    """`python -m tests.fixtures.ofd.make` writes them again after a change to it or to the sample."""
    for stem in ("plan", "plan-lines", "scan"):
        with zipfile.ZipFile(io.BytesIO(fixture(stem))) as committed, \
                zipfile.ZipFile(io.BytesIO(make.FILES[stem]())) as made:
            assert committed.namelist() == made.namelist(), stem
            assert all(committed.read(n) == made.read(n) for n in made.namelist()), stem
    plan = fixture("plan")
    assert fixture("broken") == plan[:len(plan) // 2]


def test_the_engine_indexes_an_ofd_and_answers_from_it(tmp_path):
    from planbot.index.engine import Engine

    path = tmp_path / "乡村振兴分工方案.ofd"
    path.write_bytes(fixture("plan"))
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        report = engine.index_paths([path])
        answer = engine.ask("乡村旅游精品线路哪个部门牵头", today=dt.date(2021, 6, 15))
    finally:
        engine.close()
    assert report.added and not report.skipped
    assert answer.kind == "who" and answer.found
    cited = answer.citations[0]
    assert cited.plan == "2021年全县乡村振兴重点任务分工方案"
    assert "打造乡村旅游精品线路3条" in cited.text
    assert "县文化和旅游局" in answer.text


# -- placing characters ------------------------------------------------------------------------
def test_delta_x_runs_and_gaps():
    """ "g N d" is N advances of d: 县财政局 at 5 mm, a 25 mm step, 县民政局 at 5 mm; the gap
    shows as a space, as a PDF's does."""
    code = {"X": "0", "Y": "5", "DeltaX": "g 3 5 25 g 3 5", "text": "县财政局县民政局"}
    (line,) = lines_of(one_page(make.text_object(10, "20 50 100 6", 5, [code])))
    assert line.text == "县财政局 县民政局"
    assert (line.x0, line.x1, line.bottom) == (20, pytest.approx(20 + 15 + 25 + 15 + 5), 55)


def test_advances_beyond_the_text_cost_nothing():
    """A run of a billion advances, or thousands, for three characters: only three are used."""
    for delta in ("g 1000000000 6", "6 " * 100_000 + "x"):
        code = {"X": "0", "Y": "5", "DeltaX": delta, "text": "一二三"}
        (line,) = lines_of(one_page(make.text_object(10, "20 50 100 6", 5, [code])))
        assert (line.text, line.x1) == ("一二三", pytest.approx(20 + 12 + 5))


def test_too_few_advances_repeat_the_last():
    """What OFD readers do with a DeltaX shorter than its text: 6 mm on, not the glyph's 5."""
    code = {"X": "0", "Y": "5", "DeltaX": "6", "text": "一二三"}
    (line,) = lines_of(one_page(make.text_object(10, "20 50 100 6", 5, [code])))
    assert (line.text, line.x1) == ("一二三", pytest.approx(20 + 12 + 5))


def test_a_characters_place_and_size_under_a_ctm():
    """A character as a PDF converter writes it (this one from a real file): X/Y in points,
    the CTM scaling them to mm; its size is Size scaled by the CTM too (14.749 pt ≈ 5.2 mm)."""
    real = ('<ofd:TextObject ID="121" CTM="0.3527 0 0 0.3527 -114.807533 111.352325" '
            'Boundary="114.807533 185.229584 4.083549 4.733795" Font="16" Size="14.749">'
            '<ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>4085</ofd:Glyphs>'
            '</ofd:CGTransform><ofd:TextCode X="324.419" Y="-303.723">局</ofd:TextCode></ofd:TextObject>')
    (line,) = lines_of(one_page(real))
    assert line.text == "局"
    assert line.x0 == pytest.approx(0.3527 * 324.419)
    assert line.bottom == pytest.approx(185.229584 + 0.3527 * -303.723 + 111.352325)
    assert line.size == pytest.approx(0.3527 * 14.749)


def test_a_gap_is_measured_against_the_size_on_the_page():
    """县乡 side by side, 局 1.5 characters on: a space. Measured against Size unscaled
    (14.749 "mm"), no gap would ever be wide enough."""
    def char(ch: str, x_mm: float) -> str:
        return (f'<ofd:TextObject ID="1" CTM="0.3527 0 0 0.3527 0 0" Boundary="0 0 10 10" Size="14.749">'
                f'<ofd:TextCode X="{x_mm / 0.3527}" Y="{60 / 0.3527}">{ch}</ofd:TextCode></ofd:TextObject>')

    size = 0.3527 * 14.749
    assert texts(char("县", 30) + char("乡", 30 + size) + char("局", 30 + 3.5 * size)) == ["县乡 局"]


def test_lines_are_grouped_by_baseline_and_read_left_to_right():
    """Objects in any order, one a character, on two baselines (one 0.5 mm off)."""
    def char(ch: str, x: float, y: float) -> str:
        return make.text_object(1, f"{x} {y - 5} 5 6", 5, [{"X": "0", "Y": "5", "text": ch}])

    objects = char("乙", 35, 80) + char("丙", 30, 70) + char("甲", 30, 80.5) + char("丁", 35, 70.2)
    assert texts(objects) == ["丙丁", "甲乙"]


def test_a_text_code_without_x_takes_the_previous_ones():
    codes = [{"X": "0", "Y": "5", "text": "甲乙"}, {"Y": "15", "text": "丙丁"}]
    first, second = lines_of(one_page(make.text_object(10, "40 50 20 20", 5, codes)))
    assert (first.text, second.text) == ("甲乙", "丙丁")
    assert first.x0 == second.x0 == 40


def test_fake_bold_is_read_once():
    """A heading made bold by drawing it twice, 0.2 mm apart."""
    code = {"X": "0", "Y": "5", "DeltaX": "g 3 5", "text": "总体要求"}
    bold = make.text_object(1, "30 50 40 6", 5, [code]) + make.text_object(2, "30.2 50 40 6", 5, [code])
    assert texts(bold) == ["总体要求"]


def test_hidden_text_drawings_and_pictures_are_not_read():
    """Visible="false", and objects that are not text, also inside a PageBlock."""
    shown = make.text_object(1, "30 50 40 6", 5, [{"X": "0", "Y": "5", "DeltaX": "g 3 5", "text": "一、总体要求"}])
    hidden = make.text_object(2, "30 90 40 6", 5, [{"X": "0", "Y": "5", "text": "内部资料"}], visible=False)
    drawings = ('<ofd:PathObject ID="3" Boundary="28 60 156 1"><ofd:AbbreviatedData>M 0 0 L 156 0'
                '</ofd:AbbreviatedData></ofd:PathObject><ofd:ImageObject ID="4" Boundary="0 0 210 297" ResourceID="6"/>'
                '<ofd:CompositeObject ID="5" Boundary="0 100 50 50" ResourceID="7"/>')
    assert texts(f'<ofd:PageBlock ID="9">{shown}{hidden}{drawings}</ofd:PageBlock>') == ["一、总体要求"]


def test_a_pages_own_box():
    data = make.package([make.page(make.text_object(1, "30 50 40 6", 5, [{"X": "0", "Y": "5", "text": "甲"}]),
                                   area="0 0 297 210")])
    (page,) = ofd.page_lines("t.ofd", data)
    assert (page.width, page.height) == (297, 210)


def test_parts_in_gbk_and_without_a_namespace_prefix():
    """Some producers declare GBK (which expat cannot read itself) and write a default namespace."""
    content = ('<?xml version="1.0" encoding="GBK"?>\n<Page xmlns="http://www.ofdspec.org/2016"><Content><Layer ID="1">'
               '<TextObject ID="2" Boundary="30 50 40 6" Size="5"><TextCode X="0" Y="5">牵头单位</TextCode>'
               '</TextObject></Layer></Content></Page>').encode("gbk")
    assert texts_of(make.package([""], parts={"Doc_0/Pages/Page_0/Content.xml": content})) == ["牵头单位"]


# -- what cannot be read -----------------------------------------------------------------------
SCANNED = "这是扫描件（图片）OFD 文件，没有可读的文字，请发送文字版 PDF 或 Word 文件"


def test_a_scan_says_to_send_the_text_version():
    assert reason(fixture("scan"), "扫描件.ofd") == SCANNED


def test_pages_with_only_their_numbers_are_a_scan():
    image = '<ofd:ImageObject ID="4" Boundary="0 0 210 297" ResourceID="6"/>'
    pages = [make.page(image + make.whole_line(make.page_number(n), make.Ids())) for n in (1, 2)]
    assert reason(make.package(pages, media={"p.png": make.png(4, 4)})) == SCANNED


def test_glyphs_without_text_cannot_be_read():
    glyphs = ('<ofd:TextObject ID="1" Boundary="30 50 40 6" Size="5"><ofd:CGTransform CodePosition="0" CodeCount="12" '
              'GlyphCount="12"><ofd:Glyphs>12 48 33 90 7 7 81 23 19 66 4 5</ofd:Glyphs></ofd:CGTransform>'
              '<ofd:TextCode X="0" Y="5" DeltaX="g 11 5"></ofd:TextCode></ofd:TextObject>')
    assert reason(one_page(glyphs)) == "这个 OFD 文件的文字只有字形、没有文字编码，无法提取文字（请从原文件重新导出）"


@pytest.mark.parametrize("data", [b"not a zip at all", "一、总体要求".encode()])
def test_not_a_zip(data):
    assert reason(data) == f"不是有效的 OFD 文件，{ADVICE}"


def test_a_cut_off_file():
    assert reason(fixture("broken")) == f"不是有效的 OFD 文件，{ADVICE}"


def test_a_zip_without_ofd_xml_is_named_as_a_zip():
    assert reason(make.zipped({"Doc_0/Document.xml": "<ofd:Document/>"})) == "文件内容与扩展名不符（看起来是压缩包）"


@pytest.mark.parametrize("parts", [
    {"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody>"},  # cut off
    {"Doc_0/Pages/Page_0/Content.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page><ofd:Con'},
    {"Doc_0/Document.xml": '<?xml version="1.0" encoding="no-such-code"?><Document/>'},
    {"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody/></ofd:OFD>"},  # no DocRoot
    {"Doc_0/Document.xml": "<Document><Pages><Page BaseLoc='../../outside.xml'/></Pages></Document>"},
    {"Doc_0/Pages/Page_0/Content.xml": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaa">]><Page>&a;</Page>'},
    {"Doc_0/Pages/Page_0/Content.xml": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE p [<!ENTITY a "aa">]>'
                                       '<Page>&a;</Page>'.encode("utf-16")},
], ids=["unparsable", "cut-off", "unknown-encoding", "no-document", "outside-the-package", "entities",
        "entities-in-utf-16"])
def test_a_damaged_package(parts):
    data = one_page("", parts=parts)
    assert reason(data) == DAMAGED
    with pytest.raises(PlanFileError) as caught:  # said by the reader, not read.py's catch-all
        ofd.read_ofd("方案.ofd", data)
    assert caught.value.reason == ofd.DAMAGED


def test_a_page_the_document_names_is_missing():
    assert reason(make.package([make.page("")], page_root="Elsewhere")) == DAMAGED


ENCRYPTED = f"文件已加密，无法读取（{ADVICE}）"


def test_an_encrypted_package():
    """GM/T 0099 encryption: the parts are ciphertext, Encryptions.xml says how."""
    data = make.package([make.page("\x00garbage")], parts={"Encryptions.xml": "<Encryptions/>"})
    assert reason(data) == ENCRYPTED


def test_a_zip_with_a_password():
    """Entries encrypted by the zip itself: the central directory's flag says so (zipfile
    cannot write one, so the flag is set in the bytes; the entry stays readable, and is not read)."""
    data = bytearray(make.package([make.page("")]))
    entry = data.index(b"PK\x01\x02" + data[data.index(b"PK\x01\x02") + 4:][:0])  # the first central entry
    data[entry + 8] |= 0x1
    assert reason(bytes(data)) == ENCRYPTED


def test_a_part_too_big_to_parse():
    page = make.page(" " * (9 * 1024 * 1024))
    assert reason(make.package([page])) == "文件解压后过大，无法读取"


def test_one_part_named_again_and_again_is_a_bomb():
    """A document that lists one 2 MB page 120 times: each read counts towards the limit."""
    page = make.page(make.text_object(1, "30 50 40 6", 5, [{"X": "0", "Y": "5", "text": "甲" * 20}]) + " " * 2_000_000)
    refs = "".join(f'<Page ID="{n}" BaseLoc="Pages/Page_0/Content.xml"/>' for n in range(120))
    data = make.package([page], parts={"Doc_0/Document.xml": f"<Document><Pages>{refs}</Pages></Document>"})
    assert reason(data) == "文件解压后过大，无法读取"


def test_too_many_pages():
    refs = "".join(f'<Page ID="{n}" BaseLoc="Pages/Page_0/Content.xml"/>' for n in range(5001))
    data = make.package([make.page("")], parts={"Doc_0/Document.xml": f"<Document><Pages>{refs}</Pages></Document>"})
    assert reason(data) == "页数过多（5001 页，上限 5000 页）"
