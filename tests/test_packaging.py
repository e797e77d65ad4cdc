"""The wheel holds every package folder of the source tree, under PlanBot's own import name."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_installed_under_planbot():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {f"planbot.{top}" + "".join(f".{p}" for p in path.parent.relative_to(ROOT / top).parts)
               for top in ("index", "bot", "plan_texts") for path in (ROOT / top).rglob("__init__.py")}
    assert set(config["packages"]) == folders
    assert config["package-dir"] == {"planbot.index": "index", "planbot.bot": "bot",
                                     "planbot.plan_texts": "plan_texts"}


def test_the_library_is_importable_only_under_planbot():
    import planbot.index.engine

    assert Path(planbot.index.engine.__file__).resolve() == ROOT / "index" / "engine.py"
