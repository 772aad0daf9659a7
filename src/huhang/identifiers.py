"""Validate and parse the Chinese identifiers the platform stores.

This module is plain Python: it never imports Django, so forms, serializers,
importers and command-line tools can all share it.

Every check raises :class:`IdentifierError` (a ``ValueError``) carrying a
machine code in ``rule``, the expected check character in ``expected`` (or
``None``), an English message and a Chinese one in ``message_zh``.

Rule codes: ``length``, ``charset``, ``format`` (overall shape),
``authority`` (USCC registration authority), ``region`` (administrative
division), ``birth_date``, ``kind`` (patent type digit), ``year`` (patent
application year) and ``check_digit`` (wrong or missing check character).
Structural rules are checked first and the check character last, so a typo in
a birth date is reported as a bad date rather than as a bad check digit.

Input is normalised before checking: NFKC folds full-width characters to
ASCII, letters are upper-cased and whitespace is removed.

统一社会信用代码 (GB 32100-2015):

>>> validate_uscc("91110000600037341l")
'91110000600037341L'
>>> uscc_check_char("91110000600037341")
'L'
>>> validate_uscc("91110000600037341A")
Traceback (most recent call last):
    ...
huhang.identifiers.IdentifierError: check digit is 'A', expected 'L'

居民身份证号码 (GB 11643-1999):

>>> validate_resident_id("11010519491231002x")
'11010519491231002X'
>>> mask_resident_id("11010519491231002X")
'110105********002X'
>>> resident_id_birth_date("11010519491231002X")
datetime.date(1949, 12, 31)
>>> resident_id_sex("11010519491231002X")
'female'
>>> try:
...     validate_resident_id("110105194912310021")
... except IdentifierError as error:
...     print(error.rule, error.expected, error.message_zh)
check_digit X 校验码错误：应为 X，实为 1

专利申请号 / 专利号 (new format since 2003-10-01, old format before):

>>> app = parse_patent_application_number("ZL 2019 1 1044411.x")
>>> app.year, app.kind, app.serial, app.check_digit
(2019, 'invention', '1044411', 'X')
>>> app.number, app.patent_number
('201911044411.X', 'ZL201911044411.X')
>>> parse_patent_application_number("ZL97248479.5").number
'97248479.5'
>>> patent_check_digit("202010123456")
'2'

公布号 / 授权公告号 (no check digit):

>>> pub = parse_patent_publication_number("CN 114911801 A")
>>> pub.text, pub.patent_kind
('CN114911801A', 'invention')
>>> parse_patent_publication_number("EP784692A1").patent_kind is None
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "PATENT_KINDS",
    "RESIDENT_ID_PROVINCE_CODES",
    "USCC_ALPHABET",
    "IdentifierError",
    "PatentApplicationNumber",
    "PatentPublicationNumber",
    "mask_resident_id",
    "parse_patent_application_number",
    "parse_patent_publication_number",
    "patent_check_digit",
    "resident_id_birth_date",
    "resident_id_check_char",
    "resident_id_sex",
    "uscc_check_char",
    "validate_resident_id",
    "validate_uscc",
]


class IdentifierError(ValueError):
    """Report which rule an identifier broke.

    ``rule`` is a short machine code, ``expected`` the check character that
    would have been valid (only for ``check_digit`` errors), ``message_zh``
    the Chinese message for display.
    """

    def __init__(self, message: str, *, rule: str, message_zh: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.expected = expected
        self.message_zh = message_zh

    @property
    def message(self) -> str:
        """Return the English message."""
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the keyword attributes, which ``ValueError`` would drop."""
        return (_rebuild_error, (self.message, self.rule, self.message_zh, self.expected))


def _rebuild_error(message: str, rule: str, message_zh: str, expected: str | None) -> IdentifierError:
    """Recreate an unpickled :class:`IdentifierError`."""
    return IdentifierError(message, rule=rule, message_zh=message_zh, expected=expected)


# --------------------------------------------------------------------------- shared helpers

_DIGITS: Final = "0123456789"


def _normalise(text: str) -> str:
    """Fold full-width characters, upper-case and drop all whitespace."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(folded.split())


def _is_digits(text: str) -> bool:
    """Tell whether text is non-empty and made of ASCII digits only."""
    return bool(text) and all(char in _DIGITS for char in text)


def _require_length(text: str, length: int, name: str, name_zh: str) -> None:
    """Raise a ``length`` error unless text has exactly ``length`` characters."""
    if len(text) != length:
        raise IdentifierError(
            f"{name} must have {length} characters, got {len(text)}",
            rule="length",
            message_zh=f"{name_zh}长度错误：应为 {length} 位，实为 {len(text)} 位",
        )


def _require_charset(text: str, allowed: str, description: str, description_zh: str, offset: int = 0) -> None:
    """Raise a ``charset`` error naming the first character not in ``allowed``."""
    for index, char in enumerate(text, start=offset + 1):
        if char not in allowed:
            raise IdentifierError(
                f"character {char!r} at position {index} is not allowed: expected {description}",
                rule="charset",
                message_zh=f"第 {index} 位字符「{char}」无效：应为{description_zh}",
            )


def _check_digit_error(actual: str | None, expected: str) -> IdentifierError:
    """Build the error for a wrong or missing check character."""
    if actual is None:
        return IdentifierError(
            f"check digit is missing, expected {expected!r}",
            rule="check_digit",
            expected=expected,
            message_zh=f"缺少校验码：应为 {expected}",
        )
    return IdentifierError(
        f"check digit is {actual!r}, expected {expected!r}",
        rule="check_digit",
        expected=expected,
        message_zh=f"校验码错误：应为 {expected}，实为 {actual}",
    )


def _require_check_char(actual: str | None, expected: str) -> None:
    """Raise a ``check_digit`` error unless ``actual`` equals ``expected``."""
    if actual != expected:
        raise _check_digit_error(actual, expected)


# --------------------------------------------------------------------------- USCC (GB 32100-2015)

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of a USCC: digits and capitals without I, O, Z, S, V."""

_USCC_CHARSET: Final = (
    "a digit or a capital letter other than I, O, Z, S, V",
    "数字或除 I、O、Z、S、V 以外的大写字母",
)
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_USCC_AUTHORITIES: Final = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}


def uscc_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a USCC."""
    body = _normalise(first17)
    _require_length(body, 17, "the USCC body", "统一社会信用代码前 17 位")
    _require_charset(body, USCC_ALPHABET, *_USCC_CHARSET)
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[-total % 31]


def validate_uscc(code: str) -> str:
    """Check a 统一社会信用代码 and return it normalised.

    Check the length (18), the character set, the registration authority
    (position 1), the administrative division (positions 3–8, six digits) and
    the check character.
    """
    code = _normalise(code)
    _require_length(code, 18, "a USCC", "统一社会信用代码")
    _require_charset(code, USCC_ALPHABET, *_USCC_CHARSET)
    _require_uscc_authority(code[0])
    _require_uscc_region(code[2:8])
    _require_check_char(code[17], uscc_check_char(code[:17]))
    return code


def _require_uscc_authority(char: str) -> None:
    """Raise an ``authority`` error for an unknown registration authority code."""
    if char not in _USCC_AUTHORITIES:
        known = ", ".join(_USCC_AUTHORITIES)
        raise IdentifierError(
            f"registration authority code {char!r} (position 1) is not one of {known}",
            rule="authority",
            message_zh=f"登记管理部门代码「{char}」无效：应为 {'、'.join(_USCC_AUTHORITIES)} 之一",
        )


def _require_uscc_region(division: str) -> None:
    """Raise a ``region`` error unless the division code is six digits."""
    if not _is_digits(division):
        raise IdentifierError(
            f"administrative division code {division!r} (positions 3–8) must be 6 digits",
            rule="region",
            message_zh=f"登记管理机关行政区划码「{division}」无效：第 3–8 位应为 6 位数字",
        )


# --------------------------------------------------------------------------- resident ID (GB 11643-1999)

RESIDENT_ID_PROVINCE_CODES: Final = frozenset(
    {
        *("11", "12", "13", "14", "15", "21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65", "71", "81", "82", "83", "91"),
    }
)
"""First two digits accepted in a resident ID (province-level division).

11–82 are the province-level codes of GB/T 2260; 81, 82 and 83 also start the
residence permits of Hong Kong, Macao and Taiwan residents; 91 is kept for
foreigners' permanent-residence ID numbers.
"""

EARLIEST_BIRTH_DATE: Final = date(1900, 1, 1)
"""Default lower bound for the birth date in a resident ID."""

_RESIDENT_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK_CHARS: Final = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 resident-ID digits."""
    body = _normalise(first17)
    _require_length(body, 17, "the resident ID body", "身份证号码前 17 位")
    _require_charset(body, _DIGITS, "a digit", "数字")
    total = sum(int(char) * weight for char, weight in zip(body, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK_CHARS[total % 11]


def validate_resident_id(
    number: str, *, today: date | None = None, earliest: date = EARLIEST_BIRTH_DATE
) -> str:
    """Check a 居民身份证号码 and return it normalised (a final ``x`` becomes ``X``).

    Check the length (18), the characters (17 digits, then a digit or X), the
    province code, the birth date (a real date between ``earliest`` and
    ``today``, default today) and the check character.
    """
    number = _normalise_resident_id(number)
    _require_province(number[:2])
    _parse_birth_date(number[6:14], today=today or date.today(), earliest=earliest)
    _require_check_char(number[17], resident_id_check_char(number[:17]))
    return number


def _normalise_resident_id(number: str) -> str:
    """Normalise a resident ID and check its length and characters only."""
    number = _normalise(number)
    _require_length(number, 18, "a resident ID number", "身份证号码")
    _require_charset(number[:17], _DIGITS, "a digit", "数字")
    _require_charset(number[17], _DIGITS + "X", "a digit or X", "数字或 X", offset=17)
    return number


def _require_province(code: str) -> None:
    """Raise a ``region`` error for an unknown province code."""
    if code not in RESIDENT_ID_PROVINCE_CODES:
        raise IdentifierError(
            f"address code starts with {code!r}, which is not a province-level division code",
            rule="region",
            message_zh=f"地址码前两位「{code}」不是有效的省级行政区划代码",
        )


def _parse_birth_date(text: str, *, today: date, earliest: date) -> date:
    """Return the YYYYMMDD birth date, raising ``birth_date`` errors when it is impossible."""
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise _birth_date_error(
            f"birth date {text} is not a real date", f"出生日期 {text} 不是有效日期"
        ) from None
    if born > today:
        raise _birth_date_error(
            f"birth date {born.isoformat()} is in the future", f"出生日期 {born.isoformat()} 晚于今天"
        )
    if born < earliest:
        raise _birth_date_error(
            f"birth date {born.isoformat()} is before {earliest.isoformat()}",
            f"出生日期 {born.isoformat()} 早于 {earliest.isoformat()}",
        )
    return born


def _birth_date_error(message: str, message_zh: str) -> IdentifierError:
    """Build a ``birth_date`` error."""
    return IdentifierError(message, rule="birth_date", message_zh=message_zh)


def mask_resident_id(number: str) -> str:
    """Return the number with all but the first 6 and last 4 characters replaced by ``*``.

    Only the length and characters are checked, so a stored number can always
    be shown masked.
    """
    number = _normalise_resident_id(number)
    return number[:6] + "*" * 8 + number[-4:]


def resident_id_birth_date(
    number: str, *, today: date | None = None, earliest: date = EARLIEST_BIRTH_DATE
) -> date:
    """Validate a resident ID and return the birth date it encodes."""
    number = validate_resident_id(number, today=today, earliest=earliest)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def resident_id_sex(number: str, *, today: date | None = None, earliest: date = EARLIEST_BIRTH_DATE) -> str:
    """Validate a resident ID and return ``"male"`` (odd sequence) or ``"female"`` (even)."""
    number = validate_resident_id(number, today=today, earliest=earliest)
    return "male" if int(number[16]) % 2 else "female"


# --------------------------------------------------------------------------- patent application numbers

PATENT_KINDS: Final = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "pct_invention",
    "9": "pct_utility_model",
}
"""Type digit of an application number mapped to the kind of application."""

_TYPE_DIGITS: Final = {kind: digit for digit, kind in PATENT_KINDS.items()}
_PATENT_WEIGHTS: Final = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_NEW_FORMAT_FIRST_YEAR: Final = 2003
_APPLICATION_PREFIXES: Final = ("ZL", "CN")


def patent_check_digit(digits: str) -> str:
    """Return the check digit for 12 (new format) or 8 (old format) application-number digits.

    Weight the digits 2, 3, …, 9, 2, 3, 4, 5, sum, take mod 11; 10 is written X.
    """
    if len(digits) not in (8, 12):
        raise IdentifierError(
            f"an application number has 12 digits (8 before October 2003) before the check digit, "
            f"got {len(digits)}",
            rule="length",
            message_zh=f"申请号长度错误：校验位前应为 12 位（2003 年 10 月前为 8 位）数字，"
            f"实为 {len(digits)} 位",
        )
    _require_charset(digits, _DIGITS, "a digit", "数字")
    weights = _PATENT_WEIGHTS[: len(digits)]
    remainder = sum(int(char) * weight for char, weight in zip(digits, weights, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


@dataclass(frozen=True)
class PatentApplicationNumber:
    """Hold a parsed 专利申请号; ``str()`` gives the canonical number."""

    year: int
    kind: str
    serial: str
    check_digit: str

    def __post_init__(self) -> None:
        """Refuse field values that do not form a valid application number."""
        if self.kind not in _TYPE_DIGITS:
            raise ValueError(f"unknown patent application kind {self.kind!r}")
        if not (_is_digits(self.serial) and len(self.serial) in (5, 7)):
            raise ValueError(f"serial must be 7 digits (5 in the old format), got {self.serial!r}")
        if self.is_old_format and not 1985 <= self.year <= _NEW_FORMAT_FIRST_YEAR:
            raise ValueError(f"old-format numbers date from 1985 to 2003, got {self.year}")
        if not self.is_old_format and not _NEW_FORMAT_FIRST_YEAR <= self.year <= 9999:
            raise ValueError(f"new-format numbers date from 2003 on, got {self.year}")
        _require_check_char(self.check_digit, patent_check_digit(self.digits))

    @property
    def is_old_format(self) -> bool:
        """Tell whether this is a pre-October-2003 number (two-digit year, 5-digit serial)."""
        return len(self.serial) == 5

    @property
    def type_digit(self) -> str:
        """Return the type digit (1, 2, 3, 8 or 9)."""
        return _TYPE_DIGITS[self.kind]

    @property
    def digits(self) -> str:
        """Return the number without its check digit, e.g. ``201911044411``."""
        year = f"{self.year % 100:02d}" if self.is_old_format else f"{self.year:04d}"
        return f"{year}{self.type_digit}{self.serial}"

    @property
    def number(self) -> str:
        """Return the canonical application number, e.g. ``201911044411.X``."""
        return f"{self.digits}.{self.check_digit}"

    @property
    def patent_number(self) -> str:
        """Return the patent number, e.g. ``ZL201911044411.X``."""
        return f"ZL{self.number}"

    def __str__(self) -> str:
        """Return the canonical application number."""
        return self.number


def parse_patent_application_number(text: str, *, today: date | None = None) -> PatentApplicationNumber:
    """Parse a 专利申请号 or 专利号 in any common spelling.

    Accept an optional ``ZL`` or ``CN`` prefix, spaces, a dot before the check
    digit (or none), lower case and full-width characters. Check the length,
    the characters, the type digit, the year (new format: 2003 to next year
    relative to ``today``) and the check digit, which must be present.
    """
    digits, check = _split_application_number(text)
    old_format = len(digits) == 8
    kind = _application_kind(digits[2] if old_format else digits[4])
    year = _application_year(digits, old_format=old_format, today=today or date.today())
    _require_check_char(check, patent_check_digit(digits))
    serial = digits[3:] if old_format else digits[5:]
    return PatentApplicationNumber(year=year, kind=kind, serial=serial, check_digit=check or "")


def _split_application_number(text: str) -> tuple[str, str | None]:
    """Return the digits and the check character (None if absent) of an application number."""
    body = _normalise(text)
    for prefix in _APPLICATION_PREFIXES:
        body = body.removeprefix(prefix)
    body = body.replace(".", "")
    if len(body) in (8, 12):
        digits, check = body, None
    elif len(body) in (9, 13):
        digits, check = body[:-1], body[-1]
    else:
        raise IdentifierError(
            f"an application number has 12 digits and a check digit (8 and one before October 2003), "
            f"got {len(body)} characters",
            rule="length",
            message_zh=f"申请号长度错误：应为 12 位数字加 1 位校验码（2003 年 10 月前为 8 位加 1 位），"
            f"实为 {len(body)} 位",
        )
    _require_charset(digits, _DIGITS, "a digit", "数字")
    if check is not None:
        _require_charset(check, _DIGITS + "X", "0–9 or X", "0–9 或 X", offset=len(digits))
    return digits, check


def _application_kind(type_digit: str) -> str:
    """Map a type digit to a kind, raising a ``kind`` error for reserved digits."""
    try:
        return PATENT_KINDS[type_digit]
    except KeyError:
        raise IdentifierError(
            f"type digit {type_digit!r} is not 1 (invention), 2 (utility model), 3 (design), "
            f"8 or 9 (PCT application entering China)",
            rule="kind",
            message_zh=f"专利类型代码「{type_digit}」无效：应为 1（发明）、2（实用新型）、3（外观设计）、"
            f"8 或 9（进入中国国家阶段的 PCT 国际申请）",
        ) from None


def _application_year(digits: str, *, old_format: bool, today: date) -> int:
    """Return the filing year, raising a ``year`` error when it is out of range."""
    if old_format:
        short = int(digits[:2])
        if 85 <= short <= 99:
            return 1900 + short
        if short <= _NEW_FORMAT_FIRST_YEAR % 100:
            return 2000 + short
        raise _year_error(
            f"old-format year {digits[:2]!r} is not 85–99 or 00–03",
            f"旧格式申请号年份「{digits[:2]}」无效：应为 85–99 或 00–03",
        )
    year = int(digits[:4])
    if not _NEW_FORMAT_FIRST_YEAR <= year <= today.year + 1:
        raise _year_error(
            f"year {year} is outside {_NEW_FORMAT_FIRST_YEAR}–{today.year + 1}",
            f"申请年份 {year} 无效：应在 {_NEW_FORMAT_FIRST_YEAR}–{today.year + 1} 之间",
        )
    return year


def _year_error(message: str, message_zh: str) -> IdentifierError:
    """Build a ``year`` error."""
    return IdentifierError(message, rule="year", message_zh=message_zh)


# --------------------------------------------------------------------------- publication numbers

# Foreign offices put series letters before the digits: JPH10207504A, USD800118S, USRE36823, BRPI0706254A2.
_PUBLICATION_PATTERN: Final = re.compile(r"([A-Z]{2})([A-Z]{0,2}[0-9]+)([A-Z][0-9]?)?")
_CN_FIRST_DIGIT_KINDS: Final = {"1": "invention", "2": "utility_model", "3": "design"}
_CN_KIND_CODE_KINDS: Final = {
    "A": "invention",
    "B": "invention",
    "C": "invention",
    "U": "utility_model",
    "Y": "utility_model",
    "S": "design",
}


@dataclass(frozen=True)
class PatentPublicationNumber:
    """Hold a parsed publication or grant number; ``str()`` gives the canonical text."""

    country: str
    number: str
    kind_code: str = ""

    @property
    def text(self) -> str:
        """Return the canonical form, e.g. ``CN114911801A``."""
        return f"{self.country}{self.number}{self.kind_code}"

    @property
    def patent_kind(self) -> str | None:
        """Return the kind of a Chinese patent document, or None when unknown or foreign.

        A 9-digit CN number starts with 1 (invention), 2 (utility model) or
        3 (design); older numbers fall back on the kind code.
        """
        if self.country != "CN":
            return None
        if len(self.number) == 9:
            return _CN_FIRST_DIGIT_KINDS.get(self.number[0])
        return _CN_KIND_CODE_KINDS.get(self.kind_code[:1])

    def __str__(self) -> str:
        """Return the canonical text."""
        return self.text


def parse_patent_publication_number(text: str) -> PatentPublicationNumber:
    """Parse a 公布号 or 授权公告号 such as ``CN114911801A`` or a foreign one such as ``EP784692A1``."""
    body = _normalise(text)
    match = _PUBLICATION_PATTERN.fullmatch(body)
    if match is None or (match.group(1) == "CN" and not match.group(2).isdigit()):
        raise IdentifierError(
            f"{body!r} is not a publication number: expected a country code, digits and an optional "
            f"kind code, e.g. CN114911801A",
            rule="format",
            message_zh=f"「{body}」不是有效的公布号：应为国别代码、数字和可选的文献种类代码，如 CN114911801A",
        )
    country, number, kind_code = match.groups()
    return PatentPublicationNumber(country=country, number=number, kind_code=kind_code or "")
