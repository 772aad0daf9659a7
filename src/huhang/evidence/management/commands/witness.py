import base64
import json
import sqlite3

from django.core.management.base import BaseCommand, CommandError

from huhang.evidence import witnesses
from huhang.ledger.errors import LedgerError
from huhang.ledger.witness import WitnessStore


class Command(BaseCommand):
    help = "Ledger witnesses: run one for another organisation's log (init, serve, evidence), or publish-once."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        init = sub.add_parser("init", help="create the witness's database and key; print its verifier key")
        init.add_argument("--name", required=True, help="the witness's name, e.g. witness.court.example/w1")
        _database_options(init)
        serve = sub.add_parser("serve", help="serve POST /add-checkpoint (c2sp.org/tlog-witness) with waitress")
        _database_options(serve)
        serve.add_argument(
            "--log-key", action="append", required=True, metavar="VKEY", help="a log's verifier key (repeatable)"
        )
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8470)
        serve.add_argument("--prefix", default="", help="URL prefix before /add-checkpoint")
        serve.add_argument("--threads", type=int, default=4)
        evidence = sub.add_parser("evidence", help="print the recorded evidence of logs misbehaving (JSON lines)")
        _database_options(evidence, key=False)
        sub.add_parser("publish-once", help="get the platform log's latest checkpoint cosigned and publish it")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (LedgerError, ValueError, OSError, sqlite3.Error) as exc:
            raise CommandError(str(exc)) from None

    def _init(self, *, name, db, key, **_):
        verifier_key, path = witnesses.witness_init(name=name, db=db, key=key)
        self.stdout.write(verifier_key)
        self.stderr.write(f"witness {name} created: state in {db}, key in {path} (keep it secret)")

    def _serve(self, *, db, key, log_key, host, port, prefix, threads, **_):
        import waitress

        witness = witnesses.witness_open(db=db, log_keys=log_key, key=key)
        app = witnesses.witness_app(witness, prefix=prefix)
        logs = ", ".join(sorted(witness.known_logs))
        self.stderr.write(f"witness {witness.verifiers[0].key} for {logs}")
        self.stderr.write(f"POST http://{host}:{port}{app.path}")
        try:
            waitress.serve(app, host=host, port=port, threads=threads, ident="huhang-witness")
        finally:
            witness.store.close()

    def _evidence(self, *, db, **_):
        store = WitnessStore(db)
        try:
            for record in store.evidence():
                entry = {
                    "id": record.id,
                    "origin": record.origin,
                    "kind": record.kind,
                    "recorded_at": record.recorded_at,
                    "old_size": record.old_size,
                    "proof": [base64.b64encode(h).decode() for h in record.proof],
                    "witnessed_checkpoint": record.witnessed_note,
                    "submitted_checkpoint": record.submitted_note,
                }
                self.stdout.write(json.dumps(entry, ensure_ascii=False))
        finally:
            store.close()

    def _publish_once(self, **_):
        result = witnesses.ledger_publish_once()
        if result.size is None:
            raise CommandError("the ledger is empty: no checkpoint to publish yet")
        for name, reason in result.failures.items():
            self.stderr.write(f"{name}: {reason}")
        if not result.published:
            got = ", ".join(result.cosigners) or "none"
            raise CommandError(f"checkpoint {result.size} not published: cosigned by {got}, below the quorum")
        self.stdout.write(result.note, ending="")


def _database_options(parser, *, key: bool = True):
    parser.add_argument("--db", required=True, help="the witness's own database: a file path or a database URL")
    if key:
        parser.add_argument("--key", help="the witness key file (default: beside a file database, <db>.key)")
