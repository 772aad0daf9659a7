import base64
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huhang.evidence import ledger_service
from huhang.ledger.errors import LedgerError
from huhang.ledger.suites import SUITES


class Command(BaseCommand):
    help = "The evidence ledger: init, append, checkpoint, verifier-key, prove, check."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        init = sub.add_parser("init", help="create the log and its signing key")
        init.add_argument("--origin", required=True, help="the log's name, e.g. ledger.ipwuhan.example/evidence")
        init.add_argument("--suite", choices=sorted(SUITES), default="sha256-ed25519")
        append = sub.add_parser("append", help="append each file's bytes as one entry")
        append.add_argument("files", nargs="+", type=Path)
        sub.add_parser("checkpoint", help="print the latest signed checkpoint")
        sub.add_parser("verifier-key", help="print the log's verifier key (name+keyid+base64)")
        prove = sub.add_parser("prove", help="print an inclusion (--index) or consistency (--old-size) proof")
        which = prove.add_mutually_exclusive_group(required=True)
        which.add_argument("--index", type=int)
        which.add_argument("--old-size", type=int)
        prove.add_argument("--size", type=int, help="tree size (default: the latest checkpoint's)")
        sub.add_parser("check", help="re-derive every hash and check every signed checkpoint")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (LedgerError, ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None

    def _init(self, *, origin, suite, **_):
        record = ledger_service.ledger_init(origin=origin, suite=suite)
        self.stdout.write(record.verifier_key)
        self.stderr.write(f"log {record.origin} created ({record.suite}); key in {ledger_service.key_path(origin)}")

    def _append(self, *, files, **_):
        contents = []
        for path in files:
            try:
                contents.append(path.read_bytes())
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        futures = [ledger_service.sequencer().submit(data) for data in contents]
        for path, future in zip(files, futures, strict=True):
            receipt = future.result()
            self.stdout.write(f"{receipt.index} {path} (checkpoint {receipt.checkpoint.size})")
        ledger_service.ledger_close()  # stops the sequencer and forgets it: a stopped one must not take appends

    def _checkpoint(self, **_):
        latest = ledger_service.open_log().latest_checkpoint()
        if latest is None:
            raise CommandError("the log is empty: no checkpoint has been signed yet")
        self.stdout.write(latest.note, ending="")

    def _verifier_key(self, **_):
        self.stdout.write(ledger_service.open_log().record.verifier_key)

    def _prove(self, *, index, old_size, size, **_):
        log = ledger_service.open_log()
        size = log.size if size is None else size
        if index is not None:
            proof = log.inclusion_proof(index, size)
            result = {"index": index, "size": size, "leaf_hash": _b64(log.hasher.hash_leaf(log.entry(index)))}
        else:
            proof = log.consistency_proof(old_size, size)
            result = {"old_size": old_size, "size": size, "old_root": _b64(log.root(old_size))}
        result.update(root=_b64(log.root(size)), proof=[_b64(h) for h in proof])
        self.stdout.write(json.dumps(result, indent=2))

    def _check(self, **_):
        log = ledger_service.open_log()
        verifier = ledger_service.verifier()
        from huhang.ledger.note import open_note

        problems = log.check(verify_note=lambda note: open_note(note, [verifier]))
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} inconsistencies found")
        self.stdout.write(f"ledger {log.origin}: {log.size} entries, every hash and checkpoint verified")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
