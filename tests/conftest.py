"""Fixtures shared by the whole suite: the sample plans, an engine over them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN_TEXTS = ROOT / "plan_texts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def dictionary_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the tokenizer's split dictionary, shared by the engines the tests open."""
    return tmp_path_factory.mktemp("dictionary")


@pytest.fixture(autouse=True)
def _engines_share_the_dictionary_cache(monkeypatch: pytest.MonkeyPatch, dictionary_cache: Path) -> None:
    """Every engine a test opens keeps jieba's split dictionary in one folder for the session.
    Left beside each test's own database, every engine that answers a question would load the
    whole dictionary (~1 s) to write it again. Where it lives changes no token
    (tests/index/search/test_tokenize.py covers writing, reading and a damaged one)."""
    from planbot.index.engine import Engine

    open_engine = Engine.open.__func__

    def open_sharing(cls, db_path, cache_dir=None):
        return open_engine(cls, db_path, cache_dir if cache_dir is not None else dictionary_cache)

    monkeypatch.setattr(Engine, "open", classmethod(open_sharing))


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
