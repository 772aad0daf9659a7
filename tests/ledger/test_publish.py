"""The publisher gets checkpoints cosigned by a quorum of witnesses; a split view never reaches a quorum."""

import time

import pytest

from huhang.ledger.errors import InvalidSignatureError, NoteError
from huhang.ledger.publisher import (
    Publisher,
    QuorumError,
    WitnessEndpoint,
    http_transport,
    open_cosigned_checkpoint,
)
from huhang.ledger.witness import FORK, INCONSISTENT, ForkError, InconsistentError
from huhang.ledger.witness_http import WitnessApp
from tests.ledger.test_witness_support import (
    InProcessTransport,
    LogKey,
    make_witness,
    new_cosigner_key,
    serve,
    signed_log,
    sqlite_url,
)

W1, W2, W3 = "witness.court.example/w1", "witness.customs.example/w2", "witness.xiaogan.example/w3"


@pytest.fixture
def key(origin_prefix):
    return LogKey.new(f"{origin_prefix}/evidence")


@pytest.fixture
def log(store_url, key):
    log = signed_log(store_url, key.verifier.name, key)
    yield log
    log.store.close()


@pytest.fixture
def witnesses(tmp_path, key):
    """Three witnesses, each with its own SQLite database, following the log of ``key``."""
    made = {
        name: make_witness(tmp_path / f"w{i}.sqlite3", new_cosigner_key(name), key)
        for i, name in enumerate((W1, W2, W3))
    }
    yield made
    for witness in made.values():
        witness.store.close()


@pytest.fixture
def transport(witnesses):
    return InProcessTransport({url_of(name): WitnessApp(w) for name, w in witnesses.items()})


def url_of(name: str) -> str:
    return "http://" + name.replace("/", "-") + ".test"


def endpoints(witnesses, *names) -> list[WitnessEndpoint]:
    return [WitnessEndpoint.of(n, url_of(n), witnesses[n].verifiers[0]) for n in names]


def grow(log, count: int, tag: str = "e") -> None:
    start = log.size
    log.append([f"{tag}{i}".encode() for i in range(start, start + count)])


def olds(transport) -> list[str]:
    """The old-size lines of the requests sent so far."""
    return [body.split(b"\n", 1)[0].decode() for _, body in transport.requests]


def test_a_quorum_of_cosignatures_publishes_the_checkpoint(log, key, witnesses, transport):
    grow(log, 5)
    with Publisher(log, endpoints(witnesses, W1, W2), 2, transport=transport) as publisher:
        result = publisher.publish_once()
        assert result.published and result.size == 5 and result.cosigners == (W1, W2)
        assert publisher.latest_publication() == (5, result.note)
        verifiers = [witnesses[W1].verifiers[0], witnesses[W2].verifiers[0]]
        checkpoint, _, names = open_cosigned_checkpoint(result.note, key.verifier, verifiers, 2)
        assert (checkpoint.size, checkpoint.root_hash, names) == (5, log.root(), (W1, W2))

        sent = len(transport.requests)
        assert publisher.publish_once().published  # idempotent: nothing asked, nothing written
        assert len(transport.requests) == sent
        assert log.store.publications(log.record.id) == [(5, result.note)]

        grow(log, 10)
        assert publisher.publish_once().published
        assert olds(transport)[sent:] == ["old 5", "old 5"]  # with a consistency proof from 5
        assert [size for size, _ in log.store.publications(log.record.id)] == [5, 15]
        assert publisher.witness_sizes == {W1: 15, W2: 15}


def test_a_new_publisher_learns_each_witness_size_from_409(log, witnesses, transport):
    grow(log, 5)
    with Publisher(log, endpoints(witnesses, W1, W2), 2, transport=transport) as first:
        assert first.publish_once().published
    grow(log, 3)
    transport.requests.clear()
    with Publisher(log, endpoints(witnesses, W1, W2), 2, transport=transport) as restarted:
        result = restarted.publish_once()
    assert result.published and result.size == 8
    assert sorted(olds(transport)) == ["old 0", "old 0", "old 5", "old 5"]
    assert witnesses[W1].latest(log.origin).size == 8


def test_a_publisher_behind_another_one_catches_up(log, witnesses, transport):
    grow(log, 4)
    slow = Publisher(log, endpoints(witnesses, W1), 1, transport=transport)
    fast = Publisher(log, endpoints(witnesses, W1), 1, transport=transport)
    assert slow.publish_once().published
    grow(log, 4)
    assert fast.publish_once().published  # learns 4 from a 409, then moves the witness to 8
    grow(log, 4)
    transport.requests.clear()
    assert slow.publish_once().published  # believes 4; told 8; proves 8 -> 12
    assert olds(transport) == ["old 4", "old 8"]
    slow.close()
    fast.close()


def test_no_quorum_no_publication_and_cosignatures_are_kept_for_the_next_round(log, witnesses, transport):
    grow(log, 3)
    transport.down.add(url_of(W2))
    with Publisher(log, endpoints(witnesses, W1, W2), 2, transport=transport) as publisher:
        result = publisher.publish_once()
        assert not result.published and result.cosigners == (W1,)
        assert "cannot reach" in result.failures[W2]
        assert publisher.latest_publication() is None
        transport.down.clear()
        transport.requests.clear()
        result = publisher.publish_once()
        assert result.published and result.cosigners == (W1, W2)
        assert [base for base, _ in transport.requests] == [url_of(W2)]  # W1's cosignature was kept


def test_a_quorum_below_the_number_of_witnesses_tolerates_one_down(log, witnesses, transport):
    grow(log, 3)
    transport.down.add(url_of(W3))
    with Publisher(log, endpoints(witnesses, W1, W2, W3), 2, transport=transport) as publisher:
        result = publisher.publish_once()
    assert result.published and result.cosigners == (W1, W2) and set(result.failures) == {W3}


def test_quorum_zero_publishes_the_log_own_signed_checkpoint(log):
    with Publisher(log, [], 0) as publisher:
        assert publisher.publish_once().size is None  # an empty log has nothing to publish
        grow(log, 2)
        result = publisher.publish_once()
    assert result.published and result.note == log.latest_checkpoint().note


def test_cosignatures_by_a_wrong_key_or_tampered_are_not_counted(log, witnesses, transport):
    grow(log, 3)
    wrong = WitnessEndpoint.of(W2, url_of(W2), make_key_verifier(W2))  # W2's name, another key
    with Publisher(log, [*endpoints(witnesses, W1), wrong], 2, transport=transport) as publisher:
        result = publisher.publish_once()
    assert not result.published and "no valid cosignature" in result.failures[W2]

    def tampering(url, body, timeout):
        status, content_type, answer = transport(url, body, timeout)
        return status, content_type, answer[:-6] + (b"AAAA=\n" if answer[-6:] != b"AAAA=\n" else b"BBBB=\n")

    with Publisher(log, endpoints(witnesses, W1), 1, transport=tampering) as publisher:
        result = publisher.publish_once()
    assert not result.published and W1 in result.failures


def make_key_verifier(name: str):
    from huhang.ledger.cosignature import generate_cosigner_key, new_cosignature_verifier

    return new_cosignature_verifier(generate_cosigner_key(name)[1])


def test_a_publisher_refuses_impossible_configurations(log, witnesses):
    two = endpoints(witnesses, W1, W2)
    with pytest.raises(ValueError, match="quorum"):
        Publisher(log, two, 3)
    with pytest.raises(ValueError, match="quorum"):
        Publisher(log, two, -1)
    with pytest.raises(ValueError, match="share a name"):
        Publisher(log, [two[0], two[0]], 1)
    with pytest.raises(ValueError, match="named"):
        WitnessEndpoint.of("someone-else", "http://x.test", witnesses[W1].verifiers[0])
    with pytest.raises(ValueError, match="http"):
        WitnessEndpoint.of(W1, "file:///etc/passwd", witnesses[W1].verifiers[0])


def test_the_background_thread_publishes_new_checkpoints(log, witnesses, transport):
    publisher = Publisher(log, endpoints(witnesses, W1, W2), 2, transport=transport, interval=0.02)
    publisher.start()
    try:
        for size in (3, 9, 10):
            grow(log, size - log.size)
            deadline = time.monotonic() + 10
            while (publisher.latest_publication() or (0,))[0] != size and time.monotonic() < deadline:
                time.sleep(0.01)
            assert publisher.latest_publication()[0] == size
    finally:
        publisher.close()


def test_publishing_through_real_witness_servers(log, key, witnesses):
    grow(log, 7)
    with serve(WitnessApp(witnesses[W1])) as url1, serve(WitnessApp(witnesses[W2])) as url2:
        configured = [
            (W1, url1, witnesses[W1].verifiers[0].key),
            (W2, url2 + "/", witnesses[W2].verifiers[0].key),
            (W3, "http://127.0.0.1:9/", witnesses[W3].verifiers[0].key),  # nothing listens there
        ]
        with Publisher(log, configured, 2, transport=http_transport, timeout=5) as publisher:
            result = publisher.publish_once()
            grow(log, 1)
            again = publisher.publish_once()
        grow(log, 2)
        with Publisher(log, configured[:2], 2, transport=http_transport, timeout=5) as restarted:
            third = restarted.publish_once()  # learns each witness's size from a 409 over HTTP
            assert restarted.witness_sizes == {W1: 10, W2: 10}
    assert result.published and result.cosigners == (W1, W2) and "cannot reach" in result.failures[W3]
    assert again.published and again.size == 8 and third.published and third.size == 10
    open_cosigned_checkpoint(again.note, key.verifier, [w.verifiers[0] for w in witnesses.values()], 2)


def test_a_verifier_demanding_a_quorum_rejects_fewer_or_bad_cosignatures(log, key, witnesses, transport):
    grow(log, 4)
    with Publisher(log, endpoints(witnesses, W1), 1, transport=transport) as publisher:
        one = publisher.publish_once().note
    trusted = [witnesses[W1].verifiers[0], witnesses[W2].verifiers[0]]
    assert open_cosigned_checkpoint(one, key.verifier, trusted, 1)[2] == (W1,)
    with pytest.raises(QuorumError, match="1 trusted witnesses"):
        open_cosigned_checkpoint(one, key.verifier, trusted, 2)
    with pytest.raises(QuorumError):  # a cosignature from a witness the verifier does not trust counts for nothing
        open_cosigned_checkpoint(one, key.verifier, [witnesses[W2].verifiers[0]], 1)
    line = one.rstrip("\n").rsplit("\n", 1)[1]
    tampered = one.replace(line, line[:-6] + ("AAAA==" if not line.endswith("AAAA==") else "BBBB=="))
    with pytest.raises(InvalidSignatureError):
        open_cosigned_checkpoint(tampered, key.verifier, trusted, 1)
    with pytest.raises(NoteError):
        open_cosigned_checkpoint(one, LogKey.new(log.origin).verifier, trusted, 1)  # the log's key is wrong


def test_split_view_is_never_published_and_is_proven(tmp_path, origin_prefix):
    """A dishonest log shows tree A to witness 1 and tree B to witness 2 (same origin and key)."""
    origin = f"{origin_prefix}/split"
    key = LogKey.new(origin)
    view_a = signed_log(sqlite_url(tmp_path / "view-a.sqlite3"), origin, key)
    view_b = signed_log(sqlite_url(tmp_path / "view-b.sqlite3"), origin, key)
    w1 = make_witness(tmp_path / "w1.sqlite3", new_cosigner_key(W1), key)
    w2 = make_witness(tmp_path / "w2.sqlite3", new_cosigner_key(W2), key)
    apps = {url_of(W1): WitnessApp(w1), url_of(W2): WitnessApp(w2)}
    both = [WitnessEndpoint.of(W1, url_of(W1), w1.verifiers[0]), WitnessEndpoint.of(W2, url_of(W2), w2.verifiers[0])]
    trusted = [w1.verifiers[0], w2.verifiers[0]]

    # Both views share three entries, published honestly with both cosignatures.
    for view in (view_a, view_b):
        view.append([b"shared-0", b"shared-1", b"shared-2"])
    assert view_a.root() == view_b.root()
    honest = Publisher(view_a, both, 2, transport=InProcessTransport(apps))
    assert honest.publish_once().published

    # Then the log splits: A gets one entry, B another; each view is shown to one witness only.
    view_a.append([b"A: the patent was filed on 1 March"])
    view_b.append([b"B: the patent was filed on 9 March"])
    only_w1, only_w2 = InProcessTransport(apps), InProcessTransport(apps)
    only_w1.down.add(url_of(W2))
    only_w2.down.add(url_of(W1))
    shows_a = Publisher(view_a, both, 2, transport=only_w1)
    shows_b = Publisher(view_b, both, 2, transport=only_w2)
    result_a, result_b = shows_a.publish_once(), shows_b.publish_once()
    assert (result_a.cosigners, result_b.cosigners) == ((W1,), (W2,))
    assert not result_a.published and not result_b.published  # quorum 2: neither view is published

    # The log now shows each view to the other witness too: both refuse it as a fork.
    shows_a.transport, shows_b.transport = InProcessTransport(apps), InProcessTransport(apps)
    result_a, result_b = shows_a.publish_once(), shows_b.publish_once()
    assert not result_a.published and not result_b.published
    assert "fork" in result_a.failures[W2] and "fork" in result_b.failures[W1]
    assert [size for size, _ in view_a.store.publications(view_a.record.id)] == [3]
    assert view_b.store.publications(view_b.record.id) == []
    checkpoint_a, checkpoint_b = view_a.latest_checkpoint().note, view_b.latest_checkpoint().note
    with pytest.raises(ForkError):
        w1.add_checkpoint(4, [], checkpoint_b)  # witness 1 refuses tree B when it is shown
    view_b.append([b"B: more"])
    with pytest.raises(InconsistentError):  # ... and any tree grown from B, whatever proof comes with it
        w1.add_checkpoint(4, view_b.consistency_proof(4), view_b.latest_checkpoint().note)
    assert (w1.latest(origin).root, w2.latest(origin).root) == (view_a.root(4), view_b.root(4))

    # A relying party that demands both witnesses rejects what the log can show it of either view.
    cosigned_a = checkpoint_a + result_a.cosignatures[0].to_line()
    cosigned_b = checkpoint_b + result_b.cosignatures[0].to_line()
    for cosigned in (cosigned_a, cosigned_b):
        assert len(open_cosigned_checkpoint(cosigned, key.verifier, trusted, 1)[2]) == 1  # one witness is fooled
        with pytest.raises(QuorumError):
            open_cosigned_checkpoint(cosigned, key.verifier, trusted, 2)
    with pytest.raises(InvalidSignatureError):  # W2's cosignature of B does not carry over to A
        open_cosigned_checkpoint(cosigned_a + result_b.cosignatures[0].to_line(), key.verifier, trusted, 2)

    # The witnesses' records prove the equivocation: two checkpoints signed by the log, one size, two roots.
    (fork_seen_by_w2,) = w2.evidence(origin)
    seen, refused = fork_seen_by_w2.verify(key.verifier)
    assert fork_seen_by_w2.kind == FORK and seen.size == refused.size == 4
    assert (seen.root_hash, refused.root_hash) == (view_b.root(4), view_a.root(4))
    kinds = [(e.kind, e.submitted.size) for e in w1.evidence(origin)]
    assert kinds == [(FORK, 4), (INCONSISTENT, 5)]
    for evidence in w1.evidence(origin):
        witnessed, submitted = evidence.verify(key.verifier)
        assert witnessed.root_hash == view_a.root(4) and submitted.root_hash != witnessed.root_hash

    for closable in (honest, shows_a, shows_b, view_a.store, view_b.store, w1.store, w2.store):
        closable.close()
