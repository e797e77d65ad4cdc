"""`planbot` on the command line: what each command prints and returns.

Expected values come from the plan files themselves (parsed here) or from the engine,
never typed in: the CLI must show what the library found, and say so in one line when
it cannot.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planbot.bot import cli
from planbot.index.engine import Engine
from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import MAX_ITEMS, parse_plan
from planbot.index.limits import MAX_INDEX_FILE_BYTES as CLI_MAX_FILE_BYTES
from planbot.index.limits import MAX_QUESTION, MAX_TOP
from planbot.index.limits import MAX_UPLOAD_BYTES as MAX_FILE_BYTES
from planbot.index.models import Answer

ROOT = Path(__file__).resolve().parent.parent
PLAN_TEXTS = ROOT / "plan_texts"
PLAN_FILES = sorted(PLAN_TEXTS.glob("*.txt"))
ERROR_LINE = re.compile(r"错误：[^\n]+\n")


def _parsed() -> list:
    return [parse_plan(p.read_text("utf-8"), p.name) for p in PLAN_FILES]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, sample_db: Path) -> str:
    """A private copy of the database with the bundled plans."""
    path = tmp_path / "planbot.db"
    shutil.copy(sample_db, path)
    return str(path)


def _by_path(plan, path: list[str]):
    return next(i for i in plan.items if i.path == path)


# -- index ------------------------------------------------------------------------------------

def test_index_prints_the_summary_then_unchanged_on_a_second_run(capsys, tmp_path: Path):
    db = str(tmp_path / "planbot.db")
    plans = _parsed()
    items = [i for p in plans for i in p.items if i.kind == "item"]
    code, out, _ = _run(capsys, "--db", db, "index", str(PLAN_TEXTS))
    assert code == 0
    summary, counts = out.splitlines()[:2]
    assert summary == (f"计划 {len(plans)} 份，条目 {len(items)} 条，其中写明责任单位 "
                       f"{sum(bool(i.owners) for i in items)} 条、写明时限 {sum(bool(i.deadlines) for i in items)} 条。")
    assert counts == f"本次新增 {len(plans)}，更新 0，未变 0，跳过 0。"

    code, out, _ = _run(capsys, "--db", db, "index", str(PLAN_TEXTS))
    assert code == 0
    assert out.splitlines()[0] == summary
    assert out.splitlines()[1] == f"本次新增 0，更新 0，未变 {len(plans)}，跳过 0。"


def test_index_reports_updated_and_skipped_files(capsys, tmp_path: Path, db: str):
    folder = tmp_path / "plans"
    shutil.copytree(PLAN_TEXTS, folder)
    changed = folder / PLAN_FILES[0].name
    changed.write_text(changed.read_text("utf-8") + "\n九、新增一节\n1. 新增的一项任务。\n", encoding="utf-8")
    (folder / "空.txt").write_bytes(b"")
    (folder / "分工表.et").write_bytes(b"\xd0\xcf\x11\xe0")  # read as the Excel table it is not: said what to do
    code, out, _ = _run(capsys, "--db", db, "index", str(folder), str(tmp_path / "nowhere"))
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == f"本次新增 0，更新 1，未变 {len(PLAN_FILES) - 1}，跳过 3。"
    empty = next(line for line in lines[2:] if "空.txt" in line)
    assert empty.startswith(f"  跳过 {folder / '空.txt'}：") and "文件为空" in empty
    old = next(line for line in lines[2:] if "分工表.et" in line)
    assert old.endswith("请在 Excel 或 WPS 中另存为 .xlsx 后再发送")
    assert f"  跳过 {tmp_path / 'nowhere'}：文件或文件夹不存在" in lines[2:]
    assert len(lines) == 5


def test_index_of_nothing_usable_exits_1(capsys, tmp_path: Path):
    (tmp_path / "a.txt").write_text("   \n", encoding="utf-8")
    code, out, _ = _run(capsys, "--db", str(tmp_path / "planbot.db"), "index", str(tmp_path / "a.txt"))
    assert code == 1
    assert "跳过 1" in out


# -- ask --------------------------------------------------------------------------------------

def test_ask_prints_the_answer_and_its_citations(capsys, db: str):
    question = "乡村旅游精品线路哪个部门牵头"
    code, out, err = _run(capsys, "--db", db, "ask", question)
    assert code == 0 and err == ""
    expected = Engine.open(db).ask(question)
    lines = out.splitlines()
    assert lines[0] == expected.text
    cited = [line for line in lines if re.match(r"  \[\d+\] 《", line)]
    assert len(cited) == len(expected.citations) >= 1
    assert cited[0].startswith(f"  [1] 《{expected.citations[0].plan}》")


def test_ask_json_is_the_documented_answer_model(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "ask", "乡村旅游精品线路哪个部门牵头", "--json", "--today", "2021-06-15")
    assert code == 0
    assert out.count("\n") == 1
    data = json.loads(out)
    Answer.model_validate(data)
    assert {"question", "kind", "found", "text", "citations", "more"} <= data.keys()
    assert data["kind"] == "who" and data["found"] is True
    first = data["citations"][0]
    assert {"plan", "label", "path", "path_titles", "title", "text", "sentence", "owners", "deadlines",
            "score"} <= first.keys()
    assert isinstance(first["path"], list) and all(isinstance(k, str) for k in first["path"])
    assert first["owners"] and all({"role", "unit"} <= o.keys() for o in first["owners"])
    assert {o["role"] for o in first["owners"]} <= {"lead", "responsible", "cooperating"}
    assert first["deadlines"] and all({"phrase", "date", "recurring"} <= d.keys() for d in first["deadlines"])
    for d in first["deadlines"]:
        assert d["date"] is None or dt.date.fromisoformat(d["date"])
    assert isinstance(first["score"], float) and first["score"] > 0
    # The cited item is the plan's own: its text is the item's text as parsed from the file.
    plan = next(p for p in _parsed() if p.title == first["plan"])
    assert _by_path(plan, first["path"]).text == first["text"]


def test_ask_stdin_gives_one_json_line_per_question_line(capsys, db: str, monkeypatch):
    questions = ["干部培训谁负责", "", "😀🎉", "第3条", "   ", "\u202e谁负责", "？" * (MAX_QUESTION + 50), "x"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\r\n".join(questions[:3]) + "\n" + "\n".join(questions[3:]) + "\n"))
    code, out, _ = _run(capsys, "--db", db, "ask", "-", "--json")
    assert code == 0
    lines = out.split("\n")
    assert lines[-1] == ""  # ends with a newline
    answers = [Answer.model_validate_json(line) for line in lines[:-1]]
    assert [a.question for a in answers] == [q[:MAX_QUESTION] for q in questions]
    assert [a.kind for a in answers][1:3] == ["hint", "hint"]
    assert answers[0].found and answers[3].found


def test_ask_stdin_in_text_mode_answers_each_line(capsys, db: str, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("干部培训谁负责\n第3条\n"))
    code, out, _ = _run(capsys, "--db", db, "ask", "-")
    engine = Engine.open(db)
    assert code == 0
    firsts = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert firsts == [engine.ask("干部培训谁负责").text, engine.ask("第3条").text]
    assert out.count("\n\n") == 2  # each answer ends with a blank line


def test_top_must_be_positive(capsys, db: str):
    with pytest.raises(SystemExit) as exited:
        _run(capsys, "--db", db, "ask", "干部培训", "--top", "0")
    assert exited.value.code == 2 and "--top" in capsys.readouterr().err


def test_index_fails_when_every_file_was_skipped(capsys, tmp_path: Path, db: str):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a docx")
    code, out, _ = _run(capsys, "--db", db, "index", str(bad))
    assert code == 1 and "跳过 1" in out


def test_every_option_says_what_it_does():
    from planbot.bot.cli import build_parser

    for action in build_parser()._subparsers._group_actions[0].choices.values():
        for option in action._actions:
            if option.dest != "help":
                assert option.help, f"{action.prog} {option.option_strings or option.dest}"


def test_a_brand_new_database_indexes_the_bundled_plans_first(capsys, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no plan_texts/ here: the one shipped beside the package
    db = str(tmp_path / "planbot.db")
    code, out, err = _run(capsys, "--db", db, "ask", "干部培训谁负责", "--json")
    assert code == 0
    assert err.startswith("（首次使用：") and f"索引 {len(PLAN_FILES)} 份计划" in err and db in err
    assert Answer.model_validate_json(out).found
    # Only once: the second question finds the plans there.
    _, _, err = _run(capsys, "--db", db, "ask", "干部培训谁负责")
    assert err == ""


def test_samples_never_come_back_after_the_plans_were_removed(capsys, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "planbot.db")
    _run(capsys, "--db", db, "ask", "干部培训谁负责")
    for path in PLAN_FILES:
        assert _run(capsys, "--db", db, "remove", path.stem)[0] == 0
    code, out, err = _run(capsys, "--db", db, "ask", "干部培训谁负责", "--json")
    assert code == 0 and err == "" and not Answer.model_validate_json(out).found
    assert _run(capsys, "--db", db, "plans", "--json")[1].strip() == "[]"


def test_a_database_path_in_a_folder_that_does_not_exist_is_an_error(capsys, tmp_path: Path):
    db = tmp_path / "typo" / "planbot.db"
    code, _, err = _run(capsys, "--db", str(db), "ask", "干部培训谁负责")
    assert code == 1 and "不存在" in err and str(db.parent) in err
    assert not db.parent.exists()


def test_history_changes_and_restore(capsys, tmp_path: Path):
    db = str(tmp_path / "planbot.db")
    plan = tmp_path / "方案.txt"
    source = next(p for p in PLAN_FILES if "牵头单位：" in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    _run(capsys, "--db", db, "index", str(plan))
    old_lead = "牵头单位：" + text.split("牵头单位：", 1)[1].splitlines()[0].strip()
    plan.write_text(text.replace(old_lead, "牵头单位：县审计局", 1), encoding="utf-8")
    code, out, _ = _run(capsys, "--db", db, "index", str(plan))
    assert code == 0 and "更新 1" in out
    name = source.stem[:8]
    code, out, _ = _run(capsys, "--db", db, "history", name)
    assert code == 0 and "第1版" in out and "第2版" in out and out.count("← 当前") == 1
    code, out, _ = _run(capsys, "--db", db, "changes", name)
    assert code == 0 and "修改 1 条" in out and "县审计局" in out and old_lead.split("：")[1] in out
    code, out, _ = _run(capsys, "--db", db, "restore", name, "1")
    assert code == 0 and "第3版" in out
    code, out, _ = _run(capsys, "--db", db, "changes", name, "--old", "1", "--json")
    assert code == 0 and json.loads(out)["changes"] == []
    code, _, err = _run(capsys, "--db", db, "restore", name, "9")
    assert code == 1 and "没有保存第9版" in err


def test_auto_index_prefers_plan_texts_in_the_current_folder(capsys, tmp_path: Path, monkeypatch):
    (tmp_path / "plan_texts").mkdir()
    shutil.copy(PLAN_FILES[0], tmp_path / "plan_texts")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "--db", "planbot.db", "plans", "--json")
    assert json.loads(out) == []  # `plans` never indexes by itself
    code, out, err = _run(capsys, "--db", "planbot.db", "ask", "第1条")
    assert code == 0 and "索引 1 份计划" in err


# -- show, deadlines, plans, remove -----------------------------------------------------------

def test_show_by_section_and_number_in_one_plan(capsys, db: str):
    plan = next(p for p in _parsed() if "组织" in p.title)
    item = _by_path(plan, ["二", "3"])
    code, out, _ = _run(capsys, "--db", db, "show", "二.3", "--plan", "组织")
    assert code == 0
    body = [line.strip() for line in out.splitlines() if line.startswith("      ")]
    assert body == [line.strip() for line in item.text.splitlines()]
    code, out, _ = _run(capsys, "--db", db, "show", "二.3", "--plan", "组织", "--json")
    answer = Answer.model_validate_json(out)
    assert [c.text for c in answer.citations] == [item.text]


def test_show_an_article_number_across_plans(capsys, db: str):
    """第三条 in no plan in particular: item 3 of every plan that has one, in plan order."""
    want = [(p.title, i.text) for p in _parsed() for i in p.items
            if i.kind == "item" and i.key == "3"]
    code, out, _ = _run(capsys, "--db", db, "show", "第三条", "--json")
    assert code == 0
    answer = Answer.model_validate_json(out)
    assert [(c.plan, c.text) for c in answer.citations] == want
    code, out, _ = _run(capsys, "--db", db, "show", "第三条")
    assert len(re.findall(r"^  \[\d+\] ", out, flags=re.M)) == len(want)


def _due(start: dt.date, end: dt.date) -> list[str]:
    """Item texts with a deadline date in [start, end], from the parsed files."""
    return sorted(i.text for p in _parsed() for i in p.items
                  if i.kind == "item" and any(d.date and start <= d.date <= end for d in i.deadlines))


def test_deadlines_in_a_month(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "deadlines", "--month", "2021-06", "--json")
    assert code == 0
    answer = Answer.model_validate_json(out)
    want = _due(dt.date(2021, 6, 1), dt.date(2021, 6, 30))
    assert want, "the sample plans have a June 2021 deadline"
    assert sorted(c.text for c in answer.citations) == want
    code, out, _ = _run(capsys, "--db", db, "deadlines", "--month", "2021-06")
    assert out.splitlines()[0] == answer.text


def test_deadlines_within_days_of_today(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "deadlines", "--within", "30", "--today", "2021-06-15", "--json")
    assert code == 0
    answer = Answer.model_validate_json(out)
    assert sorted(c.text for c in answer.citations) == _due(dt.date(2021, 6, 15), dt.date(2021, 7, 15))
    dates = [min(d.date for d in c.deadlines if d.date and d.date >= dt.date(2021, 6, 15)) for c in answer.citations]
    assert dates == sorted(dates)  # soonest first


@pytest.mark.parametrize("period, start, end", [
    ("本季度", dt.date(2021, 4, 1), dt.date(2021, 6, 30)), ("下周", dt.date(2021, 6, 21), dt.date(2021, 6, 27)),
    ("2021年6月", dt.date(2021, 6, 1), dt.date(2021, 6, 30)), ("今年", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
])
def test_deadlines_in_a_period_written_as_in_a_question(capsys, db: str, period, start, end):
    code, out, _ = _run(capsys, "--db", db, "deadlines", period, "--today", "2021-06-15", "--json")
    assert code == 0
    answer = Answer.model_validate_json(out)
    assert (answer.due.start, answer.due.end) == (start, end)
    assert sorted(c.text for c in answer.citations) == _due(start, end)


def test_deadlines_overdue_first_and_by_pages(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "deadlines", "今年", "--today", "2021-06-15")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2021年有") and "项已过时限" in lines[0]
    assert lines.index("  已过时限：") < lines.index("  尚未到期：")
    every = Answer.model_validate_json(_run(capsys, "--db", db, "deadlines", "今年", "--today", "2021-06-15",
                                            "--json")[1])
    code, out, _ = _run(capsys, "--db", db, "deadlines", "今年", "--today", "2021-06-15", "--top", "5")
    assert "[5]" in out and "[6]" not in out and "--offset 5 看下一页" in out
    code, out, _ = _run(capsys, "--db", db, "deadlines", "今年", "--today", "2021-06-15", "--top", "5",
                        "--offset", "5", "--json")
    page = Answer.model_validate_json(out)
    assert [c.item_id for c in page.citations] == [c.item_id for c in every.citations[5:10]]
    code, _, err = _run(capsys, "--db", db, "deadlines", "明年春天")
    assert code == 1 and "没看懂“明年春天”" in err


def test_ask_offset_is_the_next_page(capsys, db: str):
    first = Answer.model_validate_json(_run(capsys, "--db", db, "ask", "干部", "--json")[1])
    second = Answer.model_validate_json(_run(capsys, "--db", db, "ask", "干部", "--offset", "3", "--json")[1])
    assert first.more and second.offset == 3
    assert {c.item_id for c in first.citations}.isdisjoint(c.item_id for c in second.citations)


@pytest.mark.parametrize("args", [["--within", "99999999"], ["--month", "9999-12"], ["--month", "0001-01"],
                                  ["--within", "5", "--today", "9999-12-30"]])
def test_deadlines_at_the_ends_of_the_calendar(capsys, db: str, args: list[str]):
    code, out, err = _run(capsys, "--db", db, "deadlines", *args)
    assert code == 0 and err == ""
    assert "到期" in out


def test_plans_json_lists_every_plan(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "plans", "--json")
    assert code == 0
    listed = json.loads(out)
    assert sorted(p["source"] for p in listed) == sorted(p.name for p in PLAN_FILES)


def test_remove_a_plan(capsys, db: str):
    plan = next(p for p in _parsed() if "城关镇" in p.title)
    code, out, _ = _run(capsys, "--db", db, "remove", "城关镇")
    assert code == 0
    assert out == f"已删除《{plan.title}》（{sum(i.kind == 'item' for i in plan.items)} 条）。\n"
    _, out, _ = _run(capsys, "--db", db, "plans", "--json")
    assert plan.source not in [p["source"] for p in json.loads(out)]
    # The removal is on record, as from the command line (no user, no chat).
    row = Engine.open(db).store.uploads()[-1]
    assert (row["action"], row["source"], row["user_id"], row["chat_id"]) == ("remove", plan.source, None, None)
    code, _, err = _run(capsys, "--db", db, "remove", "城关镇")
    assert code == 1 and ERROR_LINE.fullmatch(err)


@pytest.mark.parametrize("args", [["ask", "谁负责", "--plan", "不存在的计划"], ["show", "3", "--plan", "不存在的计划"],
                                  ["deadlines", "--plan", "不存在的计划"], ["remove", "不存在的计划"],
                                  ["remove", "计划"], ["show", "不是编号"], ["show", "第99条"]])
def test_unknown_plans_and_items_are_one_error_line(capsys, db: str, args: list[str]):
    code, out, err = _run(capsys, "--db", db, *args)
    assert code == 1
    assert out == ""
    assert ERROR_LINE.fullmatch(err), err


@pytest.mark.parametrize("args", [["ask", "谁负责", "--today", "2021-13-01"], ["deadlines", "--today", "昨天"],
                                  ["deadlines", "--month", "2021-6-1"], ["deadlines", "--within", "三十"],
                                  ["deadlines", "--month", "2021-06", "--within", "3"], ["frobnicate"]])
def test_bad_arguments_are_argparse_errors(capsys, db: str, args: list[str]):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--db", db, *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: planbot") and "Traceback" not in err
    if "--today" in args:
        assert "日期应写成 YYYY-MM-DD" in err


# -- limits (README "Limits") -----------------------------------------------------------------

def test_a_plan_file_over_the_cli_limit_is_skipped_unread(capsys, tmp_path: Path, db: str):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(CLI_MAX_FILE_BYTES + 1)  # sparse: the size is all that is looked at
    code, out, _ = _run(capsys, "--db", db, "index", str(big))
    assert f"  跳过 {big}：文件太大" in out
    limit_mb = CLI_MAX_FILE_BYTES // 1024 // 1024
    assert f"上限 {limit_mb} MB" in out


def test_a_plan_file_at_the_cli_limit_is_read(capsys, tmp_path: Path, db: str):
    text = (PLAN_FILES[0].read_text("utf-8") + "\n").encode("utf-8")
    path = tmp_path / "limit.txt"
    path.write_bytes(text + b" " * (CLI_MAX_FILE_BYTES - len(text)))
    assert path.stat().st_size == CLI_MAX_FILE_BYTES
    code, out, _ = _run(capsys, "--db", db, "index", str(path))
    # Read and stored: the sample of this title is in `db` already, so this is its new version.
    assert code == 0 and "更新 1" in out, out


def test_an_upload_over_the_upload_limit_is_refused(engine: Engine):
    data = PLAN_FILES[0].read_bytes()
    engine.parse_upload("ok.txt", data + b" " * (MAX_FILE_BYTES - len(data)))
    with pytest.raises(PlanFileError, match="文件太大"):
        engine.parse_upload("big.txt", data + b" " * (MAX_FILE_BYTES - len(data) + 1))
    assert MAX_FILE_BYTES < CLI_MAX_FILE_BYTES


def test_items_per_plan_are_capped_at_max_items():
    """MAX_ITEMS counts every stored row (sections too): 20 sections of 999 items is the
    most a plan may hold; one more item and the file is refused as not being a plan."""
    import cn2an

    sections = MAX_ITEMS // 1000
    lines = ["大计划"]
    for s in range(1, sections + 1):
        lines.append(f"{cn2an.an2cn(s)}、第{s}部分")
        lines += [f"{n}. 第{n}项任务。" for n in range(1, 1000)]
    assert len(parse_plan("\n".join(lines), "max.txt").items) == MAX_ITEMS
    with pytest.raises(PlanFileError, match=f"条目过多.*上限 {MAX_ITEMS}"):
        parse_plan("\n".join(lines + [f"{cn2an.an2cn(sections + 1)}、多出的一项。"]), "max.txt")


def test_results_per_answer_and_question_length(capsys, tmp_path: Path, db: str):
    many = tmp_path / "many.txt"
    many.write_text("\n".join(["清单"] + [f"{n}. 推进示范创建第{n}批。" for n in range(1, 3 * MAX_TOP)]),
                    encoding="utf-8")
    _run(capsys, "--db", db, "index", str(many))
    code, out, _ = _run(capsys, "--db", db, "ask", "示范创建", "--top", "1000", "--json")
    answer = Answer.model_validate_json(out)
    assert code == 0 and len(answer.citations) == MAX_TOP and answer.more
    long_question = "干部培训谁负责" + "。" * (2 * MAX_QUESTION)
    _, out, _ = _run(capsys, "--db", db, "ask", long_question, "--json")
    assert Answer.model_validate_json(out).question == long_question[:MAX_QUESTION]


# -- a real process ---------------------------------------------------------------------------

def _planbot(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def test_a_real_process_indexes_and_answers_from_stdin(tmp_path: Path):
    db = str(tmp_path / "planbot.db")
    index = _planbot("--db", db, "index", str(PLAN_TEXTS))
    assert index.returncode == 0 and index.stderr == ""
    assert index.stdout.splitlines()[1] == f"本次新增 {len(PLAN_FILES)}，更新 0，未变 0，跳过 0。"
    asked = _planbot("--db", db, "ask", "-", "--json", stdin="干部培训谁负责\n\n😀\n第3条\n")
    assert asked.returncode == 0 and asked.stderr == ""
    answers = [Answer.model_validate_json(line) for line in asked.stdout.splitlines()]
    assert [a.question for a in answers] == ["干部培训谁负责", "", "😀", "第3条"]


def test_a_real_process_reports_errors_in_one_line(db: str):
    result = _planbot("--db", db, "show", "3", "--plan", "不存在的计划")
    assert result.returncode == 1 and result.stdout == ""
    assert ERROR_LINE.fullmatch(result.stderr), result.stderr


def test_negative_within_is_refused_by_the_parser(capsys):
    from planbot.bot.cli import main

    with pytest.raises(SystemExit):
        main(["deadlines", "--within", "-5"])
    assert "天数" in capsys.readouterr().err


def test_overlong_question_gets_a_notice(tmp_path, capsys):
    from planbot.bot.cli import main
    from planbot.index.limits import MAX_QUESTION

    assert main(["--db", str(tmp_path / "x.db"), "ask", "干部培训" * MAX_QUESTION]) == 0
    assert f"超过 {MAX_QUESTION} 字" in capsys.readouterr().err


def test_a_one_shot_question_loads_no_ingest_telegram_or_settings_code(db: str):
    """`planbot ask` on an indexed database: what it imports is what it needs (the README's
    one-shot time depends on it): no sqlite-utils (reading is plain sqlite3), no numpy.ma, no
    reader of an old format (olefile); and it starts no BLAS threads."""
    code = ("import os, sys; from planbot.bot import cli; numpy_early = 'numpy' in sys.modules; "
            f"cli.main(['--db', {db!r}, 'ask', '干部培训谁负责']); "
            "bad = sorted(m for m in sys.modules if m.startswith(('planbot.index.ingest.pipeline', "
            "'planbot.index.ingest.prepare', 'planbot.index.ingest.owners', 'planbot.index.ingest.parse', "
            "'telegram', 'pydantic_settings', 'scipy', 'sqlite_utils', 'click', 'pluggy', 'numpy.ma.core', 'difflib', "
            "'olefile', 'planbot.index.ingest.formats.doc', 'planbot.index.ingest.formats.rtf', "
            "'planbot.index.ingest.formats.odt'))); "
            "threads = len(os.listdir('/proc/self/task')) if os.path.isdir('/proc/self/task') else 1; "
            "print('LOADED', bad, numpy_early, threads)")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    # numpy is imported after the CLI asked OpenBLAS for one thread (its per-core threads cost
    # a one-shot ~70 ms and compute nothing PlanBot uses), so the main thread runs alone
    assert out.strip().splitlines()[-1] == "LOADED [] False 1"



def test_an_item_asked_by_its_chinese_numeral_loads_no_cn2an(db: str):
    """第三条 is read from the table of written numerals (index/cn.py): importing cn2an cost a
    one-shot question 0.2-0.25 s."""
    code = ("import sys; from planbot.bot import cli; "
            f"cli.main(['--db', {db!r}, 'ask', '第三条说的什么']); print('CN2AN', 'cn2an' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "[1]" in out  # an item was cited, not an error
    assert out.strip().splitlines()[-1] == "CN2AN False"


def test_a_one_shot_question_reads_its_database_from_dotenv_without_pydantic_settings(db: str, tmp_path: Path):
    """Without --db the database is the settings' (here PLANBOT_DB in .env, read as the bot
    reads it: tests/bot/test_settings.py), read without importing pydantic-settings."""
    (tmp_path / ".env").write_text(f"PLANBOT_DB={db}\n", encoding="utf-8")
    code = ("import sys; from planbot.bot import cli; code = cli.main(['ask', '干部培训谁负责', '--json']); "
            "print('LOADED', code, 'pydantic_settings' in sys.modules, 'asyncio' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k not in ("PLANBOT_DB", "planbot_db")}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    answer, loaded = result.stdout.strip().splitlines()
    assert result.stderr == "" and Answer.model_validate_json(answer).found  # the plans there: no first use
    assert loaded == "LOADED 0 False False"


def test_planbot_loads_with_the_collector_paused_and_commands_run_with_it(capsys, db: str, monkeypatch):
    """The collector is off while the engine opens (imports, the index: see cli._collector_paused)
    and on again for the command's own work, also when opening fails."""
    import gc

    paused, opened = [], Engine.open
    monkeypatch.setattr(Engine, "open", lambda path: (paused.append(not gc.isenabled()), opened(path))[1])
    assert _run(capsys, "--db", db, "ask", "干部培训谁负责")[0] == 0
    assert paused == [True] and gc.isenabled()
    assert _run(capsys, "--db", str(Path(db).parent / "typo" / "x.db"), "plans")[0] == 1
    assert gc.isenabled()


def test_a_one_shot_question_skips_pydantic_plugins_but_the_bot_keeps_them(db: str, monkeypatch):
    """The entry-point scan for pydantic plugins is not run for a CLI command (cli._no_pydantic_plugins);
    `serve` leaves the switch alone."""
    code = (f"import sys; from planbot.bot import cli; cli.main(['--db', {db!r}, 'ask', '干部培训谁负责']); "
            "from pydantic.plugin import _loader; print('SCANNED', _loader._plugins is not None)")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip().splitlines()[-1] == "SCANNED False"
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    monkeypatch.setattr("planbot.bot.serve.serve", lambda settings: 0)
    assert cli.main(["--db", db, "serve"]) == 0 and "PYDANTIC_DISABLE_PLUGINS" not in os.environ
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    cli._no_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""  # the user's choice: plugins on


def test_the_cli_asks_for_one_blas_thread_unless_the_user_chose(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    cli._one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    cli._one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"



class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stderr", [_Terminal, io.StringIO], ids=["terminal", "piped"])
def test_index_progress_bar_leaves_the_workers_free_to_fork(monkeypatch, stderr):
    """The bar `index` shows (on a terminal) or hides (piped) starts no thread: with one
    running, pool._fork_is_safe is false and the index workers are spawned, each importing
    everything again, instead of forked."""
    import threading

    from tqdm._monitor import TMonitor

    monkeypatch.setattr(sys, "stderr", stderr())
    bar = cli._progress([f"{n}.txt" for n in range(12)])
    assert bool(bar.disable) is (stderr is io.StringIO)  # drawn on a terminal only
    for _ in bar:
        assert not any(isinstance(t, TMonitor) for t in threading.enumerate())
    bar.close()


def test_ask_answers_two_tasks_asked_together_as_the_engine_does(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "ask", "高标准农田和农村公路分别哪个局牵头")
    assert code == 0
    assert "问到2项" in out and "县农业农村局" in out and "县交通运输局" in out
    assert out.index("高标准农田") < out.index("农村公路")


def test_ask_lists_two_units_tasks_asked_together_as_the_engine_does(capsys, db: str):
    code, out, _ = _run(capsys, "--db", db, "ask", "组织办和宣传办分别负责哪些任务")
    assert code == 0
    assert out.startswith("问到2个单位") and out.index("组织办：责任 7 项") < out.index("宣传办：责任 2 项")
