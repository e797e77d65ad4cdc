"""Colloquial words people type → the words plans use.

Plans say 薪酬待遇, people ask about 工资; plans say 增长, people type 涨. Each entry adds
the plan's words to a question's search terms (never the other way round), and a
question term counts as covered when it or one of its plan words is found.
Kept small and general: words of the genre, not of one plan.
"""

SYNONYMS: dict[str, tuple[str, ...]] = {
    "工资": ("薪酬", "待遇", "报酬"),
    "薪水": ("薪酬", "待遇"),
    "涨": ("增长", "提高"),
    "涨不涨": ("增长", "提高"),
    "加薪": ("薪酬", "增长"),
    "培训": ("培训", "轮训", "调学"),
    "学习": ("学习", "培训"),
    "厕所": ("卫生厕所", "改厕"),
    "改厕": ("厕所", "改造"),
    "开": ("召开", "举办"),
    "路": ("公路", "道路"),
    "修路": ("公路", "新改建"),
    "自来水": ("饮水", "自来水"),
    "喝水": ("饮水",),
    "垃圾": ("垃圾", "生活垃圾"),
    "扶贫": ("帮扶", "脱贫"),
    "返贫": ("返贫", "防止返贫"),
    "贫困户": ("脱贫不稳定户", "边缘易致贫户"),
    "老干部": ("离退休干部", "老干部"),
    "退休": ("离退休",),
    "入党": ("发展党员", "党员发展"),
    "人才": ("人才", "招才引智"),
    "招人": ("招才引智", "引进"),
    "引进人才": ("人才引进", "引才"),
    "博士": ("博士", "博士生"),
    "农田": ("高标准农田", "农田"),
    "种地": ("粮食生产", "农田"),
    "旅游": ("旅游", "乡村旅游"),
    "网店": ("电子商务", "电商"),
    "网购": ("电子商务", "电商"),
    "电商": ("电子商务", "电商"),
    "彩礼": ("高价彩礼",),
    "腐败": ("腐败", "蝇贪"),
    "贪污": ("蝇贪", "腐败"),
    "舆情": ("舆情", "网络舆情"),
    "网上": ("网络",),
    "开会": ("会议", "推进会"),
    "考核": ("考核", "述职评议"),
    "监督": ("监督", "管理监督"),
    "党课": ("三会一课",),
    "组织生活": ("组织生活会", "三会一课"),
    "党日": ("主题党日",),
    "村干部": ("村干部", "村（社区）干部"),
    "搬迁": ("易地扶贫搬迁", "搬迁"),
    "党校": ("党校", "党校分校"),
}


def expand(tokens: list[str]) -> list[list[str]]:
    """Each question token with its plan words: [[工资, 薪酬, 待遇, 报酬], [社区], …]."""
    groups = []
    for token in tokens:
        extra = [w for w in SYNONYMS.get(token, ()) if w != token]
        groups.append([token, *extra])
    return groups
