"""Where a Merkle tree node lives in the log's storage: tiles of 256 hashes and the levels inside them.

The log stores the tree as *tiles*, in the manner of C2SP tlog-tiles: a tile of tile-level ``T`` and
index ``t`` covers the 256 consecutive nodes of tree level ``8*T`` numbered ``256*t .. 256*t + 255``.
Unlike tlog-tiles, a stored tile also keeps the seven levels of interior nodes above its bottom row
(``8*T + 1 .. 8*T + 7``), so that any node of a complete subtree is read, never recomputed:

    offset of level r (0..7) in the tile = 512 - (512 >> r);  width of level r = 256 >> r

A tile holds ``510`` hashes (``256 + 128 + … + 2``). Only full tiles are stored; the incomplete tiles of
the tree's right edge are kept in memory by the log and rebuilt from the stored entries at start-up.
Node ids are ``(level, index)``: level 0 are leaf hashes, index counts from the left, both from zero.
"""

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
HASHES_PER_TILE = 2 * TILE_WIDTH - 2


def level_offset(r: int) -> int:
    """Return the position, in hashes, of within-tile level ``r`` (0..7) in a stored tile."""
    return 2 * TILE_WIDTH - ((2 * TILE_WIDTH) >> r)


def node_tile(level: int, index: int) -> tuple[int, int, int, int]:
    """Return ``(tile_level, tile_index, r, position)`` of node ``(level, index)``.

    ``r`` is the node's level inside the tile and ``position`` its index in the tile's hash array.
    """
    tile_level, r = divmod(level, TILE_HEIGHT)
    shift = TILE_HEIGHT - r
    tile_index = index >> shift
    return tile_level, tile_index, r, level_offset(r) + (index - (tile_index << shift))


def build_tile(bottom: list[bytes], hash_children) -> bytes:
    """Return the stored form of a full tile whose bottom row is ``bottom`` (256 hashes).

    The result concatenates levels 0..7; the tile's root (level 8) is not stored: it is one node of the
    bottom row of the tile above, computed with :func:`tile_root`.
    """
    if len(bottom) != TILE_WIDTH:
        raise ValueError(f"a full tile has {TILE_WIDTH} hashes, got {len(bottom)}")
    rows = [bottom]
    row = bottom
    for _ in range(TILE_HEIGHT - 1):
        row = [hash_children(row[i], row[i + 1]) for i in range(0, len(row), 2)]
        rows.append(row)
    return b"".join(h for row in rows for h in row)


def tile_root(tile: bytes, hash_children, size: int = 32) -> bytes:
    """Return the hash of the subtree a stored full tile covers (its level-8 node)."""
    top = level_offset(TILE_HEIGHT - 1) * size
    return hash_children(tile[top : top + size], tile[top + size : top + 2 * size])


def tile_node(tile: bytes, position: int, size: int = 32) -> bytes:
    return tile[position * size : (position + 1) * size]
