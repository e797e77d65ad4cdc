"""A parsed plan made ready to store (index/ingest/prepare.py): the item rows' JSON columns are
each model list as json.dumps writes it, whatever the rows share."""

from __future__ import annotations

import json

from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.prepare import item_rows

PLAN = """2021年工作要点
一、党建
1．新建党群服务中心2个。（牵头单位：街道党建办；完成时限：2021年6月底前）
2．开展党员培训。
二、民生
1．新增便民网点20个，年底前完成。
牵头单位：街道经济发展办
责任单位：各社区
2．为老人免费体检。
三、保障
加强组织领导。（街道财政所负责）
"""


def _dumps(models) -> str:
    return json.dumps([m.model_dump(mode="json") for m in models], ensure_ascii=False)


def test_item_rows_hold_each_items_lists_as_json():
    plan = parse_plan(PLAN, "x.txt")
    rows = item_rows(plan)
    assert len(rows) == len(plan.items) >= 7
    assert len({row[4] for row in rows}) >= 3  # items under 一, under 二 and none: headings told apart
    for item, row in zip(plan.items, rows):
        assert row == (item.position, item.kind, item.label, item.key, _dumps(item.ancestors), item.title,
                       item.text, _dumps(item.owners), _dumps(item.deadlines))
    assert any(row[7] != "[]" for row in rows) and any(row[8] != "[]" for row in rows)
