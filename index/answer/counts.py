"""What a plan's text states a number of: 3000户, 95%, 两个市场, 0.01毫米, 每年至少1个月.

One rule for two uses: a question asking how many prefers an item that states a count
(found.py), and its answer quotes the sentence that states it, or says the item states none
(cite.count_sentence, phrasing.count_text). A year or a date (2021年11月30日) is no count.
"""

from __future__ import annotations

from ..lazy_re import lazy

_MEASURES = (r"个|项|家|名|人|亩|次|户|处|条|所|期|批|场|座|元|公里|毫米|厘米|米|吨|公斤|千克|%|％|倍|成|件|类|套|支|本|篇"
             r"|课时|学时|小时|字|万|亿")
# Years too, as a span (5年一周期, 两年之内), not a year's name (2021年, 21年底前).
COUNT = lazy(rf"[0-9０-９]+(?:\.[0-9]+)?\s*(?:[万亿千百]\s*)?(?:{_MEASURES})|(?<![0-9])[0-9]{{1,2}}年(?![底前初末中度])"
             r"|[两三四五六七八九十百千万亿]+(?:个|项|家|名|人|亩|次|户|处|条|所|期|批|场|座|倍|成|件|类|套|级|年|天|周)")


def states_count(text: str) -> bool:
    return bool(COUNT.search(text))
