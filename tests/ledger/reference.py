"""A slow, obviously correct Merkle tree: RFC 9162 §2.1's recursive definitions, transcribed.

Test-only. It exists to check the fast code in :mod:`huhang.ledger` on many trees; nothing here
is optimised, and every function follows the RFC's text line by line.
"""

import hashlib


def _hash(data: bytes, hash_name: str) -> bytes:
    return hashlib.new(hash_name, data).digest()


def largest_power_of_two_below(n: int) -> int:
    """Return k, the largest power of two smaller than n (RFC 9162: k < n <= 2k). Requires n > 1."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: list[bytes], hash_name: str = "sha256") -> bytes:
    """MTH(D[n]) of RFC 9162 §2.1.1."""
    n = len(leaves)
    if n == 0:
        return _hash(b"", hash_name)
    if n == 1:
        return _hash(b"\x00" + leaves[0], hash_name)
    k = largest_power_of_two_below(n)
    return _hash(b"\x01" + mth(leaves[:k], hash_name) + mth(leaves[k:], hash_name), hash_name)


def path(m: int, leaves: list[bytes], hash_name: str = "sha256") -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1: the inclusion proof of leaf m."""
    n = len(leaves)
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return [*path(m, leaves[:k], hash_name), mth(leaves[k:], hash_name)]
    return [*path(m - k, leaves[k:], hash_name), mth(leaves[:k], hash_name)]


def proof(m: int, leaves: list[bytes], hash_name: str = "sha256") -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the consistency proof from size m to size n."""
    return subproof(m, leaves, True, hash_name)


def subproof(m: int, leaves: list[bytes], b: bool, hash_name: str = "sha256") -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1."""
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves, hash_name)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return [*subproof(m, leaves[:k], b, hash_name), mth(leaves[k:], hash_name)]
    return [*subproof(m - k, leaves[k:], False, hash_name), mth(leaves[:k], hash_name)]
