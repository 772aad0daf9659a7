"""Synthesise valid, unique identifiers for demo records from serial numbers.

Each identifier is a bijection of a serial number (scrambled by a keyed permutation so that neighbouring
serials do not look alike), so identifiers never collide within one run and need no lookup table, however
many records are generated. Check characters come from :mod:`huhang.identifiers`.

Plain Python: no Django import.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from huhang.identifiers import USCC_ALPHABET, patent_check_digit, resident_id_check_char, uscc_check_char

# GB 11714 organisation-code characters are valued 0–9 then A=10 … Z=35.
_ORG_CODE_VALUES: Final = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
# New-style subject codes (主体标识码, since the 2015 reform) start "MA", then six USCC characters.
_NEW_CODE_SPACE: Final = len(USCC_ALPHABET) ** 6
_OLD_CODE_SPACE: Final = 10**8
# Resident IDs: one birth date in this range and a three-digit sequence number per serial.
_BIRTH_FIRST: Final = dt.date(1950, 1, 1)
_BIRTH_DAYS: Final = (dt.date(2004, 12, 31) - _BIRTH_FIRST).days + 1
_PATENT_SERIAL_SPACE: Final = 10**7


def scramble(serial: int, space: int, salt: int = 0) -> int:
    """Map ``serial`` (0 <= serial < space) to a distinct, random-looking number in ``range(space)``.

    A four-round Feistel network keyed by ``salt`` permutes the smallest even-width bit range that holds
    ``space``; values outside ``range(space)`` are walked through the permutation again until they fall
    inside it (cycle walking), which keeps the map a permutation of ``range(space)``.
    """
    if not 0 <= serial < space:
        raise ValueError(f"serial {serial} is outside 0–{space - 1}")
    half = max(1, ((space - 1).bit_length() + 1) // 2)
    value = serial
    while True:
        value = _feistel(value, half, salt)
        if value < space:
            return value


def _feistel(value: int, half: int, salt: int) -> int:
    mask = (1 << half) - 1
    left, right = value >> half, value & mask
    for round_key in range(4):
        mixed = (right * 0x9E3779B1 + salt * 0x85EBCA6B + round_key * 0xC2B2AE35) & 0xFFFFFFFF
        mixed ^= mixed >> 15
        left, right = right, left ^ (mixed * 0x2C1B3C6D >> 7 & mask)
    return (left << half) | right


def organisation_code_check_char(body8: str) -> str:
    """Return the GB 11714 check character of an 8-character organisation code body."""
    total = sum(
        _ORG_CODE_VALUES[char] * weight for char, weight in zip(body8, _ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _base31(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, len(USCC_ALPHABET))
        chars.append(USCC_ALPHABET[digit])
    return "".join(reversed(chars))


def subject_code(serial: int, *, new_style: bool) -> str:
    """Return a 9-character subject code (USCC positions 9–17), unique for each (serial, style).

    Old style: an 8-digit organisation code; new style: ``MA`` and six USCC characters. Either ends with
    its GB 11714 check character.
    """
    if new_style:
        body = "MA" + _base31(scramble(serial, _NEW_CODE_SPACE, salt=1), 6)
    else:
        body = f"{scramble(serial, _OLD_CODE_SPACE, salt=2):08d}"
    return body + organisation_code_check_char(body)


def uscc(serial: int, *, authority_category: str, region: str, new_style: bool) -> str:
    """Return a valid 统一社会信用代码 for ``serial``.

    ``authority_category`` is positions 1–2 (``91`` enterprise, ``12`` public institution, ``51`` social
    organisation…), ``region`` the six-digit division code (positions 3–8).
    """
    first17 = f"{authority_category}{region}{subject_code(serial, new_style=new_style)}"
    return first17 + uscc_check_char(first17)


def resident_id(serial: int, *, region: str) -> str:
    """Return a valid 居民身份证号码 in ``region`` whose birth date and sequence are unique per serial."""
    mixed = scramble(serial, _BIRTH_DAYS * 1000, salt=3)
    days, sequence = mixed % _BIRTH_DAYS, mixed // _BIRTH_DAYS
    birth = _BIRTH_FIRST + dt.timedelta(days=days)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def patent_application_number(serial: int, *, year: int, type_digit: str) -> str:
    """Return an application number ``YYYYTNNNNNNN.C``, unique per (year, type digit, serial)."""
    mixed = scramble(serial, _PATENT_SERIAL_SPACE, salt=year * 10 + int(type_digit))
    digits = f"{year:04d}{type_digit}{mixed:07d}"
    return f"{digits}.{patent_check_digit(digits)}"


def patent_publication_number(serial: int, *, first_digit: str, kind_code: str) -> str:
    """Return a CN publication number ``CN<first digit><8 digits><kind code>``, unique per serial."""
    return f"CN{first_digit}{scramble(serial, 10**8, salt=int(first_digit)):08d}{kind_code}"
