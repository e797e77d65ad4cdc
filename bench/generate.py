"""Deterministic plan files for the benchmark: the sample plans' clauses, recombined.

    .venv/bin/python -m bench.generate --items 100000 --out bench/data/100000
    .venv/bin/python -m bench.generate --items 20000 --common   # the common-terms corpus

The material is harvested from bench/seed/ (copies of plan_texts/ and of seven published
State Council plans) with the real parser: the sentences of every item, the section
titles, the owner units and the deadline phrases. Plan number i is drawn from its own
`random.Random(SEED + i)`, so plan 17 is the same file in every size and the 1k set is the
first 20 plans of the 100k set. Each plan has exactly ITEMS_PER_PLAN numbered items, laid
out in one of four styles the parser meets in real plans:

* fields — 一、/（一） headings, items 1．… numbered straight through, then field lines
  牵头单位：/责任单位：/完成时限： (like 2021年…分工方案);
* bracket — 一、 headings, items 1、… with a trailing （责任领导：…；责任部门：…；完成时间：…）;
* prose — 一、 headings, items 1. … restarting per section, deadlines only inside sentences;
* inline — 一、/（一） headings, items 1. … ending in （X牵头，Y、Z参与） / （X、Y负责）.

The common-terms corpus (`common=True`, issue 14) is the hard case for ranking: small plans of
8–20 items whose sentences come from a pool of COMMON_POOL, so that the words a question asks
about are held by a large share of all items (the benchmark reports the share) and a question's
postings touch a large part of the corpus.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEED = 20240501
ITEMS_PER_PLAN = 50
SEED_DIR = Path(__file__).resolve().parent / "seed"
STYLES = ("fields", "bracket", "prose", "inline")
CN_NUMS = "一二三四五六七八九十"
PLACES = [
    "城关镇", "东湖区", "青山县", "河西县", "南岭县", "北川镇", "西山区", "临江县", "白沙镇", "石门县",
    "长乐县", "安平县", "永和镇", "清河区", "双桥县", "新华区", "兴隆镇", "红旗县", "太平县", "高新区",
    "全县", "全市", "全区", "全镇", "开发区", "滨江区", "云台县", "平川县", "金山镇", "梅林县",
]
TOPICS = [
    "组织工作要点", "党建工作任务清单", "乡村振兴重点任务分工方案", "生态环境保护工作要点",
    "消费扶贫工作实施方案", "职业教育改革实施方案", "粮食安全工作要点", "政务公开工作要点",
    "优化营商环境工作方案", "宣传思想工作要点", "人才工作要点", "基层治理重点任务清单",
    "民生实事任务分工方案", "安全生产工作要点", "无废城市建设实施方案", "对外开放重点任务分工",
]
FIXED_TERMS = ["长期坚持", "常态化", "全年", "每季度", "每月底前", "持续推进"]
COMMON_POOL = 5  # sentences the common-terms corpus is made of: a question word reaches ~40% of items
SMALL_PLAN = (8, 20)  # items per plan in the common-terms corpus
_SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?")
_OWNER_PAREN = re.compile(r"[（(][^（）()]*(?:负责|牵头|参与|配合|指导|协助|单位|部门|领导|时间|时限)[^（）()]*[）)]")
_FIELD_LINE = re.compile(r"^(?:牵头|责任|配合|协办|完成|时间)[^：:\n]{0,6}[：:].*$", re.M)
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)")


@dataclass(frozen=True)
class Vocabulary:
    sentences: tuple[str, ...]  # item sentences, owners and field lines removed
    headings: tuple[str, ...]  # section titles
    units: tuple[str, ...]
    deadlines: tuple[str, ...]  # deadline phrases with a {year} placeholder where a year was


@lru_cache(maxsize=1)
def vocabulary(seed_dir: Path = SEED_DIR) -> Vocabulary:
    """Harvest the seed plans with the real parser (sorted, so the draws are reproducible)."""
    from planbot.index.ingest.parse import parse_plan

    sentences: set[str] = set()
    headings: set[str] = set()
    units: set[str] = set()
    deadlines: set[str] = set()
    for path in sorted(seed_dir.glob("*.txt")):
        plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
        for item in plan.items:
            if item.kind == "section" and 4 <= len(item.title) <= 20 and not item.title.endswith(("时", "后")):
                headings.add(item.title)
            if item.kind != "item":
                continue
            units.update(o.unit for o in item.owners if 2 <= len(o.unit) <= 16)
            deadlines.update(_YEAR.sub("{year}", d.phrase) for d in item.deadlines if len(d.phrase) <= 16)
            body = _FIELD_LINE.sub("", _OWNER_PAREN.sub("", item.text))
            for line in body.splitlines():
                for s in _SENTENCE.findall(line):
                    s = s.strip().rstrip("。；;！？")
                    if 8 <= len(s) <= 80 and not re.match(r"^[\d（(一二三四五六七八九十]", s):
                        sentences.add(_YEAR.sub("{year}", s))
    deadlines.update(FIXED_TERMS)
    return Vocabulary(*(tuple(sorted(x)) for x in (sentences, headings, units, deadlines)))


@lru_cache(maxsize=None)
def _drawn_title(i: int) -> str:
    rng = random.Random(SEED + i)  # the first draws of plan_text's generator
    year = rng.choice(range(2018, 2025))
    return f"{year}年{rng.choice(PLACES)}{rng.choice(TOPICS)}"


def _title(i: int) -> str:
    """Plan i's title. A title an earlier plan has already gets that plan's count after it
    (（二）, （三）…): the same title again is a new version of that plan (README, "versions"),
    and every generated plan must stay a plan of its own."""
    drawn = _drawn_title(i)
    before = sum(1 for j in range(i) if _drawn_title(j) == drawn)
    return drawn if not before else f"{drawn}（{CN_NUMS[before] if before < len(CN_NUMS) else before + 1}）"


def plan_text(i: int, vocab: Vocabulary | None = None) -> tuple[str, str]:
    """(file name, text) of plan number i."""
    vocab = vocab or vocabulary()
    rng = random.Random(SEED + i)
    year = rng.choice(range(2018, 2025))
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    style = STYLES[i % len(STYLES)]
    title = _title(i)
    lines = [title, "", _preamble(rng, vocab, year, place, topic), ""]
    n_sections = rng.randint(4, 8)
    sizes = _split(rng, ITEMS_PER_PLAN, n_sections)
    number = 0
    for s, size in enumerate(sizes):
        lines.append(f"{CN_NUMS[s]}、{rng.choice(vocab.headings)}")
        subsections = _split(rng, size, rng.randint(1, 3)) if style in ("fields", "inline") and size >= 4 else [size]
        for sub, sub_size in enumerate(subsections):
            if len(subsections) > 1:
                lines.append(f"（{CN_NUMS[sub]}）{rng.choice(vocab.headings)}")
            for _ in range(sub_size):
                number += 1
                lines.extend(_item(rng, vocab, style, number, year))
        if style == "prose":
            number = 0  # prose plans restart their numbering in every section
        lines.append("")
    return f"{i:05d}_{year}年{place}{topic}.txt", "\n".join(lines) + "\n"


def common_sentences(vocab: Vocabulary | None = None) -> tuple[str, ...]:
    """The pool of the common-terms corpus: the same draw in every size."""
    vocab = vocab or vocabulary()
    return tuple(random.Random(SEED).sample(vocab.sentences, COMMON_POOL))


def common_plan_text(i: int, vocab: Vocabulary | None = None) -> tuple[str, str]:
    """(file name, text) of small plan number i of the common-terms corpus."""
    vocab = vocab or vocabulary()
    pool = Vocabulary(common_sentences(vocab), vocab.headings, vocab.units, vocab.deadlines)
    rng = random.Random(SEED + 7_000_000 + i)
    year = rng.choice(range(2018, 2025))
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    style = STYLES[i % len(STYLES)]
    n_items = rng.randint(*SMALL_PLAN)
    title = f"{year}年{place}{topic}（第{i + 1}号）"
    lines = [title, "", _preamble(rng, pool, year, place, topic), ""]
    sizes = _split(rng, n_items, rng.randint(1, 3))
    number = 0
    for s, size in enumerate(sizes):
        lines.append(f"{CN_NUMS[s]}、{rng.choice(vocab.headings)}")
        for _ in range(size):
            number += 1
            lines.extend(_item(rng, pool, style, number, year))
        if style == "prose":
            number = 0
        lines.append("")
    return f"c{i:06d}_{year}年{place}{topic}.txt", "\n".join(lines) + "\n"


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` as `parts` positive sizes."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _preamble(rng: random.Random, vocab: Vocabulary, year: int, place: str, topic: str) -> str:
    lead = rng.choice(vocab.sentences).format(year=year)
    return f"为深入贯彻落实上级决策部署，{lead}，现将{place}{year}年{topic.removesuffix('清单')}安排如下。"


def _sentences(rng: random.Random, vocab: Vocabulary, year: int, n: int) -> list[str]:
    return [rng.choice(vocab.sentences).format(year=year) for _ in range(n)]


def _deadline(rng: random.Random, vocab: Vocabulary, year: int) -> str:
    if rng.random() < 0.5:
        month = rng.randint(1, 12)
        return rng.choice([f"{year}年{month}月底前", f"{year}年{month}月{rng.randint(1, 28)}日前",
                           f"{month}月底前", f"{year}年年底前", f"{year}年上半年"])
    return rng.choice(vocab.deadlines).format(year=year)


def _units(rng: random.Random, vocab: Vocabulary, k: int) -> list[str]:
    return rng.sample(vocab.units, k)


def _item(rng: random.Random, vocab: Vocabulary, style: str, number: int, year: int) -> list[str]:
    body = "。".join(_sentences(rng, vocab, year, rng.randint(1, 3))) + "。"
    if style == "fields":
        lines = [f"{number}．{body}"]
        lead, *resp = _units(rng, vocab, rng.randint(1, 4))
        lines.append(f"牵头单位：{lead}")
        if resp:
            lines.append(f"责任单位：{'、'.join(resp)}")
        lines.append(f"完成时限：{_deadline(rng, vocab, year)}")
        return lines
    if style == "bracket":
        fields = []
        units = _units(rng, vocab, rng.randint(1, 3))
        if rng.random() < 0.4:
            fields.append(f"责任领导：{rng.choice(['党委书记', '分管副县长', '县委副书记', '纪委书记', '组织委员'])}")
        fields.append(f"责任部门：{units[0]}")
        if len(units) > 1:
            fields.append(f"配合部门：{'、'.join(units[1:])}")
        fields.append(f"完成时间：{_deadline(rng, vocab, year)}")
        return [f"{number}、{body[:-1]}。（{'；'.join(fields)}）"]
    if style == "prose":
        if rng.random() < 0.4:
            month = rng.randint(2, 12)
            body = body[:-1] + f"，{year}年{month}月底前完成。"
        return [f"{number}.{body}"]
    units = _units(rng, vocab, rng.randint(1, 3))
    owner = (f"（{units[0]}牵头，{'、'.join(units[1:])}参与）" if len(units) > 1 and rng.random() < 0.5
             else f"（{'、'.join(units)}负责）")
    return [f"{number}. {body[:-1]}{owner}。"]


def write_plans(n_items: int, out: Path, common: bool = False) -> list[Path]:
    """Files for about n_items items (ITEMS_PER_PLAN each, or small plans of the common-terms
    corpus) in `out`; existing ones are kept."""
    out.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary()
    paths = []
    n_plans = max(1, n_items // (sum(SMALL_PLAN) // 2 if common else ITEMS_PER_PLAN))
    for i in range(n_plans):
        name, text = common_plan_text(i, vocab) if common else plan_text(i, vocab)
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--items", type=int, default=1000)
    p.add_argument("--out", type=Path, default=None, help="default bench/data/<items>[-common]")
    p.add_argument("--common", action="store_true", help="the common-terms corpus of small plans")
    args = p.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / "data" / f"{args.items}{'-common' if args.common else ''}"
    paths = write_plans(args.items, out, args.common)
    print(f"{len(paths)} plans in {out}")


if __name__ == "__main__":
    main()
