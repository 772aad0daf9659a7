"""``huhang verify RECEIPT [--file FILE] --key VERIFIER_KEY``: check a receipt offline.

It needs no database, no server, no settings and no network: only the receipt, the log's verifier key
(obtained from somewhere you trust, not from the receipt) and, optionally, the preserved file, witnesses'
keys and the certificates of the time-stamping authority (TSA) whose RFC 3161 token the receipt carries
(``--tsa-cert``, ``--tsa-root``: then the receipt must carry a token, and the token must be that TSA's).
The ``huhang`` command runs it before Django starts, so it creates nothing on the machine it runs on.
Exit status: 0 when the receipt verifies, 1 when it does not (with the reason), 2 for bad arguments.
"""

import argparse
import sys
from pathlib import Path

from cryptography import x509

from huhang.ledger.receipt import MAX_RECEIPT_BYTES, ReceiptError, verify_receipt
from huhang.ledger.timestamp import format_gen_time


def _key_text(value: str) -> str:
    """A key given inline, or as the path of a file holding it."""
    path = Path(value)
    if "+" not in value and path.is_file():
        return path.read_text(encoding="utf-8").strip()
    return value.strip()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huhang verify",
        description="Verify an evidence receipt offline: the log's signature, the inclusion proof and, "
        "with --file, the file.",
    )
    parser.add_argument("receipt", help="the receipt (JSON) file, or - for standard input")
    parser.add_argument("--file", type=Path, help="the preserved file, to check it is the one the receipt names")
    parser.add_argument("--key", required=True, help="the log's verifier key (name+id+base64), or a file holding it")
    parser.add_argument(
        "--witness-key", action="append", default=[], help="a witness's cosignature verifier key (repeatable)"
    )
    parser.add_argument("--quorum", type=int, default=0, help="how many of the witnesses must have cosigned")
    parser.add_argument(
        "--tsa-cert",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="the time-stamping authority's certificate (PEM or DER; repeatable): the receipt's RFC 3161 token "
        "must be signed by it",
    )
    parser.add_argument(
        "--tsa-root",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a trusted root certificate (PEM or DER; repeatable): the token's signer must chain to it",
    )
    return parser


def _read(path: str, what: str) -> bytes:
    try:
        return sys.stdin.buffer.read(MAX_RECEIPT_BYTES + 1) if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"huhang verify: cannot read the {what} {path}: {exc.strerror}") from None


def _certificates(parser: argparse.ArgumentParser, paths: list[Path], option: str) -> list[bytes] | None:
    """Read certificate files (PEM, possibly several, or DER); stop with status 2 on one that is not."""
    if not paths:
        return None
    loaded = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            parser.error(f"{option} {path}: cannot read it: {exc.strerror}")
        try:
            if b"-----BEGIN" in data:
                x509.load_pem_x509_certificates(data)
            else:
                x509.load_der_x509_certificate(data)
        except ValueError as exc:
            parser.error(f"{option} {path}: not a certificate (PEM or DER): {exc}")
        loaded.append(data)
    return loaded


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not 0 <= args.quorum <= len(args.witness_key):
        parser.error(f"--quorum {args.quorum} needs at least that many --witness-key options")
    tsa_certificates = _certificates(parser, args.tsa_cert, "--tsa-cert")
    trusted_roots = _certificates(parser, args.tsa_root, "--tsa-root")
    data = _read(args.receipt, "receipt")
    file_bytes = _read(str(args.file), "file") if args.file is not None else None
    try:
        verified = verify_receipt(
            data,
            verifier_key=_key_text(args.key),
            file_bytes=file_bytes,
            witness_keys=[_key_text(k) for k in args.witness_key],
            quorum=args.quorum,
            tsa_certificates=tsa_certificates,
            trusted_roots=trusted_roots,
            require_timestamp=bool(args.tsa_cert or args.tsa_root),
        )
    except ReceiptError as exc:
        print(f"huhang verify: receipt does not verify: {exc}", file=sys.stderr)
        return 1
    out = sys.stdout
    fields = verified.leaf_fields
    out.write(f"OK: entry {verified.index} of {verified.origin} is in the tree of size {verified.tree_size}\n")
    out.write(f"  signed by the log key given; cosigned by: {', '.join(verified.cosigners) or 'none checked'}\n")
    if fields.get("type") == "huhang/evidence":
        holder = fields.get("holder") or {}
        out.write(f"  evidence {fields.get('id')}: {fields.get('title')!s} ({fields.get('kind')})\n")
        out.write(f"  holder: {holder.get('name')} {holder.get('id')}; recorded {fields.get('time')}\n")
        out.write(f"  sha256: {fields.get('sha256')}\n")
    elif fields.get("type") == "huhang/event":
        out.write(f"  event {fields.get('kind')} of {fields.get('subject')}; recorded {fields.get('time')}\n")
    if verified.file_checked:
        out.write(f"  the file {args.file} is the preserved file\n")
    token = verified.timestamp
    if token is not None:
        when, tsa = format_gen_time(token.gen_time), token.tsa_name or "a TSA not named in the token"
        out.write(f"  checkpoint time-stamped (RFC 3161) at {when} by {tsa}, serial {token.serial_number}\n")
        if verified.timestamp_anchored:
            given = " and ".join(o for o, v in (("--tsa-cert", args.tsa_cert), ("--tsa-root", args.tsa_root)) if v)
            out.write(f"  the time-stamp's signer was checked against {given}\n")
        else:
            out.write("  the time-stamp was checked with the certificate it carries only: give --tsa-cert or "
                      "--tsa-root to check who made it\n")  # fmt: skip
    return 0
