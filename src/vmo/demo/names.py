"""Plausible names for Changji prefecture: Han and Hui names (surname + given name), and Uyghur
and Kazakh names (given name · father's name), in roughly the prefecture's proportions."""

from __future__ import annotations

import random
from itertools import accumulate
from typing import Literal

Sex = Literal["M", "F"]

# Common Han surnames, most frequent first (the weights follow that order).
HAN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
# Surnames frequent among the Hui of northern Xinjiang.
HUI_SURNAMES = "马马马杨杨丁白田冶哈纳穆海韩苏何李王张"

HAN_GIVEN_MALE = (
    "伟强军勇磊涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋杰志建国新疆天山博文亮峰"
)
HAN_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莉琳萍红梅颖倩晶洁欣怡悦佳月兰丹蕾薇琴云秀英华"

UYGHUR_MALE = (
    "买买提",
    "艾力",
    "阿不都热合曼",
    "吐尔逊",
    "艾合买提",
    "努尔买买提",
    "伊力哈木",
    "阿迪力",
    "麦麦提敏",
    "依明",
    "肉孜",
    "吾买尔",
    "艾尔肯",
    "帕尔哈提",
    "阿布来提",
    "塔依尔",
    "玉素甫",
)
UYGHUR_FEMALE = (
    "阿依古丽",
    "古丽娜尔",
    "热依拉",
    "迪丽努尔",
    "帕提古丽",
    "米热古丽",
    "努尔古丽",
    "再努尔",
    "阿依努尔",
    "古再丽努尔",
    "哈丽旦",
    "佐拉",
    "阿瓦古丽",
    "美合日班",
)
KAZAKH_MALE = (
    "努尔兰",
    "叶尔兰",
    "别克",
    "哈布都拉",
    "加尔肯",
    "吐尔逊别克",
    "阿斯哈尔",
    "巴合提",
    "叶尔波力",
    "达吾列提",
    "哈那提",
    "马合沙提",
    "叶尔江",
    "努尔波拉提",
    "赛力克",
)
KAZAKH_FEMALE = (
    "阿依达娜",
    "古丽米拉",
    "加娜尔",
    "萨依拉",
    "玛丽娜",
    "阿克达娜",
    "努尔加玛丽",
    "哈丽达",
    "巴合古丽",
    "古丽加娜提",
    "阿依娜",
    "沙吾列",
)

# Approximate shares of the prefecture's population (smaller groups folded into Han).
_GROUPS = ("han", "hui", "kazakh", "uyghur")
_GROUP_WEIGHTS = (76, 11, 9, 4)
# Cumulative weights, computed once: the generator draws millions of names.
_GROUP_CUM = list(accumulate(_GROUP_WEIGHTS))
_SURNAME_CUM = list(accumulate(1.0 / (rank + 8) for rank in range(len(HAN_SURNAMES))))


def _han_given(rng: random.Random, sex: Sex) -> str:
    chars = HAN_GIVEN_MALE if sex == "M" else HAN_GIVEN_FEMALE
    if rng.random() < 0.35:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def person_name(rng: random.Random, sex: Sex) -> str:
    """A name that fits the sex (the ID number's sex digit decides it)."""
    group = rng.choices(_GROUPS, cum_weights=_GROUP_CUM)[0]
    if group == "han":
        return rng.choices(HAN_SURNAMES, cum_weights=_SURNAME_CUM)[0] + _han_given(rng, sex)
    if group == "hui":
        return rng.choice(HUI_SURNAMES) + _han_given(rng, sex)
    male, female = (
        (KAZAKH_MALE, KAZAKH_FEMALE) if group == "kazakh" else (UYGHUR_MALE, UYGHUR_FEMALE)
    )
    given = rng.choice(male if sex == "M" else female)
    return f"{given}·{rng.choice(male)}"
