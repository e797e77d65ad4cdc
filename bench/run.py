"""The benchmark: one command, one Markdown table.

    .venv/bin/python -m bench.run                      # 1k, 10k and 100k items
    .venv/bin/python -m bench.run --sizes 1000,10000   # a quicker run

For each size it generates the plans (bench/generate.py, into bench/data/), then runs each
measurement in a fresh process so that one does not warm or bloat the next:

* build — `Engine.index_paths` on the folder into a new database: seconds, items per second
  (both cores: index/ingest/pool.py), and the database's size on disk;
* serve — start-up to the first answer (from launching `python` to `ask` returning: imports,
  opening the database, loading the index, loading jieba), then every question of the set,
  timed around `engine.ask` (tokenizing, ranking, composing the Answer); peak memory is that
  process's ru_maxrss;
* rank — in the same process, the ranking layer alone: `BM25.top(terms, 10)` over every item
  (what `ask` uses) and `top_k(BM25.scores(terms), 10)`, with the terms `ask` searches for;
* reference — a fresh process that builds rank-bm25's `BM25Plus` (the variant the engine
  uses, VARIANT in index/search/corpus.py) from the very tokens the database stores and times its
  `get_scores` full scan for the same terms; its top 10 must be the engine's. Ties: both
  sides order by score, then by item order; rank-bm25 adds the terms in another order, so
  two items may differ in the last bit on one side and tie on the other — such a list
  counts as "same up to ties" when its scores equal the reference's best ten to 1e-9;
* add — a fresh process adds one more plan (`Engine.add_plan`), then another: the first
  includes making the indexing tokenizer with every stored plan's words (once per process: a
  serving bot pays it at its first upload), the second is what each later upload costs. Neither
  reloads the in-memory index: the plan is appended to it.

Questions (≥ 200, seeded) are built from the generated plans' own words: who / when / search
(some scoped to one plan), item look-ups (第3条, 二.3), section listings and deadline
questions. Results go to bench/out/ (results.json, results.md); the table is printed last.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
DATA = HERE / "data"
TODAY = "2021-06-15"
REFERENCE_BUDGET_S = 180.0  # per size; past it the reference scan runs on a sample
ONE_SHOT_QUESTION = "谁负责干部培训？"


# -- the parent ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="PlanBot benchmark")
    p.add_argument("--sizes", default="1000,10000,100000", help="items, comma-separated")
    p.add_argument("--questions", type=int, default=240)
    p.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    p.add_argument("--reference-budget", type=float, default=REFERENCE_BUDGET_S,
                   help="seconds the rank-bm25 full scan may take per size before it is sampled")
    p.add_argument("--role", help=argparse.SUPPRESS)
    p.add_argument("--args", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.role:
        return ROLES[args.role](json.loads(args.args))

    OUT.mkdir(exist_ok=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.append(bench_size(size, args))
        _write(results)
    one_shot = bench_one_shot()
    _write(results, one_shot)
    print()
    print(table(results, one_shot))
    return 0


def bench_size(size: int, args: argparse.Namespace) -> dict:
    from bench.generate import write_plans

    folder = DATA / str(size)
    write_plans(size, folder)
    work = OUT / str(size)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "planbot.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"== {size} items: building …", flush=True)
    build = _role("build", {"db": str(db), "folder": str(folder)})
    build["db_mb"] = _db_mb(db)
    questions = make_questions(db, args.questions)
    (work / "questions.json").write_text(json.dumps(questions, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"   built in {build['seconds']:.1f} s; serving {len(questions)} questions × {args.rounds} …", flush=True)
    serve = _role("serve", {"db": str(db), "questions": questions, "rounds": args.rounds,
                            "out": str(work / "engine_top.json")}, launch_clock=True)
    print(f"   ask p50 {serve['ask_p50_ms']:.2f} ms; rank-bm25 reference …", flush=True)
    reference = _role("reference", {"db": str(db), "engine": str(work / "engine_top.json"),
                                    "budget": args.reference_budget})
    add = _role("add", {"db": str(db), "folder": str(folder)})
    return {"size": size, "build": build, "serve": serve, "reference": reference, "add": add}


def bench_one_shot(runs: int = 5) -> dict:
    """`planbot ask` as a one-shot command on the bundled plans (indexed once before)."""
    db = OUT / "one-shot" / "planbot.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "bot.cli", "--db", str(db), "ask", ONE_SHOT_QUESTION]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # first use indexes
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return {"question": ONE_SHOT_QUESTION, "runs": runs, "median_s": sorted(walls)[runs // 2],
            "min_s": min(walls)}


def _role(role: str, payload: dict, launch_clock: bool = False) -> dict:
    if launch_clock:
        payload = {**payload, "launched": time.time()}
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--role", role, "--args", json.dumps(payload)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"bench role {role} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _db_mb(db: Path) -> float:
    return sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()) / 2**20


def _write(results: list[dict], one_shot: dict | None = None) -> None:
    (OUT / "results.json").write_text(json.dumps({"results": results, "one_shot": one_shot}, indent=1),
                                      encoding="utf-8")
    (OUT / "results.md").write_text(table(results, one_shot) + "\n", encoding="utf-8")


def table(results: list[dict], one_shot: dict | None) -> str:
    head = ("| items | plans | build | items/s | build peak RSS (parent / worker) | DB | peak RSS serving "
            "| cold start → 1st answer | ask p50 / p99 / mean | rank p50 / p99 | full scan p50 | speed-up vs full scan (ask / rank) "
            "| same top 10 | add 1 plan (first / next) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        b, s, ref, add = r["build"], r["serve"], r["reference"], r["add"]
        same = f"{ref['same']}/{ref['checked']}"
        if ref["same_up_to_ties"]:
            same += f" (+{ref['same_up_to_ties']} up to ties)"
        if ref["checked"] < ref["available"]:
            same += f" of {ref['available']} (sampled)"
        lines.append(
            f"| {b['items']:,} | {b['plans']:,} | {b['seconds']:.1f} s | {b['items'] / b['seconds']:,.0f} "
            f"| {b.get('peak_rss_mb', 0):.0f} / {b.get('worker_peak_rss_mb', 0):.0f} MB "
            f"| {b['db_mb']:.0f} MB | {s['peak_rss_mb']:.0f} MB | {s['cold_start_s']:.2f} s "
            f"| {s['ask_p50_ms']:.2f} / {s['ask_p99_ms']:.2f} / {s.get('ask_mean_ms', float('nan')):.2f} ms | {s['rank_p50_ms']:.2f} / {s['rank_p99_ms']:.2f} ms "
            f"| {ref['p50_ms']:.1f} ms | {ref['p50_ms'] / s['ask_search_p50_ms']:,.0f}× / "
            f"{ref['p50_ms'] / s['rank_p50_ms']:,.0f}× | {same} | {add['seconds']:.2f} / {add.get('next_seconds', float('nan')):.2f} s |")
    notes = [
        "",
        "ask: `Engine.ask` end to end over all questions (who/when/search/lookup/section/deadlines);"
        " rank: `BM25.top(terms, 10)` over every item; full scan: rank-bm25 `BM25Plus.get_scores`"
        " on the same tokens; speed-up compares medians of the who/when/search questions.",
    ]
    if results and all(r["serve"]["top_equals_sorted_scores"] for r in results):
        notes.append("`BM25.top` returned exactly `top_k(BM25.scores(terms), 10)` for every question at every size.")
    if one_shot:
        notes.append(f"`planbot ask \"{one_shot['question']}\"` one-shot on the bundled plans: "
                     f"{one_shot['median_s']:.2f} s wall (median of {one_shot['runs']}).")
    notes.append(f"Load average at the end: {os.getloadavg()[0]:.2f} (1 min).")
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    notes.append(f"Machine: {machine}. Command: `.venv/bin/python -m bench.run`.")
    return "\n".join(lines + notes)


# -- questions ----------------------------------------------------------------------------------

def make_questions(db: Path, n: int) -> list[dict]:
    """A seeded mix of question kinds over the words of the plans in `db`."""
    import random
    import sqlite3

    from bench.generate import CN_NUMS, vocabulary
    from planbot.index.search.synonyms import SYNONYMS
    from planbot.index.search.tokenize import Tokenizer

    rng = random.Random(7)
    tokenizer = Tokenizer()
    conn = sqlite3.connect(db)
    sources = [s for (s,) in conn.execute("select source from plans order by id")]
    conn.close()
    topics = []
    for sentence in vocabulary().sentences:
        words = [w for w in tokenizer(sentence.replace("{year}", "")) if len(w) >= 2 and not w.isdigit()]
        for i in range(0, max(len(words) - 1, 0), 3):
            topics.append("".join(words[i:i + rng.choice((1, 2, 2, 3))]))
    topics = sorted(set(t for t in topics if 2 <= len(t) <= 12))
    colloquial = sorted(SYNONYMS)

    def topic() -> str:
        t = rng.choice(topics)
        return t if rng.random() > 0.15 else rng.choice(colloquial) + rng.choice(topics)

    forms = {
        "who": ["{t}谁负责？", "{t}哪个部门牵头", "{t}归谁管", "谁来抓{t}"],
        "when": ["{t}什么时候完成？", "{t}的完成时限", "{t}截止到什么时候"],
        "search": ["{t}", "关于{t}的要求", "{t}怎么做"],
    }
    mix = ["who"] * 25 + ["when"] * 20 + ["search"] * 30 + ["lookup"] * 12 + ["section"] * 7 + ["due"] * 6
    out = []
    for i in range(n):
        kind = mix[i % len(mix)]
        plan = None
        if kind in forms:
            text = rng.choice(forms[kind]).format(t=topic())
            if rng.random() < 0.1:
                plan = rng.choice(sources)
        elif kind == "lookup":
            number = rng.randint(1, 50)
            text = rng.choice([f"第{number}条", f"{CN_NUMS[rng.randint(0, 3)]}.{rng.randint(1, 8)}",
                               f"第{number}项说的什么"])
            plan = rng.choice(sources) if rng.random() < 0.5 else None
        elif kind == "section":
            text = f"{rng.choice(topics)}方面有哪些工作"
        else:
            text = rng.choice(["这个月有哪些任务到期", "下个月要完成哪些任务", "本季度到期的任务有哪些",
                               "年底前要完成哪些任务"])
        out.append({"kind": kind, "text": text, "plan": plan})
    return out


# -- the measuring processes -------------------------------------------------------------------

def role_build(a: dict) -> int:
    from planbot.index.engine import Engine

    import resource

    start = time.perf_counter()
    engine = Engine.open(a["db"])
    report = engine.index_paths([a["folder"]])
    seconds = time.perf_counter() - start
    engine.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker
    _emit({"seconds": seconds, "items": report.items, "plans": report.plans,
           "rows": report.items, "skipped": len(report.skipped),
           "peak_rss_mb": peak, "worker_peak_rss_mb": worker_peak})
    return 0


def role_serve(a: dict) -> int:
    import datetime as dt
    import resource

    from planbot.index.engine import Engine

    today = dt.date.fromisoformat(TODAY)
    questions = a["questions"]
    opened = time.perf_counter()
    engine = Engine.open(a["db"])
    first = questions[0]
    engine.ask(first["text"], plan=first["plan"], today=today)
    cold = time.time() - a["launched"]
    cold_inside = time.perf_counter() - opened

    timings: dict[str, list[float]] = {}
    for _ in range(a["rounds"]):
        for q in questions:
            start = time.perf_counter()
            engine.ask(q["text"], plan=q["plan"], today=today)
            timings.setdefault(q["kind"], []).append(time.perf_counter() - start)
    every = [t for ts in timings.values() for t in ts]
    searches = [t for k in ("who", "when", "search") for t in timings.get(k, [])]

    # The ranking layer alone, with the terms `ask` searches for (unscoped questions).
    from planbot.index.answer.intent import classify
    from planbot.index.search import bm25 as rank
    from planbot.index.search.synonyms import expand

    bm25 = engine._corpus.bm25
    ranked, top_times, full_times = [], [], []
    for q in questions:
        if q["kind"] not in ("who", "when", "search"):
            continue
        query = classify(q["text"], today)
        terms = [t for g in expand(engine.tokenizer(query.topic)) for t in g]
        if not terms:
            continue
        start = time.perf_counter()
        docs, scores = bm25.top(terms, 10)
        top_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        full = rank.top_k(bm25.scores(terms), 10)
        full_times.append(time.perf_counter() - start)
        ranked.append({"text": q["text"], "terms": terms, "top": [int(d) for d in docs],
                       "scores": [float(s) for s in scores], "agrees_with_full": [int(d) for d in full] == list(docs)})
    Path(a["out"]).write_text(json.dumps({"n_docs": bm25.n_docs, "ranked": ranked}, ensure_ascii=False),
                              encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _emit({
        "cold_start_s": cold, "cold_start_inside_s": cold_inside, "peak_rss_mb": peak,
        "asked": len(every), "ask_p50_ms": _pct(every, 50), "ask_p99_ms": _pct(every, 99),
        "ask_search_p50_ms": _pct(searches, 50),
        "by_kind_p50_ms": {k: _pct(v, 50) for k, v in timings.items()},
        "by_kind_p99_ms": {k: _pct(v, 99) for k, v in timings.items()},
        "ask_mean_ms": sum(every) / len(every) * 1000,
        "rank_p50_ms": _pct(top_times, 50), "rank_p99_ms": _pct(top_times, 99),
        "scores_top_k_p50_ms": _pct(full_times, 50),
        "top_equals_sorted_scores": all(r["agrees_with_full"] for r in ranked),
    })
    engine.close()
    return 0


def role_reference(a: dict) -> int:
    import numpy as np
    import rank_bm25

    from planbot.index.search.corpus import VARIANT
    from planbot.index.store import Store

    assert VARIANT == "plus", "the reference below is rank-bm25's BM25Plus"
    engine_side = json.loads(Path(a["engine"]).read_text(encoding="utf-8"))
    store = Store(a["db"])
    terms = dict((i, t) for i, t in store.term_list())
    docs: list[list[str]] = []
    for _plan_id, _ids, arrays in store.plan_blobs():
        start, words = 0, arrays.words
        for n in words.n_terms:
            ids, counts = words.term_ids[start:start + n], words.counts[start:start + n]
            docs.append([terms[int(i)] for i, c in zip(ids, counts) for _ in range(int(c))])
            start += n
    store.close()
    assert len(docs) == engine_side["n_docs"]
    built = time.perf_counter()
    reference = rank_bm25.BM25Plus(docs)
    build_s = time.perf_counter() - built
    del docs

    ranked = engine_side["ranked"]
    times: list[float] = []
    same = ties = 0
    checked = 0
    for r in ranked:
        if times and sum(times) / len(times) * (checked + 1) > a["budget"] and checked >= 20:
            break
        start = time.perf_counter()
        scores = reference.get_scores(r["terms"])
        times.append(time.perf_counter() - start)
        checked += 1
        best = np.lexsort((np.arange(len(scores)), -scores))[:10]  # by score, then item order
        if [int(i) for i in best] == r["top"]:
            same += 1
        elif np.allclose(np.asarray(r["scores"]), scores[best], rtol=0, atol=1e-9) and \
                np.allclose(scores[r["top"]], scores[best], rtol=0, atol=1e-9):
            ties += 1
    _emit({"build_s": build_s, "available": len(ranked), "checked": checked, "same": same,
           "same_up_to_ties": ties, "p50_ms": _pct(times, 50), "p99_ms": _pct(times, 99)})
    return 0


def role_add(a: dict) -> int:
    from bench.generate import ITEMS_PER_PLAN, plan_text
    from planbot.index.engine import Engine

    n_plans = len(list(Path(a["folder"]).glob("*.txt")))
    engine = Engine.open(a["db"])
    seconds = []
    for k in range(2):  # the next plans of the series: not indexed yet
        name, text = plan_text(n_plans + k)
        plan = engine.parse_upload(name, text.encode("utf-8"))
        start = time.perf_counter()
        engine.add_plan(plan)
        seconds.append(time.perf_counter() - start)
    for k in range(2):
        engine.remove_plan(plan_text(n_plans + k)[0])
    engine.close()
    _emit({"seconds": seconds[0], "next_seconds": seconds[1], "items": ITEMS_PER_PLAN})
    return 0


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


def _emit(result: dict) -> None:
    print(json.dumps(result))


ROLES = {"build": role_build, "serve": role_serve, "reference": role_reference, "add": role_add}

if __name__ == "__main__":
    sys.exit(main())
