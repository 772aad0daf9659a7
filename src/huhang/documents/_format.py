"""Chinese forms of dates, times and numbers as official documents print them.

>>> import datetime as dt
>>> from decimal import Decimal
>>> chinese_date(dt.date(2026, 11, 21))
'2026年11月21日'
>>> chinese_time(dt.time(14, 30)), chinese_time(dt.time(9, 0))
('14时30分', '9时')
>>> chinese_numeral(15), chinese_numeral(105), chinese_numeral(10500)
('十五', '一百零五', '一万零五百')
>>> grouped(8000), grouped(120000), grouped(Decimal("50000"))
('8000', '120,000', '50,000.00')
>>> chinese_money(Decimal("123456.78")), chinese_money(50000), chinese_money(Decimal("1005.05"))
('壹拾贰万叁仟肆佰伍拾陆元柒角捌分', '伍万元整', '壹仟零伍元零伍分')

Dates use Arabic digits (GB/T 9704-2012 §7.3.5.3: 成文日期用阿拉伯数字); integers of five digits or more are
grouped by three with commas, shorter ones are not (GB/T 15835-2011 §5.1.3); money amounts in words use the
financial numerals 壹贰叁 (大写).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

_LOWER = "零一二三四五六七八九"
_LOWER_UNITS = ("", "十", "百", "千")
_UPPER = "零壹贰叁肆伍陆柒捌玖"
_UPPER_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")
_CENT = Decimal("0.01")


def chinese_date(day: datetime.date) -> str:
    """Return ``day`` as 2026年11月21日 (a datetime also gets its time: 2026年12月3日14时30分)."""
    text = f"{day.year}年{day.month}月{day.day}日"
    if isinstance(day, datetime.datetime):
        text += chinese_time(day.time())
    return text


def chinese_time(moment: datetime.time) -> str:
    """Return ``moment`` on the 24-hour clock as 14时30分, or 9时 on the hour."""
    return f"{moment.hour}时{moment.minute}分" if moment.minute else f"{moment.hour}时"


def _section(n: int, digits: str, units: tuple[str, ...]) -> str:
    out, zero = [], False
    for pos in (3, 2, 1, 0):
        digit = n // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[digit] + units[pos])
    return "".join(out)


def _integer(n: int, digits: str, units: tuple[str, ...]) -> str:
    if n == 0:
        return digits[0]
    sections = []
    while n:
        sections.append(n % 10000)
        n //= 10000
    if len(sections) > len(_SECTIONS):
        raise ValueError("number too large for Chinese numerals")
    out, gap = "", False
    for index in reversed(range(len(sections))):
        section = sections[index]
        if section == 0:
            gap = bool(out)
            continue
        if out and (gap or section < 1000):
            out += digits[0]
        out += _section(section, digits, units) + _SECTIONS[index]
        gap = False
    return out


def chinese_numeral(n: int) -> str:
    """Return the non-negative integer ``n`` in everyday Chinese numerals: 十五, 三十, 一百零五."""
    if n < 0:
        raise ValueError("negative numbers have no Chinese numeral form here")
    text = _integer(n, _LOWER, _LOWER_UNITS)
    return text[1:] if text.startswith("一十") else text


def _money(amount: Decimal | int) -> Decimal:
    return Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)


def grouped(value: int | Decimal) -> str:
    """Return an integer with comma groups from five digits up, or a money amount with two decimals."""
    if isinstance(value, Decimal):
        return f"{_money(value):,.2f}"
    return f"{value:,}" if abs(value) >= 10000 else str(value)


def chinese_money(amount: Decimal | int) -> str:
    """Return a yuan amount in financial numerals: 壹拾贰万叁仟肆佰伍拾陆元柒角捌分, 伍万元整."""
    amount = _money(amount)
    if amount < 0:
        raise ValueError("negative amounts have no 大写 form")
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = _integer(yuan, _UPPER, _UPPER_UNITS) + "元" if yuan or not (jiao or fen) else ""
    if jiao:
        out += _UPPER[jiao] + "角"
    elif fen and yuan:
        out += _UPPER[0]
    if fen:
        out += _UPPER[fen] + "分"
    return out if fen else out + "整"
