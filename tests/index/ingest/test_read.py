"""index.read: plan files of every supported format to plain plan text."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.formats.docx_lists import format_number
from planbot.index.ingest.formats.pdf_layout import Line, PageLines, assemble, fix_line, join_cell
from planbot.index.ingest.read import (SUPPORTED_SUFFIXES, listed_formats, read_file,
                                      read_plan_bytes, resave_advice)
from planbot.index.limits import MAX_INDEX_FILE_BYTES as CLI_MAX_FILE_BYTES
from planbot.index.limits import MAX_UPLOAD_BYTES as MAX_FILE_BYTES


def read_plan_file(path, *, max_bytes: int = CLI_MAX_FILE_BYTES) -> str:
    """A plan file on disk the way `planbot index` reads it: read_file, then read_plan_bytes."""
    return read_plan_bytes(str(path), read_file(path, max_bytes=max_bytes), max_bytes=max_bytes)


def reason(name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data, **kwargs)
    assert caught.value.path == name
    return caught.value.reason


LISTED = (".txt .md .docx .docm .dotx .dotm .doc .wps .rtf .odt .pdf .ofd .xlsx .xlsm .xltx .xltm .xls .et .ods .csv"
          " .html .htm .mht .mhtml")  # as messages list them


def test_public_constants():
    assert SUPPORTED_SUFFIXES == set(LISTED.split())
    assert listed_formats() == "、".join(LISTED.split()[:-1]) + " 或 .mhtml"
    assert MAX_FILE_BYTES == 2 * 1024 * 1024 < CLI_MAX_FILE_BYTES


# -- choosing a reader ----------------------------------------------------------------
@pytest.mark.parametrize(("name", "shown"), [("方案.ppt", ".ppt"), ("照片.JPG", ".jpg"),
                                             ("方案", "无扩展名")])
def test_unsupported_suffix(name, shown):
    assert reason(name, b"anything") == f"文件类型不支持：{shown}（支持 {LISTED}）"
    assert resave_advice(name) is None


DOCX_ADVICE = "请在 Word 或 WPS 中另存为 .docx 后再发送"
XLSX_ADVICE = "请在 Excel 或 WPS 中另存为 .xlsx 后再发送"


@pytest.mark.parametrize(("name", "advice"), [
    ("方案.dot", DOCX_ADVICE), ("方案.wpt", DOCX_ADVICE), ("方案.DOT", DOCX_ADVICE),
    ("分工表.ett", XLSX_ADVICE), ("分工表.XLSB", XLSX_ADVICE), ("分工表.xlsb", XLSX_ADVICE), ("分工表.xlt", XLSX_ADVICE),
])
def test_formats_we_cannot_read_say_what_to_do(name, advice):
    """One sentence per format, whatever the bytes: the suffix alone decides."""
    suffix = name[name.rindex("."):].lower()
    assert reason(name, b"\xd0\xcf\x11\xe0anything") == \
        f"文件类型不支持：{suffix}（支持 {LISTED}），{advice}"
    assert resave_advice(name) == advice


def test_suffix_is_case_insensitive(plan_text):
    assert read_plan_bytes("方案.TXT", plan_text.encode()).startswith("2021年")


@pytest.mark.parametrize("name", ["空.txt", "空.md", "空.docx", "空.pdf", "空.ofd", "空.xlsx", "空.xls", "空.csv", "空.html",
                                  "空.htm"])
def test_empty_file(name):
    assert reason(name, b"") == "文件为空"


def test_too_big_for_the_bot_but_not_for_the_cli(plan_text):
    data = plan_text.encode() * (MAX_FILE_BYTES // len(plan_text.encode()) + 1)
    assert reason("大.txt", data).startswith("文件太大（2.")
    assert read_plan_bytes("大.txt", data, max_bytes=CLI_MAX_FILE_BYTES)


def test_content_that_contradicts_the_suffix(make_pdf, make_docx, plan_lines):
    pdf = make_pdf(plan_lines[:3])
    docx = make_docx(plan_lines[:3])
    assert reason("方案.docx", pdf) == "文件内容与扩展名不符（看起来是 PDF）"
    assert reason("方案.txt", pdf) == "文件内容与扩展名不符（看起来是 PDF）"
    assert reason("方案.pdf", docx) == "文件内容与扩展名不符（看起来是 Word 文档（.docx））"
    assert reason("方案.md", docx) == "文件内容与扩展名不符（看起来是 Word 文档（.docx））"
    assert reason("方案.html", pdf) == "文件内容与扩展名不符（看起来是 PDF）"
    assert reason("方案.htm", docx) == "文件内容与扩展名不符（看起来是 Word 文档（.docx））"
    assert reason("分工.csv", docx) == "文件内容与扩展名不符（看起来是 Word 文档（.docx））"
    assert reason("方案.docx", b"\x89PNG\r\n\x1a\n" + bytes(100)) == "文件内容与扩展名不符（看起来是图片）"


def test_other_zips_are_named():
    def zipped(files: dict[str, str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return buffer.getvalue()

    xlsx = zipped({"[Content_Types].xml": "<Types>spreadsheetml.sheet.main+xml</Types>",
                   "xl/workbook.xml": "<workbook/>"})
    assert reason("方案.docx", xlsx) == "文件内容与扩展名不符（看起来是 Excel 表格（.xlsx））"
    assert reason("方案.docx", zipped({"a.txt": "hi"})) == "文件内容与扩展名不符（看起来是压缩包）"
    # an OFD document (its package: OFD.xml, then Doc_0/…) renamed .pdf: named, and read only as .ofd
    ofd = zipped({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"})
    assert reason("通知.pdf", ofd) == "文件内容与扩展名不符（看起来是 OFD 版式文件）"
    assert reason("通知.ofd", zipped({"a.txt": "hi"})) == "文件内容与扩展名不符（看起来是压缩包）"


def test_not_a_docx_at_all():
    assert reason("方案.docx", "一、总体要求".encode()) == "不是有效的 Word 文档（.docx）"
    # A zip that breaks off in the middle, as an interrupted download does.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "wordprocessingml" * 200)
    assert reason("方案.docx", buffer.getvalue()[:120]) == "不是有效的 Word 文档（.docx）"


def test_docx_that_is_a_wordprocessing_zip_but_broken():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types>wordprocessingml.document.main</Types>")
    assert reason("方案.docx", buffer.getvalue()).startswith("不是有效的 Word 文档（.docx）")


def test_encrypted_docx():
    # Word encrypts a .docx by wrapping it in an OLE compound file whose directory
    # names an "EncryptedPackage" stream; this is that shape, minus the cipher text.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    data = ole + "EncryptedInfo".encode("utf-16-le") + bytes(40) + \
        "EncryptedPackage".encode("utf-16-le") + bytes(600)
    assert reason("方案.docx", data).startswith("文件已加密，无法读取")


def _ole(stream: str) -> bytes:
    """An OLE compound file (old .doc/.xls) whose directory names this stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000) + stream.encode("utf-16-le") + bytes(100)


@pytest.mark.parametrize(("name", "stream", "expected"), [
    ("方案.xlsx", "WordDocument", f"旧版 Word 文档（.doc）），{DOCX_ADVICE}"),
    ("分工表.docx", "Book", f"旧版 Excel 表格（.xls）），{XLSX_ADVICE}"),
    ("分工表.doc", "Workbook", f"旧版 Excel 表格（.xls）），{XLSX_ADVICE}"),
    ("演示.pdf", "PowerPoint Document", "旧版 Office 文档（.doc/.xls/.ppt）），请另存为 .docx 或 .xlsx 后再发送"),
])
def test_old_office_file_renamed_across_families(name, stream, expected):
    """An old document named as a table or the other way round: the content says which, and
    what to re-save as. (Within a family a renamed file is read as what it is.)"""
    assert reason(name, _ole(stream)) == f"文件内容与扩展名不符（看起来是{expected}"


@pytest.mark.parametrize(("name", "stream", "expected"), [
    ("方案.docx", "WordDocument", "Word"), ("分工表.xlsx", "Workbook", "不是有效的 Excel 表格（.xls）"),
])
def test_a_broken_old_file_renamed_within_its_family_is_read_as_what_it_is(name, stream, expected):
    """Read by the old format's reader, which finds it broken and says so."""
    said = reason(name, _ole(stream))
    assert expected in said and "扩展名不符" not in said


def test_read_plan_file(tmp_path, plan_text, plan_lines):
    path = tmp_path / "方案.txt"
    path.write_text(plan_text, encoding="gbk")
    assert read_plan_file(path).splitlines() == plan_text.splitlines()
    with pytest.raises(PlanFileError, match="文件太大"):
        read_plan_file(path, max_bytes=100)


def test_read_plan_file_errors(tmp_path):
    with pytest.raises(PlanFileError) as caught:
        read_plan_file(tmp_path / "没有.txt")
    assert caught.value.reason == "文件不存在"
    assert caught.value.path.endswith("没有.txt")
    folder = tmp_path / "目录.txt"
    folder.mkdir()
    with pytest.raises(PlanFileError, match="文件夹"):
        read_plan_file(folder)
    with pytest.raises(PlanFileError, match="文件类型不支持：.ett"):
        read_plan_file(tmp_path / "表.ett")  # refused by name, before any reading


def test_plan_files_in_a_folder_include_xlsx(tmp_path):
    from planbot.index.ingest.read import plan_files

    (tmp_path / "分工.xlsx").write_bytes(b"x")
    (tmp_path / "照片.jpg").write_bytes(b"x")
    (tmp_path / "空").mkdir()
    files, skipped = plan_files([tmp_path, tmp_path / "空"])
    assert files == [tmp_path / "分工.xlsx"]
    assert [s.reason for s in skipped] == [f"文件夹里没有 {LISTED.replace(' ', '/')} 文件"]


def test_the_files_a_saved_page_brings_along_are_not_plans(tmp_path):
    """Saving a page "complete" writes 方案.html and a 方案_files/ folder (Word: 方案.files/) of
    pictures, scripts and the frames' own .htm: the page is a plan, they are not."""
    from planbot.index.ingest.read import plan_files

    for page, folder in (("要点.html", "要点_files"), ("方案.htm", "方案.files")):
        (tmp_path / page).write_bytes(b"x")
        (tmp_path / folder / "sub").mkdir(parents=True)
        (tmp_path / folder / "frame.htm").write_bytes(b"x")
        (tmp_path / folder / "sub" / "ad.html").write_bytes(b"x")
    (tmp_path / "资料_files").mkdir()  # no page of that name beside it: an ordinary folder
    (tmp_path / "资料_files" / "清单.csv").write_bytes(b"x")
    files, skipped = plan_files([tmp_path])
    assert files == [tmp_path / "方案.htm", tmp_path / "要点.html", tmp_path / "资料_files" / "清单.csv"]
    assert skipped == []


def test_a_folders_ett_and_dot_are_listed_with_what_to_do(tmp_path):
    """What PlanBot cannot read is listed with its advice; a .doc, a .wps and an .xls are read."""
    from planbot.index.ingest.read import plan_files

    (tmp_path / "分工表.ett").write_bytes(b"x")
    (tmp_path / "旧").mkdir()
    (tmp_path / "旧" / "模板.dot").write_bytes(b"x")
    (tmp_path / "旧" / "要点.doc").write_bytes(b"x")
    (tmp_path / "旧" / "要点.wps").write_bytes(b"x")
    (tmp_path / "旧" / "分工表.xls").write_bytes(b"x")
    files, skipped = plan_files([tmp_path])
    assert files == [tmp_path / "旧" / "分工表.xls", tmp_path / "旧" / "要点.doc", tmp_path / "旧" / "要点.wps"]
    assert sorted((s.path.rsplit("/", 1)[-1], s.reason.split("，")[-1]) for s in skipped) == [
        ("分工表.ett", "请在 Excel 或 WPS 中另存为 .xlsx 后再发送"),
        ("模板.dot", "请在 Word 或 WPS 中另存为 .docx 后再发送")]


# -- text -------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings(plan_text, encoding):
    data = plan_text.encode(encoding)
    if encoding == "utf-16":
        assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert read_plan_bytes("方案.txt", data) == plan_text


def test_gb18030_only_characters():
    text = "一、推进㙟村改造\n"  # 㙟 is in GB18030 but not in GBK
    assert read_plan_bytes("方案.md", text.encode("gb18030")) == text


def test_newlines_and_invisible_characters():
    raw = "\ufeff标题\r\n一、总体\u200b要求\r（一）目标\u2028二、保障\u2029三、落实  \r\n\r\n"
    assert read_plan_bytes("方案.txt", raw.encode("utf-8")) == \
        "标题\n一、总体要求\n（一）目标\n二、保障\n三、落实\n"


def test_blank_lines_inside_are_kept_at_ends_removed():
    assert read_plan_bytes("方案.txt", "\n\n  \n一、甲\n\n二、乙\n\n\n".encode()) == "一、甲\n\n二、乙\n"


@pytest.mark.parametrize("data", [b"   \r\n\t\n", "\u3000\n".encode(), codecs.BOM_UTF8])
def test_whitespace_only_text(data):
    assert reason("空.txt", data) == "文件为空"


def test_undecodable_text():
    # 0x81 opens a two-byte GB18030 sequence; 0x20 cannot follow it; not UTF-8 either.
    assert reason("方案.txt", b"\xb7\xbd\xb0\xb8\x81\x20") == "无法识别文件编码（请另存为 UTF-8 或 GBK）"


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4,  # NUL bytes everywhere
    b"\x01\x02\x03\x04\x05\x06\x07\x08plan\x0e\x0f" * 50,  # control characters, no NUL
])
def test_binary_named_txt(data):
    assert reason("方案.txt", data) == "看起来不是文本文件（含有二进制内容）"


def test_markdown_markup_is_taken_off(plan_lines):
    def marked(index: int, line: str) -> str:
        if index == 0:
            return f"# {line}"
        if re.match(r"[一二三四五六七八九十]+、", line):
            return f"## {line}"
        if line.startswith("（"):
            return f"### {line}"
        label, colon, rest = line.partition("：")
        return f"- **{label}**：{rest}" if colon and len(label) == 4 else line

    markdown = "\n\n".join(marked(i, line) for i, line in enumerate(plan_lines))
    assert "## 一、巩固拓展脱贫攻坚成果" in markdown and "- **牵头单位**：" in markdown
    text = read_plan_bytes("方案.md", markdown.encode())
    assert [line for line in text.splitlines() if line] == plan_lines


def test_markdown_table_becomes_tab_rows():
    markdown = "| 序号 | 重点任务 | 牵头单位 |\n|:---|---|---:|\n| 1 | 新建高标准农田 | 县农业农村局 |\n"
    assert read_plan_bytes("a.md", markdown.encode()).splitlines() == [
        "序号\t重点任务\t牵头单位", "1\t新建高标准农田\t县农业农村局"]


def test_trailing_zero_padding_is_not_binary():
    assert read_plan_bytes("方案.txt", "一、总体要求\n".encode() + bytes(64)) == "一、总体要求\n"


def test_utf16_without_bom():
    text = "1. Plan\n2. 落实\n"
    assert read_plan_bytes("方案.txt", text.encode("utf-16-le")) == text


# -- docx -------------------------------------------------------------------------------
def test_docx_paragraphs(make_docx, plan_lines):
    assert read_plan_bytes("方案.docx", make_docx(plan_lines)).splitlines() == plan_lines


def test_docx_list_numbering_gives_the_typed_labels_back(make_docx, plan_lines):
    """The same plan with every label drawn by Word's list numbering, not typed."""
    data = make_docx(plan_lines, numbered=True)
    import docx
    stored = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
    assert "巩固拓展脱贫攻坚成果" in stored  # the label really is not in the text
    assert read_plan_bytes("方案.docx", data).splitlines() == plan_lines


@pytest.fixture
def numbered(word):
    def build(abstracts, nums, paragraphs):
        """paragraphs: (text, numId or None, ilvl) triples."""
        import docx

        document = docx.Document()
        word.set_numbering(document, word.numbering_xml(abstracts, nums))
        for text, num_id, ilvl in paragraphs:
            paragraph = document.add_paragraph(text)
            if num_id is not None:
                word.number_paragraph(paragraph, num_id, ilvl)
        return document

    return build


def test_multilevel_label_without_legal_numbering_keeps_each_format(numbered, word):
    levels = [{"fmt": "chineseCounting", "text": "第%1章"}, {"fmt": "decimal", "text": "%1.%2"}]
    document = numbered({1: levels}, {1: {"abstract": 1}},
                        [("总则", 1, 0), ("目的", 1, 1)])
    assert read_plan_bytes("a.docx", word.save(document)).splitlines() == ["第一章 总则", "一.1 目的"]


def test_decimal_list_numbering(numbered, word):
    document = numbered(
        {1: [{"fmt": "decimal", "text": "%1."}]}, {1: {"abstract": 1}},
        [("加强干部教育培训", 1, 0), ("深化干部人事制度改革", 1, 0)])
    assert read_plan_bytes("要点.docx", word.save(document)).splitlines() == [
        "1.加强干部教育培训", "2.深化干部人事制度改革"]


def test_numbering_counters_follow_word(numbered, word):
    """Counters belong to the abstract list: a second w:num on it continues the count,
    a w:num with a startOverride restarts it; a higher level resets the lower ones.
    "%1.%2" shows level 1 in its own format unless the level is legal (isLgl)."""
    levels = [{"fmt": "chineseCountingThousand", "text": "%1、"},
              {"fmt": "decimal", "text": "%1.%2", "start": 1, "legal": True},
              {"fmt": "ideographTraditional", "text": "（%3）"}]
    document = numbered(
        {5: levels}, {1: {"abstract": 5}, 2: {"abstract": 5}, 3: {"abstract": 5, "starts": {0: 9}}},
        [("总体要求", 1, 0), ("目标", 1, 1), ("任务", 1, 1), ("甲项", 1, 2), ("乙项", 1, 2),
         ("重点任务", 2, 0),  # another w:num on the same list: continues
         ("产业", 2, 1),  # restarted by the level above
         ("附则", 3, 0),  # startOverride 9
         ("不编号的段落", None, 0), ("再一条", 3, 0)])
    assert read_plan_bytes("要点.docx", word.save(document)).splitlines() == [
        "一、总体要求", "1.1 目标", "1.2 任务", "（甲）甲项", "（乙）乙项",
        "二、重点任务", "2.1 产业", "九、附则", "不编号的段落", "十、再一条"]


def test_numbering_from_a_style_and_bullets_skipped(numbered, word):
    document = numbered(
        {3: [{"fmt": "chineseCounting", "text": "%1、"}], 4: [{"fmt": "bullet", "text": "•"}]},
        {7: {"abstract": 3}, 8: {"abstract": 4}},
        [("要点", None, 0), ("一项", 8, 0)])
    heading = document.styles["Heading 1"]
    num_pr = heading.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = 7  # the style numbers, the paragraph only names it
    document.add_paragraph("总体要求", style="Heading 1")
    document.add_paragraph("主要任务", style="Heading 1")
    assert read_plan_bytes("要点.docx", word.save(document)).splitlines() == [
        "要点", "一项", "一、总体要求", "二、主要任务"]


def test_empty_numbered_paragraph_counts_but_is_not_emitted(numbered, word):
    document = numbered(
        {1: [{"fmt": "decimal", "text": "%1．"}]}, {1: {"abstract": 1}},
        [("第一项", 1, 0), ("", 1, 0), ("第三项", 1, 0)])
    assert read_plan_bytes("a.docx", word.save(document)).splitlines() == ["1．第一项", "3．第三项"]


@pytest.mark.parametrize(("n", "fmt", "shown"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (23, "chineseCountingThousand", "二十三"), (3, "chineseLegalSimplified", "叁"),
    (2, "ideographTraditional", "乙"), (3, "decimalEnclosedCircle", "③"),
    (4, "decimalEnclosedCircleChinese", "④"), (12, "decimalFullWidth", "１２"),
    (28, "lowerLetter", "bb"), (4, "upperRoman", "IV"), (7, "decimalZero", "07"),
    (5, "ordinalText", "5"), (1, "ideographZodiac", "子"), (2, "none", ""),
])
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def _table_document(before="任务分工如下：", after="各单位要按时报送进展。"):
    """The 任务分工 table: header, a section row across the table, and a 牵头单位 cell
    merged vertically over items 1 and 2 (both are 县乡村振兴局's)."""
    import docx

    document = docx.Document()
    document.add_paragraph(before)
    rows = [
        ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
        ["一、巩固拓展脱贫攻坚成果", "", "", "", ""],
        ["1", "对脱贫不稳定户、边缘易致贫户开展常态化监测", "县乡村振兴局", "各乡镇人民政府",
         "长期坚持"],
        ["2", "落实过渡期内“四个不摘”要求", "", "县财政局、县民政局、县医保局", "2021年12月底前"],
        ["3", "完善集中安置区配套设施", "县发展改革局", "县人社局、县住建局", "2021年9月30日前"],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    section = table.cell(1, 0).merge(table.cell(1, 4))
    section.text = rows[1][0]
    merged = table.cell(2, 2).merge(table.cell(3, 2))
    merged.text = "县乡村振兴局"
    table.cell(4, 3).add_paragraph("相关乡镇人民政府")  # two paragraphs in one cell
    document.add_paragraph(after)
    return document


def test_docx_table_rows_in_body_order(word):
    lines = read_plan_bytes("分工.docx", word.save(_table_document())).splitlines()
    assert lines == [
        "任务分工如下：",
        "序号\t重点任务\t牵头单位\t责任单位\t完成时限",
        "一、巩固拓展脱贫攻坚成果",
        "1\t对脱贫不稳定户、边缘易致贫户开展常态化监测\t县乡村振兴局\t各乡镇人民政府\t长期坚持",
        "2\t落实过渡期内“四个不摘”要求\t县乡村振兴局\t县财政局、县民政局、县医保局\t2021年12月底前",
        "3\t完善集中安置区配套设施\t县发展改革局\t县人社局、县住建局 相关乡镇人民政府\t2021年9月30日前",
        "各单位要按时报送进展。",
    ]


def test_docx_table_horizontal_merge_repeats_value(word):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["任务", "牵头单位", "责任单位"]):
        table.cell(0, c).text = text
    table.cell(1, 0).text = "修订村规民约"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "县委宣传部"
    assert read_plan_bytes("t.docx", word.save(document)).splitlines() == [
        "任务\t牵头单位\t责任单位", "修订村规民约\t县委宣传部\t县委宣传部"]


def test_docx_auto_numbered_serial_column(word):
    """序号 cells left empty and numbered by Word show their numbers."""
    import docx

    document = docx.Document()
    word.set_numbering(document, word.numbering_xml({1: [{"fmt": "decimal", "text": "%1"}]},
                                                    {1: {"abstract": 1}}))
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "任务"
    for r, task in ((1, "新建高标准农田"), (2, "培育龙头企业")):
        word.number_paragraph(table.cell(r, 0).paragraphs[0], 1, 0)
        table.cell(r, 1).text = task
    assert read_plan_bytes("t.docx", word.save(document)).splitlines() == [
        "序号\t任务", "1\t新建高标准农田", "2\t培育龙头企业"]


def test_docx_text_python_docx_would_miss_or_add(word):
    """Tracked insertions, content controls and smart tags are text; deletions and
    hidden runs are not; a manual line break starts a new line; tabs stay tabs."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph()
    for xml in ('<w:ins w:id="1" w:author="a"><w:r><w:t>一、加强</w:t></w:r></w:ins>',
                '<w:del w:id="2" w:author="a"><w:r><w:delText>删掉的</w:delText></w:r></w:del>',
                "<w:sdt><w:sdtContent><w:r><w:t>组织</w:t></w:r></w:sdtContent></w:sdt>",
                "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>",
                "<w:r><w:t>领导</w:t><w:br/><w:t>牵头单位：</w:t><w:tab/><w:t>县委</w:t></w:r>"):
        paragraph._p.append(parse_xml(xml.replace(">", f' xmlns:w="{word.ns}">', 1)))
    assert read_plan_bytes("a.docx", word.save(document)).splitlines() == [
        "一、加强组织领导", "牵头单位：\t县委"]


def test_docx_without_text(word):
    import docx

    document = docx.Document()
    document.add_paragraph("   ")
    assert reason("空.docx", word.save(document)) == "这个 Word 文档里没有文字"


# -- pdf --------------------------------------------------------------------------------
def _page_texts(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def test_pdf_gives_back_the_plan(make_pdf, plan_lines):
    """Three pages: wrapped lines joined (also across page breaks), footers dropped."""
    data = make_pdf(plan_lines)
    assert _page_texts(data)[0].endswith("— 1 —") and len(_page_texts(data)) == 3
    assert read_plan_bytes("方案.pdf", data).splitlines() == plan_lines


def test_pdf_reading_order_is_positional(make_pdf, plan_lines):
    data = make_pdf(plan_lines, reverse=True)
    assert read_plan_bytes("方案.pdf", data).splitlines() == plan_lines


def test_pdf_sentence_broken_over_a_page(make_pdf):
    long = "1．对脱贫不稳定户、边缘易致贫户开展常态化监测，" * 4 + "每月排查一次。"
    paragraphs = ["标题", long, "牵头单位：县乡村振兴局"]
    data = make_pdf(paragraphs, lines_per_page=3)  # title + 2 lines, then the rest
    assert "监测" in _page_texts(data)[1]
    assert read_plan_bytes("a.pdf", data).splitlines() == paragraphs


@pytest.mark.parametrize("footer", ["- {n} -", "第{n}页", "第 {n} 页 共 {total} 页", "{n}",
                                    "{n}/{total}"])
def test_pdf_page_number_styles(make_pdf, plan_lines, footer):
    assert read_plan_bytes("a.pdf", make_pdf(plan_lines, footer=footer)).splitlines() == plan_lines


def test_pdf_running_header_removed(make_pdf, plan_lines):
    data = make_pdf(plan_lines, header="XX县人民政府办公室文件")
    assert read_plan_bytes("a.pdf", data).splitlines() == plan_lines


def test_pdf_with_indented_paragraphs_joins_wraps_after_a_full_stop(make_pdf):
    """公文 indent each paragraph's first line; then a wrap right after 。 or ） is
    still a wrap, and only an indented line starts a paragraph."""
    first = "（一）健全防止返贫动态监测和帮扶机制。对脱贫不稳定户等开展常态化监测。"  # 35 chars
    paragraphs = ["标题", first + "每月排查一次，发现一户、纳入一户、帮扶一户（县乡村振兴局负责）。",
                  "（二）做好易地扶贫搬迁后续扶持。" + "完善集中安置区配套设施，" * 4 + "确保就业。",
                  "牵头单位：县发展改革局"]
    data = make_pdf(paragraphs, indent=2)
    assert _page_texts(data)[0].splitlines()[1] == first  # the wrap falls after 。
    assert read_plan_bytes("a.pdf", data).splitlines() == paragraphs


def test_pdf_keeps_ideographic_spaces(make_pdf):
    paragraphs = ["目　录", "1　总则", "1.1　编制目的及依据"]
    assert read_plan_bytes("a.pdf", make_pdf(paragraphs)).splitlines() == paragraphs


def test_pdf_keeps_short_lines_apart(make_pdf):
    """Lines that end early are paragraph ends even without punctuation."""
    paragraphs = ["2022年城关镇党建工作任务清单", "牵头单位：县委组织部", "责任单位：各乡镇党委",
                  "完成时限：2021年4月底前"]
    assert read_plan_bytes("a.pdf", make_pdf(paragraphs)).splitlines() == paragraphs


def test_pdf_table(make_table_pdf):
    rows = [["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
            ["一、巩固拓展脱贫攻坚成果", "", "", "", ""],
            ["1", "对脱贫不稳定户、边缘易致贫户开展常态化监测", "县乡村振兴局", "各乡镇人民政府",
             "长期坚持"],
            ["2", "落实过渡期内“四个不摘”要求", "", "县财政局、县民政局、县医保局", "2021年12月底前"]]
    data = make_table_pdf(rows, spans=[((0, 1), (4, 1)), ((2, 2), (2, 3))],
                          before="任务分工如下：", after="各单位要按时报送进展。",
                          col_widths=[30, 150, 80, 100, 80])
    assert read_plan_bytes("分工.pdf", data).splitlines() == [
        "任务分工如下：",
        "序号\t重点任务\t牵头单位\t责任单位\t完成时限",
        "一、巩固拓展脱贫攻坚成果",
        "1\t对脱贫不稳定户、边缘易致贫户开展常态化监测\t县乡村振兴局\t各乡镇人民政府\t长期坚持",
        "2\t落实过渡期内“四个不摘”要求\t县乡村振兴局\t县财政局、县民政局、县医保局\t2021年12月底前",
        "各单位要按时报送进展。",
    ]


SCANNED = "这是扫描件（图片）PDF，没有可读的文字，请发送文字版 PDF 或 Word 文件"


def _scan(pages: int = 2, stamp: str = "", image: bool = False) -> bytes:
    """A "scanned" PDF: each page a drawing (or a picture) and its page number, and on the
    first page a stamp's text if given (what an OCR of a seal leaves)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    picture = ImageReader(Image.new("L", (200, 280), color=200))
    for number in range(1, pages + 1):
        if image:
            pdf.drawImage(picture, 50, 80, width=480, height=680)
        else:
            pdf.rect(50, 50, 400, 600, fill=1)
        pdf.drawCentredString(300, 30, f"- {number} -")
        if stamp and number == 1:
            pdf.drawString(400, 100, stamp)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize(("pages", "stamp", "image"), [
    (2, "", False),  # drawings only, plus page numbers
    (1, "", True),  # a page that is one picture
    (5, "XX county seal", True),  # nearly no text: 3 characters a page
])
def test_scanned_pdf_says_to_send_the_text_version(pages, stamp, image):
    data = _scan(pages, stamp, image)
    assert reason("扫描件.pdf", data) == SCANNED


def test_a_short_text_pdf_is_no_scan():
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 700, "1. Plant trees.")  # 13 characters on one page, and a picture
    pdf.drawImage(ImageReader(Image.new("L", (20, 20))), 72, 500)
    pdf.showPage()
    pdf.save()
    assert read_plan_bytes("短.pdf", buffer.getvalue()) == "1. Plant trees.\n"


def _encrypted_pdf(user_password: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=StandardEncryption(user_password, "owner", canCopy=0))
    pdf.drawString(72, 700, "1. Strengthen party building.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_with_a_password():
    assert reason("密.pdf", _encrypted_pdf("secret")).startswith("文件已加密，无法读取")


def test_pdf_with_only_an_owner_password_is_read():
    # "No copying" restrictions need no password to open; the text is ours to index.
    assert read_plan_bytes("限.pdf", _encrypted_pdf("")) == "1. Strengthen party building.\n"


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage", b"%PDF-1.7\n" + bytes(2000)])
def test_corrupt_pdf(data):
    assert reason("坏.pdf", data).startswith("不是有效的 PDF 文件")


def test_truncated_pdf(make_pdf, plan_lines):
    data = make_pdf(plan_lines)
    assert reason("坏.pdf", data[: len(data) // 2]).startswith("不是有效的 PDF 文件")


def test_not_a_pdf_at_all():
    assert reason("方案.pdf", "一、总体要求".encode()) == "不是有效的 PDF 文件"


# -- pdf layout rules, on positioned lines ------------------------------------------------
def _page(*lines: tuple[str, float, float], width=600.0, height=800.0) -> PageLines:
    """lines: (text, x1, top); x0 = 100, size 12, text block 100..500."""
    return PageLines(width, height, [Line(t, 100, x1, top, top + 12, 12) for t, x1, top in lines])


def test_join_needs_a_full_line_without_end_punctuation_and_no_numbering_next():
    page = _page(("为深入贯彻落实中央决策部署，确保全县重点任务落到", 500, 100),
                 ("实处，现将分工如下。", 220, 120),
                 ("一、巩固拓展脱贫攻坚成果，持续推进各项政策落地落实见", 499, 140),
                 ("（一）健全防止返贫动态监测和帮扶机制", 400, 160),
                 ("牵头单位：县乡村振兴局", 240, 180),
                 ("责任单位：各乡镇人民政府", 260, 200),
                 ("完成时限：长期坚持，每月底前报送监测结果，并于每季度末", 500, 220),
                 ("汇总上报；", 160, 240),
                 ("同时抄送县委农办。", 200, 260))
    assert assemble([page]) == [
        "为深入贯彻落实中央决策部署，确保全县重点任务落到实处，现将分工如下。",
        "一、巩固拓展脱贫攻坚成果，持续推进各项政策落地落实见",
        "（一）健全防止返贫动态监测和帮扶机制",
        "牵头单位：县乡村振兴局",
        "责任单位：各乡镇人民政府",
        "完成时限：长期坚持，每月底前报送监测结果，并于每季度末汇总上报；",
        "同时抄送县委农办。",
    ]


@pytest.mark.parametrize("marker", ["一、", "（一）", "1.", "1、", "（1）", "①", "第三条", "12．"])
def test_no_join_before_numbering(marker):
    page = _page(("对脱贫不稳定户、边缘易致贫户开展常态化监测", 500, 100), (f"{marker}落实要求", 300, 120))
    assert len(assemble([page])) == 2


def test_join_inside_brackets_and_before_line_start_punctuation():
    page = _page(("7、整顿软弱涣散村党组织，实行镇领导包联。（责任领导：组织委员；完成时间：", 500, 100),
                 ("2022年9月底前）", 200, 120),
                 ("8、对成效明显的市（地、州、盟）", 500, 140),
                 ("、县（市、区、旗）予以奖励。", 300, 160),
                 ("9、加强网络舆情监测和处置，重大舆情2小时内报告。（", 500, 180),
                 ("责任部门：宣传办）", 200, 200))
    assert assemble([page]) == [
        "7、整顿软弱涣散村党组织，实行镇领导包联。（责任领导：组织委员；完成时间：2022年9月底前）",
        "8、对成效明显的市（地、州、盟）、县（市、区、旗）予以奖励。",
        "9、加强网络舆情监测和处置，重大舆情2小时内报告。（责任部门：宣传办）"]


def test_no_join_before_a_field_label_even_after_a_full_line():
    page = _page(("责任单位：县财政局、县民政局、县医保局，各乡镇人民政府和", 500, 100),
                 ("完成时限：2021年12月底前", 300, 120))
    assert len(assemble([page])) == 2


def test_a_centred_title_that_wraps_is_one_line_and_a_date_below_it_is_not():
    """A 公文 title too long for one line in its large type wraps onto a second centred line."""
    def centred(text: str, width: float, top: float, size: float = 20.0) -> Line:
        return Line(text, 300 - width / 2, 300 + width / 2, top, top + size, size)

    body = [Line("为进一步加强基层党组织建设，根据上级有关要求，结合我县实际，制定本方案。", 100, 500, 160, 172, 12),
            Line("一、评定范围", 124, 200, 180, 192, 12)]
    title = [centred("关于开展2024年基层党组织星级评定工作的实", 380, 100), centred("施方案", 60, 124)]
    assert assemble([PageLines(600, 800, [*title, *body])])[:2] == [
        "关于开展2024年基层党组织星级评定工作的实施方案", body[0].text]
    dated = [centred("关于开展2024年基层党组织星级评定工作的通知", 400, 100), centred("（2024年3月1日）", 160, 124, 14)]
    assert assemble([PageLines(600, 800, [*dated, *body])])[:2] == [dated[0].text, dated[1].text]
    # two short centred lines (a heading over a subtitle) stay apart
    short = [centred("工作要点", 80, 100), centred("城关镇党委", 100, 124)]
    assert assemble([PageLines(600, 800, [*short, *body])])[:2] == ["工作要点", "城关镇党委"]


def test_join_keeps_decimal_numbers_together():
    page = _page(("粮食产量稳定在", 500, 100), ("1.5万吨以上。", 200, 120))
    assert assemble([page]) == ["粮食产量稳定在1.5万吨以上。"]


def test_running_header_needs_to_repeat_and_sit_in_the_margin():
    def page(n):
        return _page(("XX县人民政府办公室文件", 400, 20), (f"第{n}项工作。", 200, 300),
                     ("XX县人民政府办公室文件", 400, 500), (f"— {n} —", 320, 780))
    lines = assemble([page(1), page(2), page(3)])
    # the copy in the middle of the page is text, the ones at the top are furniture
    assert lines == ["第1项工作。", "XX县人民政府办公室文件", "第2项工作。",
                     "XX县人民政府办公室文件", "第3项工作。", "XX县人民政府办公室文件"]


def test_table_rows_are_never_joined_or_dropped():
    rows = [Line("1\t任务\t县委", 100, 500, 100, 112, 12, table=1, header=True),
            Line("2", 100, 500, 120, 132, 12, table=1)]
    assert assemble([PageLines(600, 800, rows)]) == ["1\t任务\t县委", "2"]


def test_repeated_table_header_on_next_page_dropped():
    def rows(page, first):
        return [Line("序号\t任务", 100, 500, 100, 112, 12, table=page, header=True),
                Line(f"{first}\t甲", 100, 500, 120, 132, 12, table=page)]
    assert assemble([PageLines(600, 800, rows(1, 1)), PageLines(600, 800, rows(2, 2))]) == [
        "序号\t任务", "1\t甲", "2\t甲"]


def test_fix_line():
    assert fix_line("⼀、加强⽣态保护") == "一、加强生态保护"  # Kangxi radicals U+2F00, U+2F63
    assert fix_line("工 作 要 点") == "工作要点"
    assert fix_line("县财政局 县民政局") == "县财政局 县民政局"
    assert fix_line("（１）全角数字") == "（１）全角数字"


def test_join_cell():
    assert join_cell("对脱贫不稳定户、边缘易致贫户开展常态\n化监测") == "对脱贫不稳定户、边缘易致贫户开展常态化监测"
    assert join_cell("NB-IoT\nnetwork 5G\n基站") == "NB-IoT network 5G基站"


def test_every_supported_suffix_has_a_reader_that_imports():
    from planbot.index.ingest import read

    assert set(read._READERS) == read.SUPPORTED_SUFFIXES
    assert all(callable(read._reader(suffix)) for suffix in read.SUFFIXES)
