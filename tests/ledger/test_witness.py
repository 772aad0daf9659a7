"""A witness cosigns only consistent checkpoints of logs it trusts, refuses forks, and remembers across restarts."""

import sqlite3
import threading

import pytest

from huhang.ledger.checkpoint import open_checkpoint
from huhang.ledger.cosignature import cosignature_timestamp
from huhang.ledger.note import open_note
from huhang.ledger.witness import (
    FORK,
    INCONSISTENT,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    ForkError,
    InconsistentError,
    UnknownLogError,
    Witness,
    WitnessStore,
)
from tests.ledger.test_witness_support import LogKey, make_witness, new_cosigner_key, signed_log, sqlite_url

NOW = 1_750_000_000


@pytest.fixture
def origin(origin_prefix):
    return f"{origin_prefix}/evidence"


@pytest.fixture
def key(origin):
    return LogKey.new(origin)


@pytest.fixture
def log(store_url, origin, key):
    log = signed_log(store_url, origin, key)
    yield log
    log.store.close()


@pytest.fixture
def witness_db(tmp_path, store_url):
    """The witness's own database: the suite's PostgreSQL when it runs there, else a SQLite file."""
    return store_url if store_url.startswith(("postgres://", "postgresql://")) else str(tmp_path / "witness.sqlite3")


@pytest.fixture
def witness_key():
    return new_cosigner_key("witness.example/w1")


@pytest.fixture
def witness(witness_db, witness_key, key):
    witness = make_witness(witness_db, witness_key, key, clock=lambda: NOW)
    yield witness
    witness.store.close()


def grow(log, count: int, tag: str = "e") -> str:
    """Append ``count`` entries; return the new signed checkpoint note."""
    start = log.size
    return log.append([f"{tag}{i}".encode() for i in range(start, start + count)]).checkpoint.note


def test_first_checkpoint_is_trusted_on_first_use_and_cosigned(witness, log, key):
    note = grow(log, 3)
    lines = witness.add_checkpoint(0, [], note)
    opened = open_note(note + lines, witness.verifiers)
    (cosignature,) = opened.signatures
    assert cosignature.name == "witness.example/w1" and cosignature_timestamp(cosignature) == NOW
    state = witness.latest(log.origin)
    assert (state.size, state.root, state.note) == (3, log.root(), note)
    assert [h.size for h in witness.store.history(log.origin)] == [3]


def test_growing_checkpoints_are_cosigned_with_a_consistency_proof(witness, log):
    witness.add_checkpoint(0, [], grow(log, 5))
    for count in (1, 7, 300):
        old = log.size
        note = grow(log, count)
        witness.add_checkpoint(old, log.consistency_proof(old), note)
    assert witness.latest(log.origin).size == 313
    assert [h.size for h in witness.store.history(log.origin)] == [5, 6, 13, 313]


def test_the_same_checkpoint_is_cosigned_again_with_a_fresh_time(witness_db, witness_key, log, key):
    times = iter([NOW, NOW + 60])
    witness = make_witness(witness_db, witness_key, key, clock=lambda: next(times))
    note = grow(log, 2)
    first = witness.add_checkpoint(0, [], note)
    again = witness.add_checkpoint(2, [], note)
    stamps = [
        cosignature_timestamp(open_note(note + lines, witness.verifiers).signatures[0]) for lines in (first, again)
    ]
    assert stamps == [NOW, NOW + 60]
    witness.store.close()


def test_an_unknown_origin_is_not_found(witness, store_url, origin_prefix, tmp_path):
    other_key = LogKey.new(f"{origin_prefix}/other")
    other = signed_log(sqlite_url(tmp_path / "other.sqlite3"), other_key.verifier.name, other_key)
    with pytest.raises(UnknownLogError):
        witness.add_checkpoint(0, [], grow(other, 1))
    other.store.close()


def test_a_checkpoint_signed_by_another_key_of_the_same_name_is_forbidden(witness, origin, tmp_path):
    impostor = LogKey.new(origin)  # same name, another key: the witness trusts only the configured one
    fake = signed_log(sqlite_url(tmp_path / "impostor.sqlite3"), origin, impostor)
    with pytest.raises(ForbiddenError):
        witness.add_checkpoint(0, [], grow(fake, 1))
    assert witness.latest(origin) is None
    fake.store.close()


def test_a_modified_checkpoint_is_forbidden(witness, log):
    note = grow(log, 4)
    tampered = note.replace("\n4\n", "\n5\n", 1)
    with pytest.raises(ForbiddenError):
        witness.add_checkpoint(0, [], tampered)
    assert witness.latest(log.origin) is None


def test_malformed_checkpoints_and_requests_are_bad_requests(witness, log):
    note = grow(log, 4)
    with pytest.raises(BadRequestError):
        witness.add_checkpoint(0, [], note.replace("\n\n", "\n"))  # no signature block
    with pytest.raises(BadRequestError):
        witness.add_checkpoint(0, [], b"\xff" + note.encode())
    with pytest.raises(BadRequestError):
        witness.add_checkpoint(5, [], note)  # old size beyond the checkpoint
    with pytest.raises(BadRequestError):
        witness.add_checkpoint(-1, [], note)
    with pytest.raises(BadRequestError):
        witness.add_checkpoint(0, [b"\x00" * 32] * 64, note)


def test_a_wrong_old_size_is_a_conflict_carrying_the_witness_size(witness, log):
    note = grow(log, 4)
    with pytest.raises(ConflictError) as never_seen:
        witness.add_checkpoint(2, log.consistency_proof(2), note)
    assert never_seen.value.size == 0
    witness.add_checkpoint(0, [], note)
    newer = grow(log, 4)
    for stale in (0, 2, 6):
        with pytest.raises(ConflictError) as conflict:
            witness.add_checkpoint(stale, log.consistency_proof(stale) if stale else [], newer)
        assert conflict.value.size == 4
    witness.add_checkpoint(4, log.consistency_proof(4), newer)


def test_truncated_modified_and_padded_proofs_are_refused(witness, log):
    witness.add_checkpoint(0, [], grow(log, 5))
    note = grow(log, 6)
    proof = log.consistency_proof(5)
    assert len(proof) >= 2
    flipped = bytes([proof[-1][0] ^ 1]) + proof[-1][1:]
    for bad in (proof[:-1], proof[1:], [*proof[:-1], flipped], [*proof, proof[0]], [], list(reversed(proof))):
        with pytest.raises(InconsistentError):
            witness.add_checkpoint(5, bad, note)
    assert witness.latest(log.origin).size == 5
    witness.add_checkpoint(5, proof, note)
    assert witness.latest(log.origin).size == 11


def test_a_proof_is_refused_from_size_zero_and_at_the_same_size(witness, log):
    note = grow(log, 3)
    with pytest.raises(InconsistentError):
        witness.add_checkpoint(0, [log.root()], note)
    witness.add_checkpoint(0, [], note)
    with pytest.raises(InconsistentError):
        witness.add_checkpoint(3, [log.root()], note)
    assert witness.evidence(log.origin) == []  # neither shows the log misbehaving


def test_a_fork_at_the_same_size_is_refused_and_recorded(witness, log, key, origin, tmp_path):
    witness.add_checkpoint(0, [], grow(log, 4))
    other = signed_log(sqlite_url(tmp_path / "split.sqlite3"), origin, key)  # same key, other entries
    forked = grow(other, 4, tag="other")
    for _ in range(2):
        with pytest.raises(ForkError) as refused:
            witness.add_checkpoint(4, [], forked)
    assert witness.latest(origin).root == log.root()
    (evidence,) = witness.evidence(origin)  # recorded once
    assert refused.value.evidence == evidence and evidence.kind == FORK
    witnessed, submitted = evidence.verify(key.verifier)
    assert witnessed.size == submitted.size == 4 and witnessed.root_hash != submitted.root_hash
    assert (witnessed.root_hash, submitted.root_hash) == (log.root(), other.root())
    other.store.close()


def test_an_inconsistent_larger_checkpoint_is_refused_and_recorded(witness, log, key, origin, tmp_path):
    witness.add_checkpoint(0, [], grow(log, 4))
    other = signed_log(sqlite_url(tmp_path / "split.sqlite3"), origin, key)
    forked = grow(other, 9, tag="other")
    with pytest.raises(InconsistentError) as refused:
        witness.add_checkpoint(4, other.consistency_proof(4), forked)
    evidence = refused.value.evidence
    assert evidence.kind == INCONSISTENT and evidence.proof == tuple(other.consistency_proof(4))
    witnessed, submitted = evidence.verify(key.verifier)
    assert (witnessed.size, submitted.size) == (4, 9)
    assert witness.evidence(origin) == [evidence]
    other.store.close()


def test_a_restarted_witness_remembers_and_refuses_a_fork(witness_db, witness_key, log, key, origin, tmp_path):
    first = make_witness(witness_db, witness_key, key)
    first.add_checkpoint(0, [], grow(log, 6))
    first.store.close()
    del first

    again = make_witness(witness_db, witness_key, key)
    other = signed_log(sqlite_url(tmp_path / "split.sqlite3"), origin, key)
    with pytest.raises(ForkError):
        again.add_checkpoint(6, [], grow(other, 6, tag="other"))
    with pytest.raises(ConflictError) as conflict:
        again.add_checkpoint(0, [], grow(other, 1, tag="more"))
    assert conflict.value.size == 6
    note = grow(log, 2)
    again.add_checkpoint(6, log.consistency_proof(6), note)
    assert again.latest(origin).size == 8
    again.store.close()
    other.store.close()


@pytest.mark.parametrize("shared", [True, False], ids=["one-witness", "two-processes"])
def test_racing_submissions_from_one_old_size_have_exactly_one_winner(witness_db, witness_key, log, key, shared):
    witness = make_witness(witness_db, witness_key, key)
    witness.add_checkpoint(0, [], grow(log, 10))
    notes = [grow(log, 1) for _ in range(8)]  # sizes 11..18, each consistent with size 10
    proofs = [log.consistency_proof(10, size) for size in range(11, 19)]
    witnesses = [witness if shared else make_witness(witness_db, witness_key, key) for _ in notes]
    barrier = threading.Barrier(len(notes))
    results: list = [None] * len(notes)

    def submit(i: int) -> None:
        barrier.wait()
        try:
            results[i] = witnesses[i].add_checkpoint(10, proofs[i], notes[i])
        except ConflictError as error:
            results[i] = error

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(notes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [i for i, result in enumerate(results) if isinstance(result, str)]
    assert len(winners) == 1, results
    won = 11 + winners[0]
    assert all(result.size == won for result in results if isinstance(result, ConflictError))
    assert witness.latest(log.origin).size == won
    assert [h.size for h in witness.store.history(log.origin)] == [10, won]
    for other in {id(w): w for w in witnesses}.values():
        other.store.close()


def test_history_and_evidence_are_append_only(witness, log, witness_db, key, tmp_path):
    witness.add_checkpoint(0, [], grow(log, 1))
    other = signed_log(sqlite_url(tmp_path / "split.sqlite3"), log.origin, key)
    with pytest.raises(ForkError):
        witness.add_checkpoint(1, [], grow(other, 1, tag="other"))
    other.store.close()
    if witness.store.vendor == "sqlite":
        connect, error = lambda: sqlite3.connect(witness_db, isolation_level=None), sqlite3.DatabaseError
    else:
        import psycopg

        connect, error = lambda: psycopg.connect(witness_db, autocommit=True), psycopg.Error
    conn = connect()
    for table in ("witness_history", "witness_evidence"):
        for statement in (f"UPDATE {table} SET origin = 'x'", f"DELETE FROM {table}"):
            with pytest.raises(error, match="append-only"):
                conn.execute(statement)
    conn.close()


def test_a_size_zero_checkpoint_must_have_the_empty_root(witness, log, key):
    from huhang.ledger.checkpoint import Checkpoint, format_checkpoint
    from huhang.ledger.note import new_signer, sign_note

    body = format_checkpoint(Checkpoint(log.origin, 0, b"\x01" * 32))
    with pytest.raises(InconsistentError):
        witness.add_checkpoint(0, [], sign_note(body, [new_signer(key.signer_key)]))


def test_a_witness_follows_an_sm2_log_with_sm3_proofs(tmp_path, origin_prefix, witness_key):
    key = LogKey.new(f"{origin_prefix}/sm", suite="sm3-sm2")
    log = signed_log(sqlite_url(tmp_path / "sm.sqlite3"), key.verifier.name, key)
    witness = make_witness(tmp_path / "w.sqlite3", witness_key, key)
    witness.add_checkpoint(0, [], grow(log, 3))
    note = grow(log, 5)
    lines = witness.add_checkpoint(3, log.consistency_proof(3), note)
    checkpoint, opened = open_checkpoint(note + lines, key.verifier, others=witness.verifiers, suite="sm3-sm2")
    assert checkpoint.size == 8 and len(opened.signatures) == 2
    with pytest.raises(InconsistentError):
        witness.add_checkpoint(8, [], grow(log, 1))
    log.store.close()
    witness.store.close()


def test_a_witness_needs_a_file_or_a_database_and_a_key(tmp_path, key):
    with pytest.raises(ValueError, match="memory"):
        WitnessStore("sqlite://")
    with pytest.raises(ValueError, match="unsupported"):
        WitnessStore("mysql://host/db")
    with pytest.raises(ValueError, match="cosigner"):
        Witness(tmp_path / "w.sqlite3", [], {key.verifier.name: key.verifier})
