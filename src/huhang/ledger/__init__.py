"""The core of the evidence ledger: a Certificate-Transparency-style Merkle log, in plain Python.

- :mod:`~huhang.ledger.hashing`: RFC 9162 leaf, node and tree hashes;
- :mod:`~huhang.ledger.proofs`: inclusion and consistency proofs, made and verified;
- :mod:`~huhang.ledger.nodes`: which stored nodes a proof needs, for logs that keep node hashes;
- :mod:`~huhang.ledger.compact`: the Merkle frontier, for cheap tree heads while appending;
- :mod:`~huhang.ledger.suites`: SHA-256/Ed25519 (default) or SM3/SM2 (国密), chosen per log;
- :mod:`~huhang.ledger.keys`, :mod:`~huhang.ledger.note`: C2SP signed notes and their keys;
- :mod:`~huhang.ledger.checkpoint`: C2SP checkpoints (signed tree heads);
- :mod:`~huhang.ledger.cosignature`: C2SP witness cosignatures;
- :mod:`~huhang.ledger.receipt`: evidence receipts, verified offline;
- :mod:`~huhang.ledger.timestamp`, :mod:`~huhang.ledger.timestamping`: RFC 3161 time-stamps of checkpoints.

It never imports Django. Every error it raises on bad input is a :class:`LedgerError`::

    LedgerError
     ├── ProofError
     │    └── RootMismatchError
     ├── NoteError
     │    ├── InvalidSignatureError
     │    └── UnverifiedNoteError
     ├── CheckpointError
     ├── ReceiptError (receipt)
     ├── WitnessError (witness) and its kinds
     └── SuiteError

See ``docs/ledger.md`` for the design and a worked example.
"""

from huhang.ledger.checkpoint import Checkpoint, format_checkpoint, open_checkpoint, parse_checkpoint
from huhang.ledger.compact import Frontier
from huhang.ledger.cosignature import (
    CosignatureSigner,
    CosignatureVerifier,
    cosignature_timestamp,
    cosigned_message,
    generate_cosigner_key,
    new_cosignature_signer,
    new_cosignature_verifier,
)
from huhang.ledger.errors import (
    CheckpointError,
    EntryRefused,
    InvalidSignatureError,
    LedgerError,
    NoteError,
    ProofError,
    RootMismatchError,
    SuiteError,
    UnverifiedNoteError,
)
from huhang.ledger.hashing import LEAF_PREFIX, NODE_PREFIX, empty_root, hash_children, hash_leaf, root_hash
from huhang.ledger.keys import is_valid_name, key_id
from huhang.ledger.nodes import NodeID, ProofNodes, consistency_nodes, inclusion_nodes, range_nodes
from huhang.ledger.note import (
    Note,
    NoteSignature,
    NoteSigner,
    NoteVerifier,
    Signer,
    Verifier,
    format_note,
    generate_key,
    new_signer,
    new_verifier,
    open_note,
    sign_note,
)
from huhang.ledger.proofs import consistency_proof, inclusion_proof, verify_consistency, verify_inclusion
from huhang.ledger.receipt import ReceiptError, VerifiedReceipt, verify_receipt
from huhang.ledger.suites import DEFAULT_SUITE, SHA256_ED25519, SM3_SM2, SUITES, Suite, get_suite

__all__ = [
    "DEFAULT_SUITE",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "SHA256_ED25519",
    "SM3_SM2",
    "SUITES",
    "Checkpoint",
    "CheckpointError",
    "CosignatureSigner",
    "CosignatureVerifier",
    "EntryRefused",
    "Frontier",
    "InvalidSignatureError",
    "LedgerError",
    "NodeID",
    "Note",
    "NoteError",
    "NoteSignature",
    "NoteSigner",
    "NoteVerifier",
    "ProofError",
    "ProofNodes",
    "ReceiptError",
    "RootMismatchError",
    "Signer",
    "Suite",
    "SuiteError",
    "UnverifiedNoteError",
    "VerifiedReceipt",
    "Verifier",
    "consistency_nodes",
    "consistency_proof",
    "cosignature_timestamp",
    "cosigned_message",
    "empty_root",
    "format_checkpoint",
    "format_note",
    "generate_cosigner_key",
    "generate_key",
    "get_suite",
    "hash_children",
    "hash_leaf",
    "inclusion_nodes",
    "inclusion_proof",
    "is_valid_name",
    "key_id",
    "new_cosignature_signer",
    "new_cosignature_verifier",
    "new_signer",
    "new_verifier",
    "open_checkpoint",
    "open_note",
    "parse_checkpoint",
    "range_nodes",
    "root_hash",
    "sign_note",
    "verify_consistency",
    "verify_inclusion",
    "verify_receipt",
]
