"""Chinese dates and numbers as documents print them (GB/T 9704 dates, GB/T 15835 grouping, 大写 amounts)."""

import datetime as dt
from decimal import Decimal

import pytest

from huhang.documents._format import chinese_date, chinese_money, chinese_numeral, chinese_time, grouped

NUMERALS = (
    (0, "零"),
    (3, "三"),
    (10, "十"),
    (15, "十五"),
    (30, "三十"),
    (105, "一百零五"),
    (110, "一百一十"),
    (1000, "一千"),
    (1001, "一千零一"),
    (10500, "一万零五百"),
    (100000, "十万"),
    (100010000, "一亿零一万"),
)
MONEY = (
    (Decimal("0"), "零元整"),
    (Decimal("0.50"), "伍角整"),
    (Decimal("10"), "壹拾元整"),
    (Decimal("100.5"), "壹佰元伍角整"),
    (Decimal("1005.05"), "壹仟零伍元零伍分"),
    (50000, "伍万元整"),
    (Decimal("123456.78"), "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
    (Decimal("1000000"), "壹佰万元整"),
)


@pytest.mark.parametrize(("number", "expected"), NUMERALS, ids=[str(n) for n, _ in NUMERALS])
def test_chinese_numeral(number, expected):
    assert chinese_numeral(number) == expected


@pytest.mark.parametrize(("amount", "expected"), MONEY, ids=[str(a) for a, _ in MONEY])
def test_chinese_money(amount, expected):
    assert chinese_money(amount) == expected


def test_negative_numbers_have_no_chinese_form():
    with pytest.raises(ValueError):
        chinese_numeral(-1)
    with pytest.raises(ValueError):
        chinese_money(Decimal("-0.01"))


def test_dates_and_times():
    assert chinese_date(dt.date(2026, 11, 21)) == "2026年11月21日"
    assert chinese_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(dt.datetime(2026, 12, 3, 14, 30)) == "2026年12月3日14时30分"
    assert chinese_time(dt.time(9, 0)) == "9时"


def test_grouping_starts_at_five_digits_and_money_has_two_decimals():
    assert [grouped(n) for n in (15, 9999, 10000, 1234567)] == ["15", "9999", "10,000", "1,234,567"]
    assert grouped(Decimal("50000")) == "50,000.00"
    assert grouped(Decimal("0.005")) == "0.01"
