"""What kind of question is this, and what is it about?

Kinds: who (牵头/责任/配合 units), when (the time limit), lookup (第3条, 二.3), section (what a
numbered part or a 方面 lists), deadlines (what is due in a period), unit (everything one unit
is named for), search (anything else), hint (nothing to search for).

People ask from their phones: 找哪个局, 归谁管, 谁盯着, 最晚啥时候弄完, 报上去 … The phrases that
only say what kind of answer is wanted are matched here and cut from the question, so that
what is left — the topic — holds the words that say what the question is about.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import cn
from ..lazy_re import lazy
from ..models import Role
from ..periods import DUE_WORDS, SOON_DAYS, find_period, within_span
from .units import department_stem

_N = rf"(?:\d{{1,3}}|[{cn.NUMERAL}]{{1,4}})"

# "第3条" "第十二项" "3" "二.3" "二、3" "（二）3" "第二部分第3条"
_LOOKUP_FULL = lazy(rf"^\s*(?:第\s*)?({_N})\s*(?:[.．、·]|部分|大项|章|节)?\s*(?:第\s*)?({_N})?\s*(?:条|项|点|款)?\s*$")
_LOOKUP_IN = lazy(rf"第\s*({_N})\s*(条|项|点|款|个任务|项任务|个(?!星期|周|礼拜|月|季度|工作日|季|年|批|阶段))")
# A plan numbered 1 → 1.1 → 1.1.1 (预案 are): 4.2.1 is the row so labelled.
DECIMAL = lazy(r"(?<![\d.．])(\d{1,2}(?:[.．]\d{1,2}){1,3})(?![\d.．])")
_LOOKUP_DOTTED = lazy(rf"(?<![\d.])({_N})\s*[.．]\s*({_N})(?![\d.])")
# A heading pasted as the question: "四、工作进度", "（二）形成标准规范", "3. 开放融合".
_HEADING = lazy(rf"^\s*((?:[（(]\s*{_N}\s*[)）])|(?:{_N}\s*[、.．]))\s*([\u4e00-\u9fff][^。？?！!]{{1,30}}?)[。？?！!]?\s*$")
# A number asked with what it says (（三）说的什么, 二（三）讲了啥, 3.是什么): the number alone is looked up.
_ASKS_WHAT = lazy(r"(?:(?:说|讲|写|指)(?:的|了)?(?:是)?|的?内容是|是)(?:什么|啥|些什么|哪些)(?:内容|意思|事)?$"
                  r"|的?(?:内容|全文|原文|具体内容)$")
_PARENS = lazy(rf"[（(]\s*({_N})\s*[)）]")
_NESTED = lazy(rf"({_N})\s*[、.．]?\s*([（(]\s*({_N})\s*[)）])")  # 二（三）, 二、(三): part 二's item （三）
_SECTION_NUM = lazy(rf"第\s*({_N})\s*(部分|大项|方面|章|板块|大类)")
# What the plans leave unsaid: 哪些任务没有写明责任单位 / 哪几项没明确完成时限.
_UNSTATED = lazy(r"(?:哪些|哪几|什么|几项|几条|多少)[^，,。？?]{0,8}?(?:还)?(?:没有|没|未|不)(?:写明|写清楚?|明确|写|定|说明|注明)?"
                 r"(?:的)?(?:(?P<owner>责任单位|牵头单位|责任部门|牵头部门|负责单位|主体|责任人|谁负责|谁牵头)"
                 r"|(?P<time>完成时限|时限|期限|完成时间|截止时间|截止日期|时间节点|时间))")
# What is done every week / month / quarter / year (每个月要做什么, 每周有哪些固定任务): the items
# whose time limit recurs so. Frequencies as people say them → as plans write them.
_EVERY = {"每周": "每周", "每星期": "每周", "每个星期": "每周", "每礼拜": "每周", "每月": "每月", "每个月": "每月",
          "每季度": "每季度", "每个季度": "每季度", "每季": "每季度", "每半年": "每半年", "每年": "每年", "每一年": "每年"}
_RECURRING = lazy(rf"^.{{0,10}}?(?P<every>{'|'.join(sorted(_EVERY, key=len, reverse=True))})"
                  r"(?:都|固定|定期|例行|常规)?(?:要|得|需要|必须|应该)?(?:做|干|办|搞|开|有|召开|开展|报|报送)?"
                  r"(?:哪些|什么|啥|些什么|哪几项|几项|哪几个)")
# The stages of a plan (分几个阶段, 有哪些步骤): its 实施步骤 / 工作步骤 / 进度安排 section.
_STAGES = lazy(r"^(.{0,16}?)(?:的)?(?:一共|总共|共)?(?:分|分为|分成|有|包括|都有|共有)?(?:几|哪几|哪些|什么|多少)(?:个)?"
               r"(?:阶段|步骤|环节|步)")
_SECTION_TOPIC = lazy(r"(.{1,16}?)(?:方面|领域|板块)(?:的)?(?:都)?(?:有|包括)?(?:哪些|什么|啥)")

# Who: the units by role. Verbs people use for "be in charge of" and the nouns for a unit.
_AGENCY = r"(?:部门|单位|局|部委|部(?!分)|委|委员会|办|科室|科|股室|处室|处|领导|机构|机关|口子|衙门)"
_CHARGE = r"(?:负责|牵头|管|主管|分管|抓|盯|跟|办|弄|搞|做|干|落实|承担|来做|来抓|来管|来弄|来搞|来定|来建|来查|出|定|拍板|推荐|申请|审批|批|协调|统筹|指导|监管|查|参与|配合|协助)"
_WHO_PHRASES = [
    rf"(?:是|由|归|找|问|让|请)?谁(?:来|去)?(?:{_CHARGE})?(?:着|的)?",
    rf"(?:找|问|归|由|是|去)?(?:哪|什么|啥)(?:个|些|家|几个|位|几位)?{_AGENCY}(?:来|去)?(?:{_CHARGE})?(?:的)?",
    r"(?:牵头|责任|配合|协办|参与|主管|主责)(?:单位|部门)(?:是|有)?(?:谁|哪个|哪些|哪几个|什么|啥)?",
    r"归口|管不管",
]
_WHEN_PHRASES = [
    r"(?:最晚|最迟|最快|大概|大约)?(?:什么|啥|哪个)时(?:候|间)(?:前)?",
    r"(?:最晚|最迟)(?:要|得|在)?", r"何时|几时|多会儿", r"哪天|哪一天|几月|几号|几月份|哪年|哪一年",
    r"多久(?:之内|以内|内)?|多长时间(?:之内|以内|内)?|几天(?:之内|以内|内)?|几个月",
    r"截止(?:日期|时间)?|(?:完成)?(?:时限|期限)|完成时间|时间节点|时间表|时间安排|deadline|到期",
    r"(?:能|能不能|可以)(?:弄|搞|做|办|干)?完(?:成)?(?:吗|不|么)?|来得及(?:吗|不)?",  # 这个月能弄完吗: by when it is due
]
_WHO = lazy("|".join(_WHO_PHRASES))
_WHEN = lazy("|".join(_WHEN_PHRASES), re.I)
_DUE = lazy(rf"(?:要|会|将|快|就要)?(?:{DUE_WORDS})|要做|要办|要干|有哪些|哪些|任务")  # 要到期: 要 is no topic
# Tasks asked for as a list or a count that fall due, with no period named (有哪些任务到期,
# 党建工作有几项任务到期, 到期的有哪些): what falls due in the days ahead, as /deadlines alone lists them. Not
# 干部培训什么时候到期: that asks for one item's time limit.
_DUE_LIST = lazy(r"(?:哪些|哪几项|几项|几条|几件|多少项|多少条|多少件|多少个|多少)(?:任务|工作|事项|事情|事|活儿?)?(?:要|会|将|就要|已经|已)?(?:到期|截止)"
                 r"|(?:到期|截止)的(?:任务|工作|事项|事情|事|活儿?)?(?:都|一共)?(?:有|是)?(?:哪些|哪几项|几项|几条|几件|多少|啥|什么)")
# What is to be done, asked with a period and nothing else (这周有什么事, 下个月忙啥): what is due.
_BUSY = lazy(r"(?:有|要|得|该)?(?:什么|啥|哪些)(?:事|事情|事儿|活|活儿)|(?:要|得)?(?:干|做|忙|办)(?:什么|啥)|忙(?:不忙)?")
# The owners themselves (哪个单位任务最多, 谁的任务最多, 涉及哪些单位, 一共有多少个责任单位): every unit
# the plans name as an owner, by how many items each.
# The whole question, so that 环保有哪些部门参与 stays a who-question about 环保.
# A plan may be named before it (城关镇的任务谁最多): answer.ask lists that plan's owners, or asks
# who is in charge of it when no plan is so named (环保哪个部门任务最多).
# Only before who has most: 职教部际联席会议都有哪些单位 asks who sits on it.
_OWNERS = lazy(r"^(?:(?:(?P<plan>[\u4e00-\u9fff0-9“”]{2,20}?)(?:的|里|里面|中|上)?)??"
               r"(?:(?:哪个|哪些|哪家|什么|哪几个)(?:单位|部门|局|科室|领导)(?:的)?(?:任务|工作|活|事)?(?:最多|最重|最忙)"
               r"|(?:谁|谁负责)(?:的)?(?:任务|工作|活|事)最多|(?:任务|工作|活|事)(?:是)?谁(?:的)?最多)"
               r"|(?:一共|总共|共)?(?:有|涉及|都有|一共有|共有)?(?:多少|几个|哪些|哪几个)(?:个)?(?:责任|牵头|配合)?(?:单位|部门))"
               r"(?:啊|呀|呢)?[?？。!！\s]*$")
# How many (有几个城市, 建多少亩, 一年讲几次, 比例要达到多少): a search that prefers an item stating a count.
# How big (地膜多薄的不让用, 路修多长) too; not 许多高校, 很多大项目, 多重保障, nor which (哪几个地方, 那几条讲的啥).
_COUNT = lazy(r"(?<![那这哪])几(?:个|项|家|名|位|亩|次|户|处|条|所|期|批|场|座|件|类|套|万|百|千|成|级)|多少|比例|占比|百分之几|几成"
              r"|(?<![许很较诸众更最好繁])多(?:薄|厚|宽|窄|深|远|高|大|长)(?!时间)")
# How long something lasts (粮食储备够吃多久, 能维持几个月, 每年去企业实训多长时间): a duration the
# plan states, not a time limit; asked last, a question with no word of finishing asks that too.
_LASTS = lazy(r"(?:够|能|可以|可|维持|保持|持续|坚持)[\u4e00-\u9fff]{0,2}?(?:多久|多长时间|几个月|几天|几年|几周)"
              r"|^(?!.*(?:完成|完|结束|到期|截止|最晚|最迟|报|交|办结|出台|印发|启动|开始)).*?(?:多久|多长时间)[呢啊呀吧哈？?。!！\s]*$")
_EMPTY = lazy(r"^[\W_\s]*$", re.UNICODE)
# A greeting or a request for help, the whole message: the answer is how to ask.
_GREETING = lazy(r"^(?:@\S+\s*)?(?:你好|您好|大家好|在吗|在不在|哈喽|嗨|hello|hi|hey|帮助|帮帮我|help|使用说明|用法|"
                 r"怎么用|如何使用|怎么问|怎么提问|你(?:能|会)(?:做|干)?(?:什么|啥|哪些)|你是谁|功能)[\s!！?？。~～呀啊呢吗]*$",
                 re.I)

# One unit's task list: 县农业农村局负责哪些任务 / 教育局有哪些事 / 我们组织部牵头的工作.
# Offices (县委办公室, 市政府办公室), streets, townships and working groups own tasks as often as
# bureaus do; 科, 处, 组 alone are left out (本科, 学科, 小组 …): they end too many other words.
_UNIT_NAME = (r"(?P<unit>[\u4e00-\u9fff（）()、]{1,20}?(?:局|委|部|办|厅|署|院|行|会|社|中心|政府|党委|党组"
              r"|组织部|宣传部|统战部|纪委|监委|总局|总社|总公司|公司|站|所|队|团委|妇联|工会|科协|法院|检察院"
              r"|办公室|研究室|办事处|街道|乡镇|领导小组|工作专班|部门))")
_HOW_MANY = "哪些|哪几项|哪几条|哪几件|哪几个|什么|啥|几项|几条|几件|几个|多少项|多少条|多少件|多少个|多少"
_TASKS = "事情|事儿|事项|事|任务|工作|活儿|活"
_ROLE_VERBS = "负责|牵头|配合|参与|承担"
_GUIDES = "指导|落实|推进|督促"  # what a unit does that no role is named by (自然资源部指导的事)
# Asking which of a unit's tasks, after a topic (组织办负责的党员方面的有哪些, …的是哪条, …的有没有).
_WHICH_ONES = "哪些|哪几项|哪几条|哪几件|哪几个|哪条|哪项|哪件|哪个|哪一条|哪一项|哪一件|哪一个|有没有|有无|有啥|是啥"
# What a unit does, said before its tasks (财政部要干的事, 组织办牵头的): its list's verb and 的.
_AT_HAND = "(?:手上|手里|手头)?"  # 组织办手上有哪些活: the unit's own
# Said between a unit and its list's verb (组织办手上都要负责…, 组织办和宣传办分别负责…).
_BEFORE_VERB = rf"{_AT_HAND}(?:分别|各自|各)?(?:都|一共|总共|主要|重点)?(?:需要|要|得|需)?"
_DOES_OF = rf"{_AT_HAND}(?:都|主要|重点)?(?:要|得|需要)?(?:{_ROLE_VERBS}|{_GUIDES}|干|做|办|管|抓|完成)的"
# A period said beside the unit (组织部今年要干哪些事, 本月农业农村局有哪些任务到期): the unit's list,
# narrowed to what falls due in it, not every unit's deadlines.
_UNIT_WHEN = lazy(r"(?:(?:\d{4}年)?\d{1,2}月(?:份)?(?:底前|前|底)?|\d{4}年(?:底前|前|底|上半年|下半年)?|今年度|今年|本年度|本年|全年|年底前|年内|明年|上半年|下半年|这个月|本月|下个月|下月|这周|本周|"
                  r"下周|这季度|本季度|近期|最近)")
# The role a unit's list is asked for, when only one is (县农业农村局配合的有哪些): 责任 and 负责
# say nothing of a role (负责 is how people ask for all of them).
_ROLE_ASKED = {"牵头": Role.lead, "主责": Role.lead, "配合": Role.cooperating, "参与": Role.cooperating,
               "协助": Role.cooperating, "协办": Role.cooperating}
_ROLE_WORD = lazy("|".join(_ROLE_ASKED))


# A plan named at the start of a question, by the kind of document it is (城关镇清单里…, 防汛分工表最后一条):
# plan_named, for answer.ask to narrow to it; unit_asked reads the unit after it (乡村振兴方案里县财政局干啥).
_OF_PLAN = lazy(r"^[\u4e00-\u9fff0-9“”\"]{2,24}?(?P<doc>方案|清单|要点|计划|意见|通知|预案|办法|规划|细则|台账|分工表|任务表|一览表|进度表|安排表|任务分工)"
                r"(?:里面|里|中的|中|上)?(?:的)?")


def _unit_lists(name: str) -> list[re.Pattern[str]]:
    return [
        # 要 / 得 before the role and 些 before the asking word as a phone says it (医保局都负责些啥)
        # 分别 / 各自 / 各 spread the question over two units' lists (组织办和宣传办分别负责哪些)
        lazy(rf"^(?:我们|咱们|我|本)?{name}{_BEFORE_VERB}"
             rf"(?:{_ROLE_VERBS}|分管|主管|包联|联系|管|抓|有|做|干|办|完成|分到|分了|分配)(?:的)?(?:了)?(?:些)?"
             rf"(?:{_HOW_MANY})(?:{_TASKS})?"),
        # 财政部要干的事有哪些: the tasks named before the asking word
        lazy(rf"^(?:我们|咱们|我|本)?{name}{_DOES_OF}(?:{_TASKS})(?:都|一共|总共)?(?:有|是)(?:{_HOW_MANY})"),
        # 组织办一共几项任务: a count needs no verb
        lazy(rf"^(?:我们|咱们|我|本)?{name}(?:一共|总共|共|都)?(?:有)?"
             rf"(?:几项|几件|几条|多少项|多少件|多少条)"),
        lazy(rf"^(?:我们|咱们|我|本)?{name}(?:{_ROLE_VERBS})的(?:{_TASKS}|(?:都)?有(?:{_HOW_MANY})|是(?:{_HOW_MANY}))"),
        lazy(rf"^(?:给|帮我)?(?:列|列出|列一下|查|查一下|看看)?{name}的(?:任务|工作|事项)(?:清单|列表)?"),
        # 人社局的事有哪些, 组织办的活儿有几项
        lazy(rf"^(?:我们|咱们|我|本)?{name}的(?:{_TASKS})(?:都|一共|总共)?(?:有|是)?(?:{_HOW_MANY})"),
        # 那县财政局呢 (after another unit's list): a unit alone asks for its list
        lazy(rf"^(?:那|那么)?{name}(?:的)?呢$"),
        # 乡村振兴有哪些任务是农业农村局牵头的: the tasks asked for first, the unit after them
        lazy(rf"^.{{0,12}}?(?:有)?(?:{_HOW_MANY})(?:{_TASKS})?(?:是|归|由){name}(?:来)?(?:{_ROLE_VERBS}|管|的|$)"),
        # 组织部负责的培训有哪些, 海关总署牵头的有没有跟研发有关的, 生态环境部的活跟医疗垃圾有关的有哪些,
        # 农业局手上有没有跟乡村旅游有关的活: the list narrowed to a topic
        # (unit_topic); asking which, never when (负责的培训什么时候办) or how many (管的资金有多少)
        lazy(rf"^(?:我们|咱们|我|本)?{name}(?:{_DOES_OF}|的(?:{_TASKS})).{{0,16}}?(?:{_WHICH_ONES})"),
        lazy(rf"^(?:我们|咱们|我|本)?{name}{_AT_HAND}(?:有没有|有无).{{1,16}}?(?:的)(?:{_TASKS})"),
    ]


_UNIT_LIST = _unit_lists(_UNIT_NAME)
# What a unit-like name is asked for, when not its tasks: 合作社有哪些扶持政策, 工作站有啥要求 (and not
# 有哪些任务, 负责哪些, 都有啥活, 有哪些呢): a thing the plans speak of, not an owner's list.
_ASKS_OTHER = lazy(rf"(?:{_HOW_MANY})(?!(?:{_TASKS})|[呢吗啊呀吧么?？。!！\s]|$)[\u4e00-\u9fff]")
# The same questions about an owner whose name ends like no unit: a person or a post, as a
# township's list names its 责任领导 (张三负责哪些任务, 组织委员有哪些事). Only a name some plan writes
# as an owner, word for word, is listed (answer.ask): anything else is a search.
_OWNER_LIST = _unit_lists(r"(?P<unit>[\u4e00-\u9fff]{2,12}?)")

# A unit's tasks asked without an asking word (纪委办的事, 组织办要干的活, 我们组织办牵头的): its
# list where a plan names it as an owner, else a search, as for its name alone (党委的工作 may
# ask what a plan says of 党委 work).
_UNIT_SOFT = [
    lazy(rf"^(?:我们|咱们|我|本)?{_UNIT_NAME}的(?:{_TASKS})(?:清单|列表)?(?:呢|吧|啊|呀)?$"),
    lazy(rf"^(?:我们|咱们|我|本)?{_UNIT_NAME}{_DOES_OF}(?:{_TASKS})?(?:呢|吧|啊|呀)?$"),
]

# A unit's name and nothing else (县财政局): its task list where a plan names it as an owner, else a
# search (民主生活会, 合作社 end like a unit's name too).
_UNIT_ALONE = lazy(rf"^\s*{_UNIT_NAME}[\s?？。!！]*$")

# A unit's name holds no word that asks: 两委换届是哪个部门牵头 is a who-question, not 两委换届是哪个部门's list.
_ASKING = lazy(r"哪|什么|啥|谁|怎么|如何")

# Words ending like a unit's name that name none: 组织部干部 asks about cadres, not a 部; 各部门
# and 相关部门 name every unit or none (units.department_stem).
_NOT_UNITS = ("干部", "全部", "内部", "外部", "局部")

# Words that carry no topic in a question: fillers of spoken Chinese and words that only ask.
# Dropped from the question's terms before searching (never from the plans' own index).
FILLERS = frozenset(
    """咋 咋么 咋样 啥 啥子 啥的 嘛 呗 哈 呀 啊 吧 呢 吗 么 嗯 哦 噢 喔 哎 诶 哇 啦 咯 嘞 呐
    到底 究竟 一下 一下子 下子 些 一些 有些 这块 那块 这个 那个 这些 那些 这种 那种 这样 那样 这么 那么
    这事 那事 这件 那件 事儿 东西 玩意 情况 问题 方面 部分 一块 这边 那边 里面 里头 上面 上头
    能不能 可不可以 行不行 要不要 是不是 有没有 会不会 该不该 得不得 算不算 用不用 需不需要
    能 能否 可以 可否 会 要 得 该 需要 应该 应当 必须 想 想要 打算 准备
    我 我们 咱 咱们 你 你们 他 他们 她 它 人家 大家 自己 本人 俺 俺们
    一般 通常 具体 具体点 大概 大约 差不多 目前 现在 眼下 最近 以后 将来 到时候 然后 还有 另外
    一起 一块儿 都 也 还 就 又 再 才 只 光 全 全都 总 总共 一共 多少 几 几个 几项
    几条 几件 几样 两项 两条 两件 那几项 那几条 这几项 这几条 摊子 那摊子 这摊子 摊子事 那摊 这摊
    说 讲 提 提到 写 写的 说的 讲的 规定 咋说 怎么说 有啥 是啥 干啥 做啥 搞啥 弄啥 为啥 啥样
    怎么 怎样 怎么样 如何 怎么办 咋办 咋整 咋弄 咋搞 咋做 怎么弄 怎么搞 怎么做
    弄 搞 整 干 做 办 弄完 搞完 整完 干完 做完 办完 弄好 搞好 搞定 弄出来 搞出来 拿出来 出来
    吗 么 呢 哪 哪里 哪儿 哪些 哪个 什么 为什么 谁 多 没 没有 不 别
    最晚 最迟 之内 以内 以前 之前 以后 之后 期间 时候 时间 日子 点儿 一点
    不能 不要 不能不 不会 不行 不用 每个 一个 一种 几种 哪几 哪几个 哪几种 有人 有的 别人 人家
    分别 分别是 各自 这两块 那两块 这两项 那两项 这两个 那两个 这两条 那两条 这俩 那俩 这三块 这三项
    还是 或者 然后 而且 所以 因为 如果 的话 那种 这种 那帮 这帮 那套 这套 啥时 咋个 多大 来着 来 着""".split()
)


# A question about the item just answered has no topic of its own: 什么时候完成, 谁负责, 配合单位呢,
# 时限呢, 全文, 下一条. These words alone make one (with the who/when phrases and the fillers).
_FOLLOW_UP_WORDS = frozenset(
    """的 了 是 在 有 说 讲 那 那么 那这 这 这条 那条 这一条 这项 那项 这个 那个 它 其 此 本条 该条 一条 条 项
    完成 做完 弄完 搞完 办完 干完 截止 交 报 定 落实 负责 牵头 配合 参与 责任 单位 部门 时限 期限 时间
    全文 原文 详细 详情 具体 内容 看看 下一条 上一条 下一项 上一项 下条 上条 下一个 上一个 还有""".split())
_FOLLOW_UP_CHARS = frozenset("".join(FILLERS | _FOLLOW_UP_WORDS))
_NEXT = lazy(r"下一条|下一项|下条|下一个")
_PREVIOUS = lazy(r"上一条|上一项|上条|上一个")
_FULL = lazy(r"全文|原文|详细|详情|具体内容")
# The characters of the phrases `follow_up` takes out of a question: a CJK character outside
# them (CJK has no case, so re.I matches nothing else) is still there after they are taken out.
_PHRASE_CHARS = frozenset("".join(p.pattern for p in (_WHO, _WHEN, _NEXT, _PREVIOUS)))
_CJK_FROM, _CJK_TO = "\u4e00", "\u9fff"
_ACK = lazy(r"^(?:收到|好的?|好嘞|好滴|好吧|行|可以|嗯+|哦+|噢+|ok|okay|谢谢|多谢|感谢|谢了|辛苦了?|明白|知道了|了解|"
            r"👍|🙏|👌|✅|💪|👏)+$", re.I)


@dataclass(frozen=True)
class Query:
    kind: str  # who / when / lookup / heading / section / stages / recurring / unowned / undated / deadlines / unit / owners / search / hint
    topic: str  # the words to search for
    ref: tuple[int, ...] = ()  # lookup: (item,) or (section, item); section: (section,)
    period: tuple[dt.date, dt.date] | None = None
    unit: str = ""  # unit: the unit as the question writes it; search: an owner it may name (_OWNER_LIST)
    heading: tuple[str, str] = ()  # heading: (label, title) as pasted
    with_when: bool = False  # who: the question asks the time limit as well
    role: str = ""  # unit: the one role asked for (Role.lead / Role.cooperating), "" for all
    label: str = ""  # lookup: the number as its label is written (（三）), whose style is asked for
    alone: bool = False  # search: the question is `unit` alone (县财政局), matched however it is written
    narrow: str = ""  # unit: the topic its list is asked about (unit_topic: 组织办负责的党员方面的事 → 党员)


def asks_other_than_tasks(question: str) -> bool:
    """Whether a question asks for something other than tasks after its asking word: 合作社有哪些
    扶持政策 (what a plan says of a 合作社), not 县政府负责哪些 or 财政局有哪些任务 (a unit's list)."""
    return bool(_ASKS_OTHER.search(question))


def classify(question: str, today: dt.date) -> Query:
    q = question.strip()
    if _EMPTY.match(q) or not has_words(q) or _GREETING.match(q):
        return Query("hint", "")
    if is_acknowledgement(q):  # 谢谢 / 收到 asked of `planbot ask`: the bot and the chat answer none
        return Query("hint", "ack")
    if not _SECTION_NUM.search(q) and (asked := _label_asked(q)):  # 第四部分是什么: the part
        return Query("lookup", q, asked[0], label=asked[1])
    if (m := _HEADING.match(q)) and (ref := _ints(m.group(1).strip("（()）、.．  "), None)):
        return Query("heading", q, ref, heading=(m.group(1), m.group(2)))
    ref = lookup_ref(q)
    section = _SECTION_NUM.search(q)
    if ref and not (section and len(ref) == 1):  # "第一部分" is a section, "第一部分第3条" an item
        decimal = DECIMAL.search(q)
        return Query("lookup", q, ref, label=decimal.group(1).replace("．", ".") if decimal else "")
    if m := _RECURRING.match(q):
        return Query("recurring", _EVERY[m.group("every")])
    if m := _OWNERS.match(q):  # 哪个单位任务最多 / 涉及哪些单位 / 城关镇的任务谁最多
        return Query("owners", m.group("plan") or "")
    if m := _UNSTATED.search(q):
        return Query("unowned" if m.group("owner") else "undated", q[:m.start()])  # 城关镇清单 / 乡村振兴方案里
    is_who, is_when = _who_when(q)
    unit = unit_asked(q)
    # The period is read only where it decides (its patterns cost more than the two cheap tests).
    due_asked = bool(_DUE.search(q))
    if not is_who and (unit or due_asked or _BUSY.search(q)) and (found := _period_asked(q, today)):  # 组织办这个月有什么事
        if unit:
            return Query("unit", q, unit=unit, period=found[1:], role=role_asked(q), narrow=unit_topic(q, unit))
        # 这周有什么事 asks what is due; 今年干部培训做什么 asks what the plan says of 干部培训
        topic = due_topic(_BUSY.sub(" ", q), found[0])
        if (due_asked or not topic) and not _counts_a_thing(q, topic):  # 厕所改造今年要完成多少: its target
            return Query("deadlines", topic, period=found[1:])
    if section:
        if (n := cn.to_int(section.group(1))) is not None:
            return Query("section", q, (n,))
    if unit:
        return Query("unit", q, unit=unit, role=role_asked(q), narrow=unit_topic(q, unit))
    if is_who:  # 谁牵头，啥时候完成: both, the who-answer naming the time limit too
        return Query("who", _WHEN.sub(" ", _WHO.sub(" ", q)) if is_when else _WHO.sub(" ", q), with_when=is_when)
    if is_when:
        return Query("when", _WHEN.sub(" ", q))
    if m := _STAGES.search(q):
        return Query("stages", m.group(1))
    if m := _SECTION_TOPIC.search(q):
        return Query("section", m.group(1))
    if (m := _UNIT_ALONE.match(q)) and _names_a_unit(m.group("unit")):  # 县财政局: its list, if it has one
        return Query("search", q, unit=m.group("unit"), alone=True)
    if soft := unit_asked(q, _UNIT_SOFT):  # 纪委办的事: the same
        return Query("search", q, unit=soft, alone=True, role=role_asked(q))
    return Query("search", q, unit=unit_asked(q, _OWNER_LIST))


def _period_asked(question: str, today: dt.date) -> tuple[str, dt.date, dt.date] | None:
    """The period a question about what is due names, or the days ahead when it asks for the
    tasks due without naming one (有哪些任务到期)."""
    if found := find_period(question, today):
        return found
    return ("", *within_span(today, SOON_DAYS)) if _DUE_LIST.search(question) else None


# The n-th of a list just shown: 第二个, 第2条, ②, 那第三项呢 (answer.ask: only after a list answer).
_ORDINAL = lazy(rf"^\s*(?:那|那么)?\s*(?:第\s*({_N})\s*(?:个|条|项|件)|([{cn.LIST_MARKS}])|(最后|末)(?:一)?(?:个|条|项|件))(.*)$")
LAST = -1  # ordinal_asked's number for 最后一个 / 最后一条: the last one
_WHAT_OF_IT = lazy(r"^[\s，,]*(?:的)?(?:呢|说的?(?:是)?什么|讲的?什么|是什么|是啥|说的啥|的?内容|的?全文|详情|详细)?[\s?？。!！呢吗]*$")


def ordinal_asked(question: str, cut) -> tuple[int, str] | None:
    """第二个谁负责 → (2, "who"); ② / 第三条呢 / 第2个说的什么 → (n, "full"); 最后一条 → (LAST, "full"):
    the n-th item (of the list just shown, or of a plan) and what is asked of it; None when the
    question is no such follow-up."""
    m = _ORDINAL.match(question)
    if not m:
        return None
    n = cn.to_int(m.group(1)) if m.group(1) else cn.LIST_MARKS.index(m.group(2)) + 1 if m.group(2) else LAST
    rest = m.group(4)
    if n is None or (n < 1 and n != LAST):
        return None
    if _WHAT_OF_IT.match(rest):
        return n, "full"
    kind = follow_up(rest, cut)
    return (n, kind) if kind in ("who", "when", "full") else None


def asked_of_item(question: str) -> tuple[str, bool]:
    """What a question naming an item by its number asks of it: ("who", whether the time limit
    is asked too) for 第3条谁负责 / 二.3谁牵头，啥时候完成, ("when", False) for 第3条什么时候完成,
    ("", False) for its text (第3条 / 第3条说的什么)."""
    who, when = _who_when(question)
    return ("who", when) if who else ("when", False) if when else ("", False)


def _who_when(question: str) -> tuple[bool, bool]:
    """Whether a question asks who and whether it asks by when (够用多久 asks how long, not when)."""
    return bool(_WHO.search(question)), bool(_WHEN.search(question)) and not _LASTS.search(question)


def follow_up(question: str, cut) -> str | None:
    """The kind of a follow-up on the item just answered — who, when, full, next, previous —
    or None when the question has a topic of its own. `cut` splits a text into words."""
    q = question.strip()
    if any(_CJK_FROM <= ch <= _CJK_TO and ch not in _FOLLOW_UP_CHARS and ch not in _PHRASE_CHARS and ch.isalnum()
           for ch in q):
        return None  # a character no phrase removes below and no follow-up holds (most questions)
    if not q or lookup_ref(q) or _DUE_LIST.search(q):  # 到期的有哪些: the tasks due, not this item's time limit
        return None
    rest = _NEXT.sub(" ", _PREVIOUS.sub(" ", _WHO.sub(" ", _WHEN.sub(" ", q))))
    if any(ch.isalnum() and ch not in _FOLLOW_UP_CHARS for ch in rest):
        return None  # a word holding that character is neither: no need to cut (most questions)
    words = [w for w in cut(rest) if any(ch.isalnum() for ch in w)]
    if any(w not in FILLERS and w not in _FOLLOW_UP_WORDS for w in words):
        return None
    if _NEXT.search(q):
        return "next"
    if _PREVIOUS.search(q):
        return "previous"
    if _WHO.search(q) or re.search(r"牵头|责任单位|配合|参与", q):
        return "who"
    if _WHEN.search(q) or re.search(r"完成|截止", q):
        return "when"
    if _FULL.search(q):
        return "full"
    return None


# "What changed in the new version": 乡村振兴方案改了什么 / 新版和旧版有什么不同 / 更新了哪些内容.
_CHANGES = lazy(r"改了(?:什么|啥|哪些|些什么)|改动|修改了?(?:什么|啥|哪些)|有(?:什么|啥|哪些)(?:变化|变动|不同|区别|调整)"
                r"|(?:新版|新版本).{0,6}(?:旧版|老版|原来|以前|上一版)|更新了(?:什么|啥|哪些)|变了(?:什么|啥|哪些)")


def asks_changes(question: str) -> bool:
    """Whether the question asks what a new version of a plan changed."""
    return bool(_CHANGES.search(question))


def is_acknowledgement(text: str) -> bool:
    """收到, 好的, 谢谢, 👍, ok, 辛苦了 … : said to the bot, they want no answer."""
    return bool(_ACK.match(re.sub(r"[\s，,。.！!~～、]+", "", text)))


# What a unit's list may be asked within, before the unit (消费扶贫里头文旅部负责啥,
# 乡村振兴这块组织部分到了哪些活, 督查激励那30条里人民银行管哪几条): read past, as a plan named by its kind is (plan_named).
_WITHIN = lazy(r"^(?P<named>[\u4e00-\u9fff0-9“”\"]{2,16}?)(?:那个文件|这个文件|那份文件|文件)?(?:里头|里面|里边|里|这块|那块|这一块|那一块)")


def within_named(question: str, unit: str = "") -> str:
    """What a question names before a unit's list, as the text a plan may be named by:
    消费扶贫里头文旅部负责啥 → 消费扶贫; "" when it names nothing so, or only the `unit` asked
    of and its tasks (组织办负责的事里有没有…: the unit's own, no plan)."""
    m = _WITHIN.match(re.sub(r"[\s，,。？?！!]+", "", question))
    return m.group("named") if m and not (unit and unit in m.group("named")) else ""


# Every reading of a unit's list (_UNIT_LIST, _OWNER_LIST, _UNIT_SOFT) holds one of these: an
# asking word (哪些, 什么, 啥, 几项, 多少), 的 or 呢 (tests/index/answer/test_intent.py proves it of
# each pattern). A question with none of them (干部培训谁负责) is no unit's list, and its patterns
# are not tried: compiling them was ~30 ms of a one-shot `planbot ask`.
LIST_NEEDS = frozenset("哪什啥几多的呢")


def unit_asked(question: str, patterns: list[re.Pattern[str]] = _UNIT_LIST) -> str:
    """The unit of a "what is X in charge of" question, as written; "" for other questions."""
    if LIST_NEEDS.isdisjoint(question):
        return ""
    q = _UNIT_WHEN.sub("", re.sub(r"[\s，,。？?！!]+", "", question))  # 组织部今年要干哪些事: 组织部要干哪些事
    texts = [q]
    if (rest := plan_named(q)[2]) != q:  # 乡村振兴方案里县财政局干啥: the plan asked of
        texts.append(rest)
    if m := _WITHIN.match(q):
        texts.append(q[m.end():])
    named = [m.group("unit") for text in texts for m in (p.match(text) for p in patterns) if m]
    # the shortest reading: 张三牵头的有哪些 names 张三, not 张三牵头的 (who 有 哪些)
    return min((u for u in named if _names_a_unit(u)), key=len, default="")


# A unit's list says more than its unit: what its list's own wording leaves is a topic it is
# narrowed to (unit_topic). That wording, before the topic (负责的事里有哪些是关于 …) and after it
# (… 方面的事, … 有关的是哪条; 有什么职责 asks for all its tasks, 有哪些任务到期 for those due). A
# one-character verb is the list's only before what asks or 的 (干部 is no 干 of 干的活); 活 and
# 事 are its tasks only where they end (活动, 事业 are topics).
_LIST_HEAD = lazy(
    rf"^{_BEFORE_VERB}"
    rf"(?:{_ROLE_VERBS}|{_GUIDES}|分管|主管|包联|联系|完成|分到|分了|分配|(?:管|抓|有|做|干|办)(?=[的了些哪啥什几多]))?"
    rf"(?:的)?(?:了)?(?:些)?(?:{_HOW_MANY})?(?:那些|这些|那几项|这几项|那几条|这几条|那几件|那几个)?(?:(?:{_TASKS})(?![动业实件]))?"
    rf"(?:清单|列表)?(?:里头|里面|里边|里|当中|之中|中)?(?:都|还)?(?:有没有|有无|有|是)?(?:{_WHICH_ONES}|{_HOW_MANY})?"
    rf"(?:是|属于)?(?:讲|说|写|管)?(?:跟|和|与|同|关于|涉及|对于)?")
_LIST_TAIL = lazy(rf"(?:有关|相关|沾边|挂钩|方面|这块|那块|这一块|那一块|领域)?(?:的)?(?:{_TASKS}|职责|职能|分工)?(?:都|一共|总共|还)?(?:有|是)?"
                  rf"(?:{_WHICH_ONES}|{_HOW_MANY})?(?:(?:要|会|将|快|就要)?(?:{DUE_WORDS})(?:的)?)?(?:呢|吗|啊|呀|吧)?$")


def unit_topic(question: str, unit: str) -> str:
    """The topic a unit's list is asked about, as written: the question past the unit (as
    `unit_asked` read it) less its list's own wording and any period (组织办负责的事里有哪些是
    关于党员的 → 党员; 县农业农村局牵头的活里跟垃圾有关的是哪条 → 垃圾); "" for the whole list
    (组织办今年手上都有啥任务)."""
    q = _UNIT_WHEN.sub("", re.sub(r"[\s，,。？?！!]+", "", question))
    at = q.find(unit)
    if not unit or at < 0:
        return ""
    rest = _LIST_HEAD.sub("", q[at + len(unit):], count=1)
    return _LIST_TAIL.sub("", rest, count=1)


_ONE_UNIT = lazy(rf"^{_UNIT_NAME.replace('、', '')}$")  # one name: 、 joins two


def names_unit(words: str) -> bool:
    """Whether `words` are one unit's name as a question writes it (组织办, 县人力资源和社会保障局),
    not words ending like one (县人力资源, 组织部干部) nor two names joined by 、."""
    return bool(_ONE_UNIT.match(words)) and _names_a_unit(words)


def _names_a_unit(words: str) -> bool:
    """Whether words read as a unit's name name one: not 组织部干部 (_NOT_UNITS), 各部门
    (department_stem) or 两委换届是哪个部门 (_ASKING)."""
    return not words.endswith(_NOT_UNITS) and department_stem(words) != "" and not _ASKING.search(words)


def plan_named(question: str) -> tuple[str, str, str]:
    """The plan a question starts by naming, as written, the kind of document it names, and the
    question after it: 城关镇清单里干部培训谁负责 → (城关镇清单, 清单, 干部培训谁负责); ("", "",
    question) when it names none so."""
    q = question.strip()
    m = _OF_PLAN.match(q)
    if not m or not q[m.end():].strip():
        return "", "", question
    return re.sub(r"(?:里面|里|中的|中|上|的)$", "", m.group()), m.group("doc"), q[m.end():]


def asks_owners(question: str) -> bool:
    """Whether the question asks for the owners themselves (哪个单位任务最多, 涉及哪些单位)."""
    return bool(_OWNERS.match(question.strip()))


# Words that name an area of a plan rather than one task: 人居环境那几项, 班子建设那摊子事, 人才方面,
# 特色产业这块 (an area, or one task: 农村公路那块). Which section, and whether a section answers at
# all, the search decides (ask._area_section).
_AREA = lazy(r"[那这](?:一)?块|[那这]摊|[那这](?:几|两|三|四)(?:项|条|样|件|个方面)|方面|板块|领域|哪几(?:项|条|样|件)")


def names_area(question: str) -> bool:
    """Whether a question names an area of a plan (那块, 那几项, 那摊子, 方面 …)."""
    return bool(_AREA.search(question))


def asks_count(question: str) -> bool:
    """Whether a question asks how many (有几个城市, 建多少亩, 一年讲几次)."""
    return bool(_COUNT.search(question) or _LASTS.search(question))


# The words of a question about what is due that ask for tasks (这个月要完成多少, 今年有几项任务到期).
_TASK_WORDS = lazy(r"任务|工作|事情|事项|事|活儿?|[的了吗呢还有是都共]|一共|总共|总计")


# What only asks (明天有啥要办的, 后天要交什么): no topic of its own.
_ASKING_WORDS = lazy(r"什么|啥|哪些")


def due_topic(question: str, period: str) -> str:
    """What a question about what is due names besides its `period` (as find_period read it),
    due words, counts and task words: 乡村振兴今年底前要完成哪些 → 乡村振兴; 这个月要完成多少 → ""."""
    rest = question.replace(period, " ", 1)
    return " ".join(_ASKING_WORDS.sub(" ", _TASK_WORDS.sub(" ", _COUNT.sub(" ", _DUE.sub(" ", rest)))).split())


# A count of tasks (多少项, 几件事, 多少个任务): what is due, however many other words come with it.
_TASKS_COUNTED = lazy(r"(?:几|多少)(?:个)?(?:项|条|件|任务|工作|事)")


def _counts_a_thing(question: str, topic: str) -> bool:
    """Whether a question with a period and a due word asks how many of something a task is to
    reach (村里厕所改造今年要完成多少: its households), not what is due then (这个月要完成多少项,
    城关镇2022年要完成多少项); `topic`: its due_topic."""
    return asks_count(question) and not _TASKS_COUNTED.search(question) \
        and sum(_CJK_FROM <= ch <= _CJK_TO for ch in topic) >= 2


def roles_asked(question: str) -> frozenset[Role]:
    """The roles a question names (谁牵头谁配合: lead and cooperating); none for 负责 / 责任,
    which is how people ask for all of them."""
    return frozenset(_ROLE_ASKED[w] for w in _ROLE_WORD.findall(question))


def role_asked(question: str) -> str:
    """Role.lead (牵头) or Role.cooperating (配合) when a unit's list is asked for that role
    alone; "" for every role."""
    roles = set(roles_asked(question))
    return roles.pop() if len(roles) == 1 else ""


def _label_asked(question: str) -> tuple[tuple[int, ...], str] | None:
    """（三）说的什么 → (3,), 二、(三)讲了啥 and 乡村振兴方案二（三） → (2, 3): a number as its label
    is written, alone or with what it says, and that label (its style is asked for); None for
    anything else (a pasted heading is not, nor are 3 / 二.3 / 第3条: lookup_ref reads those)."""
    q = re.sub(r"[\s?？。!！呢啊呀吗]+$", "", question)
    if m := _NESTED.search(q):
        ref = _ints(m.group(1), m.group(3))
        return (ref, m.group(2)) if ref else None
    rest = _ASKS_WHAT.sub("", q, count=1)
    if rest == q and not _PARENS.search(q):
        return None
    m = _LOOKUP_FULL.match(_PARENS.sub(r" \1 ", rest))
    ref = _ints(m.group(1), m.group(2)) if m else None
    return (ref, rest) if ref else None


_NUMBER = lazy(rf"[0-9{cn.NUMERAL}]+|[第条项点款部分（）()、.．\s]|{_ASKS_WHAT.pattern}")


def beside_number(question: str) -> str:
    """A look-up's words besides its number: 乡村振兴方案 of 乡村振兴方案第3条说的什么."""
    return _NUMBER.sub("", question)


def lookup_ref(text: str) -> tuple[int, ...] | None:
    """'3' → (3,), '第十二项' → (12,), '二.3' → (2, 3); None when it is no item number."""
    if m := _LOOKUP_FULL.match(text):
        return _ints(m.group(1), m.group(2))
    if m := _LOOKUP_DOTTED.search(text):
        return _ints(m.group(1), m.group(2))
    if m := DECIMAL.search(text):  # 4.2.1
        return tuple(int(n) for n in re.split(r"[.．]", m.group(1)))
    if m := _LOOKUP_IN.search(text):
        return _ints(m.group(1), None)
    return None


def _ints(a: str, b: str | None) -> tuple[int, ...] | None:
    first = cn.to_int(a)
    if first is None:
        return None
    if b is None:
        return (first,)
    second = cn.to_int(b)
    return (first, second) if second is not None else None


def has_words(text: str) -> bool:
    """Letters or digits of any script (CJK included): an emoji-only or punctuation-only
    message holds nothing to search for."""
    return any(ch.isalnum() for ch in text)
