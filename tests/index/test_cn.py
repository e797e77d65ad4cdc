"""Chinese numerals: the table of written forms gives cn2an's values, and reading them needs no cn2an."""

import itertools
import subprocess
import sys

import cn2an
import pytest

from planbot.index import cn


def test_every_form_in_the_table_is_read_as_cn2an_reads_it():
    table = cn.standard_numerals()
    assert len(table) > 1000  # 零 … 九百九十九, and 一十 … 一十九 beside 十 … 十九
    assert {value for value in table.values()} == set(range(1000))
    for name, value in table.items():
        assert cn2an.cn2an(name, "smart") == value, name


def test_digit_by_digit_numerals_are_read_as_cn2an_reads_them():
    for n in range(1, 5):
        for digits in itertools.product("零一二三四五六七八九", repeat=n):
            name = "".join(digits)
            assert cn.to_int(name) == cn2an.cn2an(name, "smart"), name


@pytest.mark.parametrize("numeral, value", [
    ("二〇二一", 2021), ("二○二一", 2021), ("两", 2), ("十二", 12), ("一十二", 12), ("三百零五", 305),
    ("一百一", 110),  # colloquial, not in the table: cn2an reads it
    ("１２", 12), ("十十", None), ("百", None), ("", None),
])
def test_values(numeral, value):
    assert cn.to_int(numeral) == value


def test_written_forms_are_read_without_importing_cn2an():
    code = ("import sys; from planbot.index import cn; "
            "values = [cn.to_int(n) for n in ('三', '十二', '二〇二一', '九十九', '一百零五')]; "
            "print(values, 'cn2an' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[3, 12, 2021, 99, 105] False"
