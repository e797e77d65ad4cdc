"""Fixtures shared by the whole suite: the sample plans, an engine over them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN_TEXTS = ROOT / "plan_texts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def plan_dir() -> Path:
    return PLAN_TEXTS


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, plan_dir: Path) -> Path:
    """A database with the three bundled plans, built once per test session."""
    from planbot.index.engine import Engine

    path = tmp_path_factory.mktemp("db") / "planbot.db"
    engine = Engine.open(path)
    engine.index_paths([plan_dir])
    engine.close()
    return path


@pytest.fixture(scope="session")
def engine(sample_db: Path):
    """A read-only engine over the sample plans (tests must not change it)."""
    from planbot.index.engine import Engine

    e = Engine.open(sample_db)
    yield e
    e.close()


@pytest.fixture
def fresh_engine(tmp_path: Path, sample_db: Path):
    """A private copy of the sample database, for tests that write."""
    from planbot.index.engine import Engine

    path = tmp_path / "planbot.db"
    shutil.copy(sample_db, path)
    e = Engine.open(path)
    yield e
    e.close()
