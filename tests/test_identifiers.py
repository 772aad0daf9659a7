"""Test huhang.identifiers against real numbers, each rule, and python-stdnum."""

from __future__ import annotations

import copy
import doctest
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest

from huhang import identifiers
from huhang.identifiers import (
    IdentifierError,
    PatentApplicationNumber,
    PatentPublicationNumber,
    mask_resident_id,
    parse_patent_application_number,
    parse_patent_publication_number,
    patent_check_digit,
    resident_id_birth_date,
    resident_id_check_char,
    resident_id_sex,
    uscc_check_char,
    validate_resident_id,
    validate_uscc,
)

TODAY = date(2026, 11, 21)
SRC = Path(__file__).resolve().parents[1] / "src"


def _raises(rule: str, call, *args, expected: str | None = None, **kwargs) -> IdentifierError:
    """Call and assert an IdentifierError with the given rule and expected character."""
    with pytest.raises(IdentifierError) as caught:
        call(*args, **kwargs)
    assert caught.value.rule == rule, caught.value
    assert caught.value.expected == expected
    assert caught.value.message_zh
    return caught.value


# --------------------------------------------------------------------------- module hygiene


def test_docstring_examples() -> None:
    failures, attempted = doctest.testmod(identifiers)
    assert attempted > 10
    assert failures == 0


def test_module_does_not_import_django() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = "import huhang.identifiers, sys; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def test_all_names_exist() -> None:
    for name in identifiers.__all__:
        assert hasattr(identifiers, name), name


# --------------------------------------------------------------------------- IdentifierError


def test_error_is_value_error_with_messages() -> None:
    error = _raises("check_digit", validate_uscc, "91110000600037341A", expected="L")
    assert isinstance(error, ValueError)
    assert str(error) == "check digit is 'A', expected 'L'"
    assert error.message == str(error)
    assert error.message_zh == "校验码错误：应为 L，实为 A"


def test_error_survives_copying() -> None:
    error = IdentifierError(
        "check digit is 'A', expected 'L'",
        rule="check_digit",
        expected="L",
        message_zh="校验码错误：应为 L，实为 A",
    )
    clone = copy.deepcopy(error)
    assert (str(clone), clone.rule, clone.expected, clone.message_zh) == (
        str(error),
        error.rule,
        error.expected,
        error.message_zh,
    )


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (validate_uscc, "9111000060003734"),
        (validate_uscc, "O1110000600037341L"),
        (validate_uscc, "01110000600037341L"),
        (validate_uscc, "91A10000600037341L"),
        (validate_uscc, "91110000600037341A"),
        (validate_resident_id, "1101051949123100"),
        (validate_resident_id, "1101051949123100A2"),
        (validate_resident_id, "00010519491231002X"),
        (validate_resident_id, "110105194902300023"),
        (validate_resident_id, "110105194912310021"),
        (parse_patent_application_number, "2019110444"),
        (parse_patent_application_number, "2019410444117"),
        (parse_patent_application_number, "2002110444117"),
        (parse_patent_application_number, "201911044411"),
        (parse_patent_publication_number, "114911801A"),
    ],
)
def test_every_error_has_a_chinese_message(call, value: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        call(value)
    assert any("\u4e00" <= char <= "\u9fff" for char in caught.value.message_zh)


# --------------------------------------------------------------------------- USCC


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("91110000600037341L", "91110000600037341L"),
        ("91110000600037341l", "91110000600037341L"),
        (" 9111 0000 6000 3734 1L\n", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
    ],
)
def test_uscc_valid(text: str, normalised: str) -> None:
    assert validate_uscc(text) == normalised


def test_uscc_check_char() -> None:
    assert uscc_check_char("91110000600037341") == "L"


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


@pytest.mark.parametrize("authority", list("123456789ANY"))
def test_uscc_all_registration_authorities_accepted(authority: str) -> None:
    code = _uscc(authority + "1110000600037341")
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("text", "rule", "expected"),
    [
        ("91110000600037341A", "check_digit", "L"),
        ("91110000600037341", "length", None),
        ("91110000600037341LL", "length", None),
        ("", "length", None),
        ("91110000600037341O", "charset", None),
        ("9111000060003734IL", "charset", None),
        ("91-110000600037341", "charset", None),
        (_uscc("01110000600037341"), "authority", None),
        (_uscc("B1110000600037341"), "authority", None),
        (_uscc("911A0000600037341"), "region", None),
        (_uscc("91110Y00600037341"), "region", None),
    ],
)
def test_uscc_invalid(text: str, rule: str, expected: str | None) -> None:
    _raises(rule, validate_uscc, text, expected=expected)


@pytest.mark.parametrize(("text", "rule"), [("9111000060003734", "length"), ("9111000060003734O", "charset")])
def test_uscc_check_char_invalid(text: str, rule: str) -> None:
    _raises(rule, uscc_check_char, text)


# --------------------------------------------------------------------------- resident ID


@pytest.mark.parametrize(
    ("text", "normalised", "born", "sex"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "female"),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "female"),
        ("360426199101010071", "360426199101010071", date(1991, 1, 1), "male"),
        ("３６０４２６ １９９１０１０１ ００７１", "360426199101010071", date(1991, 1, 1), "male"),
    ],
)
def test_resident_id_valid(text: str, normalised: str, born: date, sex: str) -> None:
    assert validate_resident_id(text) == normalised
    assert resident_id_birth_date(text) == born
    assert resident_id_sex(text) == sex


def test_resident_id_born_1880_needs_earlier_bound() -> None:
    """Keep the LEGAL.md example 440524188001010014 (born 1880-01-01) valid once the bound allows it."""
    number = "440524188001010014"
    _raises("birth_date", validate_resident_id, number)
    early = date(1800, 1, 1)
    assert validate_resident_id(number, earliest=early) == number
    assert resident_id_birth_date(number, earliest=early) == date(1880, 1, 1)
    assert resident_id_sex(number, earliest=early) == "male"


@pytest.mark.parametrize(
    ("first17", "check"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("36042619910101007", "1")],
)
def test_resident_id_check_char(first17: str, check: str) -> None:
    assert resident_id_check_char(first17) == check


def _rid(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


@pytest.mark.parametrize(
    ("text", "rule", "expected", "today"),
    [
        ("110105194912310021", "check_digit", "X", None),
        ("360426199101010070", "check_digit", "1", None),
        ("11010519491231002", "length", None, None),
        ("110105194912310020X", "length", None, None),
        ("110105491231002", "length", None, None),
        ("1101051949123100A2", "charset", None, None),
        ("11010519491231002Y", "charset", None, None),
        (_rid("00010519491231002"), "region", None, None),
        (_rid("19010519491231002"), "region", None, None),
        (_rid("92010519491231002"), "region", None, None),
        (_rid("11010519490230002"), "birth_date", None, None),
        (_rid("11010519491301002"), "birth_date", None, None),
        (_rid("11010518991231002"), "birth_date", None, None),
        (_rid("11010520261122002"), "birth_date", None, TODAY),
    ],
)
def test_resident_id_invalid(text: str, rule: str, expected: str | None, today: date | None) -> None:
    _raises(rule, validate_resident_id, text, expected=expected, today=today)


def test_resident_id_born_today_is_valid() -> None:
    number = _rid("42010220261121001")
    assert validate_resident_id(number, today=TODAY) == number


@pytest.mark.parametrize("province", sorted(identifiers.RESIDENT_ID_PROVINCE_CODES))
def test_resident_id_all_province_codes(province: str) -> None:
    number = _rid(province + "010519491231002")
    assert validate_resident_id(number) == number


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        ("110105194912310021", "110105********0021"),  # masking checks the shape only
    ],
)
def test_mask_resident_id(text: str, masked: str) -> None:
    assert mask_resident_id(text) == masked


@pytest.mark.parametrize(("text", "rule"), [("1101051949123", "length"), ("11010519491231002Z", "charset")])
def test_mask_resident_id_invalid(text: str, rule: str) -> None:
    _raises(rule, mask_resident_id, text)


# --------------------------------------------------------------------------- patent application numbers


@pytest.mark.parametrize(
    ("text", "year", "kind", "serial", "check", "number"),
    [
        ("ZL201911044411.X", 2019, "invention", "1044411", "X", "201911044411.X"),
        ("201911044384.6", 2019, "invention", "1044384", "6", "201911044384.6"),
        ("202210635727.1", 2022, "invention", "0635727", "1", "202210635727.1"),
        ("202321160956.9", 2023, "utility_model", "1160956", "9", "202321160956.9"),
        ("201830251564.1", 2018, "design", "0251564", "1", "201830251564.1"),
        ("202520560089.0", 2025, "utility_model", "0560089", "0", "202520560089.0"),
        ("ZL97248479.5", 1997, "utility_model", "48479", "5", "97248479.5"),
        ("ZL94102612.4", 1994, "invention", "02612", "4", "94102612.4"),
        ("ZL01105715.7", 2001, "invention", "05715", "7", "01105715.7"),
    ],
)
def test_application_real_numbers(
    text: str, year: int, kind: str, serial: str, check: str, number: str
) -> None:
    parsed = parse_patent_application_number(text)
    assert (parsed.year, parsed.kind, parsed.serial, parsed.check_digit) == (year, kind, serial, check)
    assert parsed.number == str(parsed) == number
    assert parsed.patent_number == "ZL" + number
    assert parsed.is_old_format == (len(serial) == 5)


@pytest.mark.parametrize(
    "text",
    [
        "ZL201911044411.X",
        "201911044411X",
        "201911044411.X",
        "CN 2019 1 1044411.X",
        "zl 201911044411.x",
        "CN201911044411.X",
        "ZL 2019 1 1044411.X",
        "ＺＬ２０１９１１０４４４１１．Ｘ",
        "\u3000ZL201911044411.X ",
    ],
)
def test_application_spellings(text: str) -> None:
    assert parse_patent_application_number(text).number == "201911044411.X"


@pytest.mark.parametrize(
    ("body", "kind", "type_digit"),
    [
        ("201981044411", "pct_invention", "8"),
        ("201991044411", "pct_utility_model", "9"),
        ("99810000", "pct_invention", "8"),
        ("03910000", "pct_utility_model", "9"),
    ],
)
def test_application_pct_kinds(body: str, kind: str, type_digit: str) -> None:
    parsed = parse_patent_application_number(body + patent_check_digit(body))
    assert (parsed.kind, parsed.type_digit) == (kind, type_digit)
    assert parsed.digits == body


@pytest.mark.parametrize(
    ("text", "rule", "expected"),
    [
        ("202010123456.7", "check_digit", "2"),
        ("ZL201911044411.1", "check_digit", "X"),
        ("ZL97248479.6", "check_digit", "5"),
        ("201911044411", "check_digit", "X"),
        ("ZL97248479", "check_digit", "5"),
        ("2019110444", "length", None),
        ("20191104441101", "length", None),
        ("", "length", None),
        ("ZL", "length", None),
        ("2019A1044411.X", "charset", None),
        ("201911044411.Y", "charset", None),
        ("2019-1044411X", "charset", None),
        ("201941044411.5", "kind", None),
        ("201901044411.5", "kind", None),
        ("97548479.5", "kind", None),
        ("200211044411.5", "year", None),
        ("202811044411.5", "year", None),
        ("04148479.5", "year", None),
        ("84148479.5", "year", None),
    ],
)
def test_application_invalid(text: str, rule: str, expected: str | None) -> None:
    _raises(rule, parse_patent_application_number, text, expected=expected, today=TODAY)


def test_application_missing_check_digit_message() -> None:
    error = _raises("check_digit", parse_patent_application_number, "201911044411", expected="X")
    assert str(error) == "check digit is missing, expected 'X'"
    assert error.message_zh == "缺少校验码：应为 X"


def test_application_year_bound_follows_today() -> None:
    body = "202711044411"
    text = body + patent_check_digit(body)
    assert parse_patent_application_number(text, today=TODAY).year == 2027
    _raises("year", parse_patent_application_number, text, today=date(2025, 12, 31))


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("201911044411", "X"),
        ("201911044384", "6"),
        ("202210635727", "1"),
        ("202321160956", "9"),
        ("201830251564", "1"),
        ("202520560089", "0"),
        ("202010123456", "2"),
        ("97248479", "5"),
        ("94102612", "4"),
        ("01105715", "7"),
    ],
)
def test_patent_check_digit(digits: str, check: str) -> None:
    assert patent_check_digit(digits) == check


@pytest.mark.parametrize(("digits", "rule"), [("2019110444", "length"), ("2019110444A1", "charset")])
def test_patent_check_digit_invalid(digits: str, rule: str) -> None:
    _raises(rule, patent_check_digit, digits)


def test_application_dataclass_is_frozen_and_checked() -> None:
    parsed = PatentApplicationNumber(year=2019, kind="invention", serial="1044411", check_digit="X")
    assert parsed == parse_patent_application_number("ZL201911044411.X")
    with pytest.raises(AttributeError):
        parsed.year = 2020  # type: ignore[misc]
    with pytest.raises(ValueError, match="kind"):
        PatentApplicationNumber(year=2019, kind="trademark", serial="1044411", check_digit="X")
    with pytest.raises(IdentifierError):
        PatentApplicationNumber(year=2019, kind="invention", serial="1044411", check_digit="1")


# --------------------------------------------------------------------------- publication numbers


@pytest.mark.parametrize(
    ("text", "country", "number", "kind_code", "patent_kind", "canonical"),
    [
        ("CN114911801A", "CN", "114911801", "A", "invention", "CN114911801A"),
        ("CN 114911801 A", "CN", "114911801", "A", "invention", "CN114911801A"),
        ("cn110941994b", "CN", "110941994", "B", "invention", "CN110941994B"),
        ("CN219910140U", "CN", "219910140", "U", "utility_model", "CN219910140U"),
        ("CN308123456S", "CN", "308123456", "S", "design", "CN308123456S"),
        ("CN1340998A", "CN", "1340998", "A", "invention", "CN1340998A"),
        ("CN2345678Y", "CN", "2345678", "Y", "utility_model", "CN2345678Y"),
        ("CN3558385", "CN", "3558385", "", None, "CN3558385"),
        ("ＣＮ１１４９１１８０１Ａ", "CN", "114911801", "A", "invention", "CN114911801A"),
        ("US20050286606", "US", "20050286606", "", None, "US20050286606"),
        ("EP784692A1", "EP", "784692", "A1", None, "EP784692A1"),
        ("JPH10207504A", "JP", "H10207504", "A", None, "JPH10207504A"),
        ("USD800118S", "US", "D800118", "S", None, "USD800118S"),
        ("USRE36823", "US", "RE36823", "", None, "USRE36823"),
        ("BRPI0706254A2", "BR", "PI0706254", "A2", None, "BRPI0706254A2"),
    ],
)
def test_publication_numbers(
    text: str, country: str, number: str, kind_code: str, patent_kind: str | None, canonical: str
) -> None:
    parsed = parse_patent_publication_number(text)
    assert (parsed.country, parsed.number, parsed.kind_code) == (country, number, kind_code)
    assert parsed.patent_kind == patent_kind
    assert parsed.text == str(parsed) == canonical
    assert parsed == PatentPublicationNumber(country, number, kind_code)


@pytest.mark.parametrize(
    "text", ["114911801A", "CN", "CNA", "CNH114911801A", "CN114911801AB", "C114911801A", "CN11491-1801A", ""]
)
def test_publication_invalid(text: str) -> None:
    _raises("format", parse_patent_publication_number, text)


# --------------------------------------------------------------------------- cross-check with python-stdnum

SAMPLES = 3000


def _corruptions(code: str, alphabet: str, rng: random.Random) -> list[str]:
    """Return one single-character corruption of ``code`` per position."""
    corrupted = []
    for index, char in enumerate(code):
        replacement = rng.choice([other for other in alphabet if other != char])
        corrupted.append(code[:index] + replacement + code[index + 1 :])
    return corrupted


def test_uscc_agrees_with_stdnum() -> None:
    uscc = pytest.importorskip("stdnum.cn.uscc")
    rng = random.Random(20261121)
    alphabet = identifiers.USCC_ALPHABET
    for _ in range(SAMPLES):
        # stdnum wants digits in positions 1-8, so draw the authority from 1-9.
        first17 = (
            rng.choice("123456789")
            + "".join(rng.choices("0123456789", k=7))
            + "".join(rng.choices(alphabet, k=9))
        )
        code = first17 + uscc_check_char(first17)
        assert uscc.calc_check_digit(first17) == code[-1]
        assert uscc.is_valid(code)
        assert validate_uscc(code) == code
        for bad in _corruptions(code, alphabet, rng):
            assert not uscc.is_valid(bad), bad
            with pytest.raises(IdentifierError):
                validate_uscc(bad)
        guess = first17 + rng.choice(alphabet)
        assert _accepts(validate_uscc, guess) == uscc.is_valid(guess), guess


def _stable_counties() -> list[str]:
    """Return six-digit division codes that stdnum's table marks valid in every year."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    counties, province = [], ""
    for line in text.splitlines():
        if line[:1].isdigit():
            province = line[:2]
        elif line.startswith("  ") and "[" not in line and not line.strip().startswith("0000"):
            counties.append(province + line.strip()[:4])
    return counties


def test_resident_id_agrees_with_stdnum() -> None:
    ric = pytest.importorskip("stdnum.cn.ric")
    rng = random.Random(11643)
    counties = _stable_counties()
    assert len(counties) > 300
    first_day, days = date(1900, 1, 1), (TODAY - date(1900, 1, 1)).days
    for _ in range(SAMPLES):
        born = first_day + timedelta(days=rng.randrange(days + 1))
        first17 = rng.choice(counties) + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
        number = first17 + resident_id_check_char(first17)
        assert ric.calc_check_digit(number) == number[-1]
        assert ric.is_valid(number), number
        assert validate_resident_id(number, today=TODAY) == number
        assert resident_id_birth_date(number, today=TODAY) == ric.get_birth_date(number) == born
        for bad in _corruptions(number, "0123456789X", rng):
            assert not ric.is_valid(bad), bad
            with pytest.raises(IdentifierError):
                validate_resident_id(bad, today=TODAY)
        guess = first17 + rng.choice("0123456789X")
        assert _accepts(validate_resident_id, guess, today=TODAY) == ric.is_valid(guess), guess


def _accepts(validate, value: str, **kwargs) -> bool:
    """Tell whether ``validate`` accepts ``value``."""
    try:
        validate(value, **kwargs)
    except IdentifierError:
        return False
    return True
