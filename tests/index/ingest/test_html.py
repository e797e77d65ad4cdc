""".html pages: real plans wrapped in the pages government sites publish them in (header, menu,
breadcrumbs, a sidebar of links, share buttons, a footer with 版权所有 and the ICP number), read
by index/ingest/read.py and parsed by the same parser as the .txt of the same plan."""

from __future__ import annotations

import codecs
import re
from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.index.conftest import SAMPLE, sample_tasks

from .test_formats_parse import facts

ROOT = Path(__file__).resolve().parents[3]
PLANS = sorted([*(ROOT / "plan_texts").glob("*.txt"), *(ROOT / "tests/fixtures/corpus").glob("*.txt")])
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号$")

SITE = "XX县人民政府"
HEADER = f"""<div class="top"><div class="logo"><h1><a href="/"><img src="logo.png" alt="{SITE}"/>{SITE}</a></h1></div>
<div class="today">今天是2021年5月6日 星期四　欢迎访问{SITE}门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bs/">网上办事</a></li>
<li><a href="/hd/">政民互动</a></li><li><a href="/zjxx/">走进XX</a></li></ul>
<form action="/search"><input type="text" name="q" value="请输入关键字"/><button>搜索</button></form></div>"""
CRUMBS = """<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/ghjh/">规划计划</a></div>"""
SIDEBAR = """<div class="side"><h3>相关文章</h3><ul>
<li><a href="/a/1.html">关于做好2021年春耕生产工作的通知</a></li>
<li><a href="/a/2.html">XX县2021年政府工作报告（全文）</a></li>
<li><a href="/a/3.html">县委常委会召开会议，研究部署全县乡村振兴和组织工作</a></li>
<li><a href="/a/4.html">XX县人民政府办公室关于调整县安全生产委员会组成人员的通知</a></li></ul>
<h3>热点信息</h3><ul><li><a href="/a/5.html">我县召开2021年全县经济工作会议</a></li></ul></div>"""
INFO = """<div class="info">发布时间：2021-05-06 10:20　来源：县政府办公室　浏览次数：<span>1234</span>
　字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>　<a href="javascript:print()">打印本页</a></div>"""
AFTER = """<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="pages"><p>上一篇：<a href="/a/6.html">关于开展安全生产大检查的通知</a></p>
<p>下一篇：<a href="/a/7.html">全县组织工作会议召开</a></p></div>"""
FOOTER = f"""<div class="footer"><p><a href="/">网站地图</a> | <a href="/">联系我们</a> | <a href="/">English</a></p>
<p>版权所有：{SITE}　主办：{SITE}办公室　承办：XX县大数据中心</p>
<p>地址：XX县人民路88号　邮编：000000　联系电话：0000-1234567　网站标识码：1234000001</p>
<p><a href="https://beian.miit.gov.cn/">X ICP备12345678号-1</a>　<a href="#">X公网安备 12345678901234号</a></p></div>
<div style="display:none">统计代码。一、隐藏的文字不是计划的一部分。</div>
<script>document.write("一、脚本写的字也不是计划。");</script>"""


def plan_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def split_title(lines: list[str]) -> tuple[str, list[str]]:
    """The title as a site shows it above the article (a notice's title lines joined), and
    the lines the article's content holds: a published document's from its 发文字号 on."""
    k = next((i for i, ln in enumerate(lines[:8]) if _DOC_NUMBER.search(ln)), 1)
    return "".join(lines[:k]), lines[k:]


def paragraphs(lines: list[str]) -> str:
    return "\n".join(f'<p style="text-indent:2em;">{escape(line)}</p>' for line in lines)


def div_page(lines: list[str]) -> str:
    """A CMS page of divs: the title in a title block above the content, GB2312 declared."""
    title, body = split_title(lines)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{escape(title)}_规划计划_{SITE}</title>
<link rel="stylesheet" href="/css/style.css"/><style>.nav li {{ float: left; }}</style>
<script type="text/javascript">var site = "{SITE}。一、不是计划";</script>
</head><body>
{HEADER}
<div class="main">{CRUMBS}{SIDEBAR}
<div class="article"><div class="title">{escape(title)}</div>{INFO}
<div class="content" id="zoom"><div class="TRS_Editor">
{paragraphs(body)}
</div></div>{AFTER}</div></div>
{FOOTER}</body></html>"""


def html5_page(lines: list[str]) -> str:
    """An HTML5 page: the title an <h1> in the <article>, repeated as the content's first lines."""
    title, _ = split_title(lines)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{escape(title)} - {SITE}</title></head>
<body><header>{HEADER}</header><nav>{CRUMBS}</nav>
<main><article><h1>{escape(title)}</h1>{INFO}
<section class="article-content">{paragraphs(lines)}</section>{AFTER}</article>
<aside>{SIDEBAR}</aside></main><footer>{FOOTER}</footer></body></html>"""


def table_page(lines: list[str]) -> str:
    """An old site laid out in nested tables, no charset declared, the title only in a cell
    above the text and in <title>; paragraphs as text between <br>s."""
    title, body = split_title(lines)
    text = "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + escape(line) for line in body)
    return f"""<html><head><title>{SITE}--{escape(title)}</title></head><body>
<table width="1000" align="center"><tr><td colspan="2">{HEADER}</td></tr>
<tr><td width="240" valign="top">{SIDEBAR}</td><td valign="top">
<table width="100%"><tr><td>{CRUMBS}</td></tr>
<tr><td align="center"><font size="5"><b>{escape(title)}</b></font></td></tr>
<tr><td>{INFO}</td></tr>
<tr><td class="bt_content"><font size="3">{text}</font></td></tr></table></td></tr>
<tr><td colspan="2">{FOOTER}</td></tr></table></body></html>"""


PAGES = {"divs-gbk": (div_page, "gbk"), "html5-utf8": (html5_page, "utf-8"),
         "tables-utf8-bom": (table_page, "utf-8-sig")}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_a_plan_published_on_a_site_gives_the_same_items_as_its_text(path, page):
    build, encoding = PAGES[page]
    text_plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
    data = build(plan_lines(path)).encode(encoding)
    html_plan = parse_plan(read_plan_bytes(path.stem + ".html", data), path.stem + ".html")
    assert html_plan.title == text_plan.title
    assert html_plan.year == text_plan.year
    assert facts(html_plan) == facts(text_plan)
    assert [i.text for i in html_plan.items] == [i.text for i in text_plan.items]


def test_the_site_around_the_plan_is_left_out():
    text = read_plan_bytes("方案.htm", div_page(plan_lines(SAMPLE)).encode("gbk"))
    lines = text.splitlines()
    assert lines[0] == "2021年全县乡村振兴重点任务分工方案"
    assert lines[1].startswith("为深入贯彻落实")
    for chrome in ("首页", "当前位置", "相关文章", "发布时间", "分享到", "上一篇", "版权所有", "ICP",
                   "统计代码", "脚本", "请输入关键字", "欢迎访问"):
        assert chrome not in text


@pytest.mark.parametrize("title_apart", [False, True])
def test_a_plan_in_two_blocks_is_read_whole(plan_text, title_apart):
    """Word's "save as web page" puts each section of a document in a block of its own
    (WordSection1, WordSection2 for a landscape part): the smaller one holds plan text, so
    the heavier one alone is not the article; the blocks from the plan's first to its last
    are, with the title's block just before them (the <title> here names only the site)."""
    lines = plan_lines(SAMPLE)
    cut = len(lines) * 3 // 4
    title = f"<h1>{lines[0]}</h1>" if title_apart else ""
    first = lines[1:cut] if title_apart else lines[:cut]
    page = f"""<html><head><meta charset="gbk"><title>{SITE}</title></head><body>{HEADER}{title}
<div class="WordSection1">{paragraphs(first)}</div><div class="WordSection2">{paragraphs(lines[cut:])}</div>
{FOOTER}</body></html>"""
    text = read_plan_bytes("方案.htm", page.encode("gbk"))
    assert text.splitlines()[0] == lines[0]
    assert "版权所有" not in text and "欢迎访问" not in text
    assert facts(parse_plan(text, "方案.htm")) == facts(parse_plan(plan_text, SAMPLE.name))


def test_a_task_table_on_a_page(plan_text):
    """The sample plan as the HTML table a site shows: headings as rows spanning the table,
    the 牵头单位 merged (rowspan) over the rows of one unit; TAB-joined rows read by the same
    table rules as a .docx's."""
    title, preamble, tasks = sample_tasks(plan_lines(SAMPLE))
    rows, shown = [], ("", "")
    for index, (section, subsection, row) in enumerate(tasks):
        for heading, before in ((section, shown[0]), (subsection, shown[1] if section == shown[0] else "")):
            if heading and heading != before:
                rows.append(f'<tr><td colspan="5" style="font-weight:bold">{escape(heading)}</td></tr>')
        shown = (section, subsection)
        number, task, lead, partners, deadline = row
        span = 1
        while index + span < len(tasks) and tasks[index + span][2][2] == lead and \
                tasks[index + span][:2] == (section, subsection):
            span += 1
        first = index == 0 or tasks[index - 1][2][2] != lead or tasks[index - 1][:2] != (section, subsection)
        lead_cell = f'<td rowspan="{span}">{escape(lead)}</td>' if first else ""
        rows.append(f"<tr><td>{number}</td><td>{escape(task)}</td>{lead_cell}"
                    f"<td>{escape(partners or '')}</td><td>{escape(deadline or '')}</td></tr>")
    page = f"""<html><head><meta charset="utf-8"><title>{title}</title></head><body>{HEADER}
<div class="content"><h2 style="text-align:center">{title}</h2><p>{preamble}</p>
<table border="1"><thead><tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>{FOOTER}</body></html>"""
    assert any('rowspan="2"' in row or 'rowspan="3"' in row for row in rows)  # the merges are exercised
    html_plan = parse_plan(read_plan_bytes("分工.html", page.encode()), "分工.html")
    text_plan = parse_plan(plan_text, SAMPLE.name)
    assert html_plan.title == text_plan.title
    assert facts(html_plan) == facts(text_plan)


@pytest.mark.parametrize(("encoding", "declared"), [
    ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'),
    ("gb18030", '<meta charset="gb2312">'),
    ("utf-8", '<meta charset="UTF-8">'),
    ("utf-8", ""),
    ("gbk", ""),
    ("utf-8-sig", '<meta charset="gbk">'),  # the BOM comes first
    ("utf-16", ""),  # with its BOM
    ("utf-8", '<meta charset="iso-8859-1">'),  # a server default, never a Chinese plan's
    ("gbk", '<meta charset="utf-8">'),  # a wrong label: the bytes say otherwise
])
def test_encodings(encoding, declared):
    page = f"<html><head>{declared}<title>工作要点</title></head><body><p>一、加强党的建設</p><p>二、鎔鑄發展</p></body></html>"
    assert read_plan_bytes("要点.html", page.encode(encoding)).splitlines() == ["工作要点", "一、加强党的建設", "二、鎔鑄發展"]


def test_an_xml_declaration_names_the_encoding():
    page = '<?xml version="1.0" encoding="gb2312"?>\n<html><body><p>一、总体要求</p><p>二、重点任务</p></body></html>'
    assert read_plan_bytes("要点.html", page.encode("gbk")).splitlines() == ["一、总体要求", "二、重点任务"]


def test_lines_are_what_a_browser_shows():
    page = """<body><div><p>（一）加强<b>干部</b>队伍
    建设，<a href="/x">县委组织部</a>牵头。</p><p>第二行<br>第三行 &nbsp;有空格</p>
    <ul><li>1. 列表一</li><li>2. 列表二</li></ul><pre>  保留
  原样</pre><h2>二、标题</h2>文字在 div 里<span>和 span 里</span>
    <p class=MsoNormal><span>由县委
    </span><span lang=EN-US>
    </span><span>组织部负责，2021
    年底前完成</span></p></div></body>"""
    assert read_plan_bytes("页.html", page.encode()).splitlines() == [
        "（一）加强干部队伍建设，县委组织部牵头。", "第二行", "第三行  有空格", "1. 列表一", "2. 列表二",
        "保留", "原样", "二、标题", "文字在 div 里和 span 里", "由县委组织部负责，2021 年底前完成"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"   \n", "这个网页里没有文字"),
    (b"<html><head><title>\xe6\x96\xb9\xe6\xa1\x88</title></head><body></body></html>", "这个网页里没有文字"),
    (b"<html><body><script>var a = 1;</script><img src='a.png'></body></html>", "这个网页里没有文字"),
    (b"<!-- saved from url=(0040)http://www.example.gov.cn/ -->", "这个网页里没有文字"),
    (b"%PDF-1.7\n" + bytes(100), "文件内容与扩展名不符（看起来是 PDF）"),
    (b"PK\x05\x06" + bytes(18), "文件内容与扩展名不符（看起来是压缩包）"),
    (bytes(range(256)) * 8, "看起来不是文本文件（含有二进制内容）"),
])
def test_what_is_no_page_is_refused_with_a_reason(data, expected):
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes("方案.html", data)
    assert caught.value.reason == expected


def test_a_page_that_is_no_plan_is_refused_by_the_parser():
    page = f"<html><body>{HEADER}<div class='content'><p>会议通知：请于周五下午参加会议。</p></div>{FOOTER}</body></html>"
    with pytest.raises(PlanFileError, match="不像计划"):
        parse_plan(read_plan_bytes("通知.html", page.encode()), "通知.html")


def test_a_deeply_nested_page_is_refused_with_a_reason():
    """The HTML parser stops nesting at 256 levels (no recursion runs away); what lies
    deeper is lost, and a page with nothing else says it holds no text."""
    page = "<html><body>" + "<div>" * 5000 + "一、总体要求" + "</div>" * 5000 + "</body></html>"
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes("深.html", page.encode())
    assert caught.value.reason == "这个网页里没有文字"


def test_a_txt_holding_html_is_still_read_as_text():
    """Unchanged: a .txt is text whatever it holds."""
    data = "<html><body><p>一、总体要求</p></body></html>".encode()
    assert read_plan_bytes("方案.txt", data) == "<html><body><p>一、总体要求</p></body></html>\n"


def test_utf16_page_with_bom_declares_nothing_else():
    data = codecs.BOM_UTF16_LE + "<p>一、总体要求</p><p>二、保障措施</p>".encode("utf-16-le")
    assert read_plan_bytes("方案.html", data).splitlines() == ["一、总体要求", "二、保障措施"]


_TAGS = ["p", "div", "span", "a", "table", "tr", "td", "th", "br", "li", "ul", "h1", "pre", "b",
         "script", "style", "nav", "tbody", "font", "center", "title", "head", "body", "html"]
_TAG_SOUP = st.lists(st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(['<td rowspan="3">', '<td colspan="99999">', '<td rowspan="x">', '<p hidden>',
                     '<div style="display:none">', "<meta charset=gbk>", "<!--", "-->", "&nbsp;", "\n"]),
    st.text(alphabet="一二、（）1.。，县委牵头单位完成时限 \t", max_size=12),
), max_size=60).map("".join)


@given(_TAG_SOUP, st.sampled_from(["utf-8", "gb18030"]))
@settings(max_examples=150, deadline=None)
def test_any_tag_soup_gives_text_or_a_reason(page, encoding):
    """Pages broken every way a saved page can be: the reader gives clean text or a
    PlanFileError, never another exception, never an empty text."""
    try:
        text = read_plan_bytes("页.html", page.encode(encoding))
    except PlanFileError as error:
        assert error.reason
        return
    assert text.strip() and text.endswith("\n") and "\x00" not in text


def test_short_numbered_tasks_after_the_last_heading_are_the_plans():
    """A page with its plan straight in <body>: the last section's tasks are too short to be
    plan text on their own (no 。 sentence of ten characters, numbered 1. as chrome may be),
    but they follow the plan and are read; the footer after them is not."""
    page = ("<html><head><meta charset='utf-8'><title>工作要点</title></head><body>"
            "<div class='top'><a href='/'>首页</a></div><p>2021年党支部工作要点</p>"
            "<p>一、加强政治建设，认真组织党员开展理论学习。</p><p>二、加强队伍建设</p>"
            "<p>1. 发展党员2名。</p><p>2. 开展谈心谈话。</p><div>版权所有：XX县</div></body></html>")
    assert read_plan_bytes("要点.html", page.encode()).splitlines() == [
        "2021年党支部工作要点", "一、加强政治建设，认真组织党员开展理论学习。", "二、加强队伍建设",
        "1. 发展党员2名。", "2. 开展谈心谈话。"]
