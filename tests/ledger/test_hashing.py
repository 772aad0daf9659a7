"""RFC 9162 hashing: known answers, second-preimage resistance, and the reference tree."""

import hashlib
import random

import pytest

from huhang.ledger import LEAF_PREFIX, NODE_PREFIX, SM3_SM2, empty_root, hash_children, hash_leaf, root_hash
from tests.ledger import reference

# The RFC 6962 test tree: its eight leaves and its roots at sizes 1..8, from transparency-dev/merkle
# (proof/verify_test.go, cmd/proofgen/main.go); see vectors/README.md.
RFC6962_LEAVES = [
    bytes.fromhex(h)
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
]
RFC6962_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_rfc6962_leaf_hash_vector():
    # transparency-dev/merkle rfc6962/rfc6962_test.go, "RFC6962 Leaf":
    # echo -n 004C313233343536 | xxd -r -p | sha256sum
    assert hash_leaf(b"L123456").hex() == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"


def test_rfc6962_empty_and_node_vectors():
    # Same file: "RFC6962 Empty" (sha256 of nothing) and "RFC6962 Node" (children "N123" and "N456").
    assert empty_root().hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert hash_children(b"N123", b"N456").hex() == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"


@pytest.mark.parametrize("size", range(1, 9), ids=lambda n: f"size={n}")
def test_rfc6962_test_tree_roots(size):
    assert root_hash(RFC6962_LEAVES[:size]).hex() == RFC6962_ROOTS[size - 1]


def test_empty_tree_is_hash_of_empty_string():
    assert root_hash([]) == hashlib.sha256(b"").digest() == empty_root()
    assert root_hash([], suite=SM3_SM2) == hashlib.new("sm3", b"").digest() == empty_root(suite=SM3_SM2)


def test_prefixes_are_the_rfc_ones():
    assert (LEAF_PREFIX, NODE_PREFIX) == (b"\x00", b"\x01")
    assert hash_leaf(b"x") == hashlib.sha256(b"\x00x").digest()
    assert hash_children(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


def test_second_preimage_a_node_does_not_pass_for_a_leaf():
    # The attack: present the concatenation of two child hashes as leaf data. Without the
    # 0x00/0x01 prefixes its leaf hash would equal the parent's hash.
    left, right = hash_leaf(b"a"), hash_leaf(b"b")
    assert hash_leaf(left + right) != hash_children(left, right)
    assert root_hash([left + right]) != root_hash([b"a", b"b"])


def test_children_order_matters():
    left, right = hash_leaf(b"a"), hash_leaf(b"b")
    assert hash_children(left, right) != hash_children(right, left)


def test_root_hash_accepts_any_iterable_of_bytes_like():
    leaves = [b"a", bytearray(b"b"), memoryview(b"c")]
    assert root_hash(iter(leaves)) == root_hash([b"a", b"b", b"c"])


@pytest.mark.parametrize("suite, hash_name", [(None, "sha256"), (SM3_SM2, "sm3")], ids=["sha256", "sm3"])
def test_root_hash_matches_reference_on_random_trees(suite, hash_name):
    rng = random.Random(20240611)
    for size in list(range(0, 70)) + [rng.randrange(70, 400) for _ in range(10)]:
        leaves = [rng.randbytes(rng.randrange(0, 40)) for _ in range(size)]
        assert root_hash(leaves, suite=suite) == reference.mth(leaves, hash_name), f"size={size}"


def test_suite_by_name_or_object():
    assert hash_leaf(b"x", suite="sm3-sm2") == hash_leaf(b"x", suite=SM3_SM2) == hashlib.new("sm3", b"\x00x").digest()
