"""Whether two databases hold the same plans, byte for byte: every table, every row, every
blob, but for the moments things were written. A check that a change to the write path
writes what the code before it wrote:

    python -m tests.index.same_tables OLD.db NEW.db
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

TIMES = {"indexed_at", "saved_at", "uploaded_at"}  # when, not what: differ from run to run


def dump(path: str | Path) -> dict[str, list[tuple]]:
    """Every table's rows in rowid order, the time columns blanked."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        out = {}
        for table in tables:
            cursor = conn.execute(f"select * from [{table}] order by rowid")
            names = [d[0] for d in cursor.description]
            out[table] = [tuple(None if n in TIMES else v for n, v in zip(names, row)) for row in cursor]
        return out
    finally:
        conn.close()


def differences(a: str | Path, b: str | Path) -> list[str]:
    """What differs between the two databases (empty: the same)."""
    one, two = dump(a), dump(b)
    found = [f"table {t} only in one" for t in sorted(set(one) ^ set(two))]
    for table in sorted(set(one) & set(two)):
        if one[table] != two[table]:
            first = next((i for i, (x, y) in enumerate(zip(one[table], two[table])) if x != y),
                         min(len(one[table]), len(two[table])))
            found.append(f"table {table}: {len(one[table])} vs {len(two[table])} rows, first difference at row {first}")
    return found


if __name__ == "__main__":
    diffs = differences(sys.argv[1], sys.argv[2])
    print("\n".join(diffs) if diffs else f"same: {sum(len(r) for r in dump(sys.argv[1]).values())} rows")
    sys.exit(1 if diffs else 0)
