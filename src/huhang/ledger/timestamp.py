"""Time-stamp ledger checkpoints with an external RFC 3161 time-stamping authority (TSA).

A court's or a notary's TSA signs a statement "this digest existed at this time". The ledger sends the
hash of a checkpoint and keeps the token the TSA returns; anyone can later check the token offline
against the checkpoint and the TSA's certificate, without trusting the platform.

- :func:`timestamp_request_der` builds a TimeStampReq (pure, no I/O).
- :func:`request_timestamp` asks a TSA over HTTP and checks that the answer is for our request
  (status, nonce, message imprint). It does not check the TSA's signature: call :func:`verify_timestamp`.
- :func:`verify_timestamp` checks a stored token offline: imprint against the data, the CMS signature with
  the TSA certificate, its timeStamping key purpose, and, when trusted roots are given, its chain. A token
  of other data raises :class:`TimestampMismatchError`.
- :func:`read_timestamp` and :func:`timestamp_covers` read a token and compare its imprint without
  checking anything else, to display or choose a token.

Every failure raises :class:`TimestampError` (a :class:`~huhang.ledger.errors.LedgerError`), whatever the
input. SHA-256/384/512 and SM3 imprints are supported; TSA signatures may be RSA (PKCS #1 v1.5 or PSS) or
ECDSA with SHA-2. SM2 and SHA-1 signatures are refused. Revocation (CRL, OCSP) is not checked.

ASN.1 and CMS structures are read with ``asn1crypto``; signatures and certificates are checked with
``cryptography``. This module never imports Django.
"""

import hmac
import http.client
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from huhang.ledger.errors import LedgerError

__all__ = [
    "HASH_NAMES",
    "CertificateInput",
    "TimestampError",
    "TimestampMismatchError",
    "TimestampToken",
    "format_gen_time",
    "read_timestamp",
    "request_timestamp",
    "timestamp_covers",
    "timestamp_request_der",
    "verify_timestamp",
]

QUERY_CONTENT_TYPE = "application/timestamp-query"
REPLY_CONTENT_TYPE = "application/timestamp-reply"
MAX_RESPONSE_BYTES = 1 << 20
_MAX_CHAIN_DEPTH = 8

_OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
_OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
_OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_OID_SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12"
_OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
_OID_SM2_WITH_SM3 = "1.2.156.10197.1.501"
_OID_RSASSA_PSS = "1.2.840.113549.1.1.10"
_OID_MGF1 = "1.2.840.113549.1.1.8"

CertificateInput = bytes | str | x509.Certificate
"""A certificate as PEM (bytes or text, possibly several in one bundle), DER bytes, or a loaded certificate."""


class TimestampError(LedgerError):
    """A time-stamp could not be obtained, or a token does not prove what it should."""


class TimestampMismatchError(TimestampError):
    """A token's message imprint is not the hash of the data given: it time-stamps something else."""


@dataclass(frozen=True)
class _Hash:
    name: str
    oid: str
    algorithm: type[hashes.HashAlgorithm]


_HASHES = {
    h.name: h
    for h in (
        _Hash("sha256", "2.16.840.1.101.3.4.2.1", hashes.SHA256),
        _Hash("sha384", "2.16.840.1.101.3.4.2.2", hashes.SHA384),
        _Hash("sha512", "2.16.840.1.101.3.4.2.3", hashes.SHA512),
        _Hash("sm3", "1.2.156.10197.1.401", hashes.SM3),
    )
}
_HASHES_BY_OID = {h.oid: h for h in _HASHES.values()}
_SHA1_OID = "1.3.14.3.2.26"  # only to identify a certificate in an ESS signing-certificate attribute
HASH_NAMES = tuple(_HASHES)

# Signature algorithm OID -> (key kind, hash name, or None when the SignerInfo's digest algorithm says).
_SIGNATURE_ALGORITHMS: dict[str, tuple[str, str | None]] = {
    "1.2.840.113549.1.1.1": ("rsa", None),
    "1.2.840.113549.1.1.11": ("rsa", "sha256"),
    "1.2.840.113549.1.1.12": ("rsa", "sha384"),
    "1.2.840.113549.1.1.13": ("rsa", "sha512"),
    _OID_RSASSA_PSS: ("rsa-pss", None),
    "1.2.840.10045.2.1": ("ecdsa", None),
    "1.2.840.10045.4.3.2": ("ecdsa", "sha256"),
    "1.2.840.10045.4.3.3": ("ecdsa", "sha384"),
    "1.2.840.10045.4.3.4": ("ecdsa", "sha512"),
}


@dataclass(frozen=True)
class TimestampToken:
    """A TSA's time-stamp token (``der``, a CMS ContentInfo) and what its TSTInfo says."""

    der: bytes = field(repr=False)
    gen_time: datetime
    serial_number: int
    tsa_name: str | None
    policy_oid: str
    hash_name: str
    digest: bytes
    nonce: int | None
    accuracy: timedelta | None


@dataclass(frozen=True)
class _Pss:
    hash_oid: str
    mgf_hash_oid: str
    salt_length: int


@dataclass(frozen=True)
class _Signer:
    issuer_der: bytes | None
    serial_number: int | None
    key_identifier: bytes | None
    digest_oid: str
    signature_oid: str
    pss: _Pss | None
    signature: bytes
    signed_attributes_der: bytes | None
    content_type_oid: str | None
    message_digest: bytes | None
    ess_hash_oid: str | None
    ess_cert_hash: bytes | None


@dataclass(frozen=True)
class _Token:
    summary: TimestampToken
    tst_info_der: bytes
    certificates: tuple[bytes, ...]
    signer: _Signer


@dataclass(frozen=True)
class _Certificate:
    der: bytes
    cert: x509.Certificate
    issuer_der: bytes
    serial_number: int
    key_identifier: bytes | None

    @property
    def label(self) -> str:
        """Name the certificate in messages: its subject, else its serial number."""
        try:
            subject = self.cert.subject.rfc4514_string()
        except _MALFORMED:
            subject = ""
        return f"the certificate {subject or f'with serial {self.serial_number:#x}'}"


def format_gen_time(moment: datetime) -> str:
    """Return a token's time as stored and shown in receipts: ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- Building requests ------------------------------------------------------------------------------------


def timestamp_request_der(digest: bytes, hash_name: str, nonce: int | None, cert_req: bool) -> bytes:
    """Return the DER TimeStampReq asking a TSA to time-stamp ``digest``, a ``hash_name`` digest."""
    algorithm = _hash(hash_name)
    if len(digest) != algorithm.algorithm.digest_size:
        raise TimestampError(f"a {hash_name} digest is {algorithm.algorithm.digest_size} bytes, not {len(digest)}")
    if nonce is not None and nonce < 0:
        raise TimestampError("the nonce must not be negative")
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {"hash_algorithm": _digest_algorithm(algorithm), "hashed_message": bytes(digest)},
            "nonce": nonce,
            "cert_req": cert_req,
        }
    )
    return request.dump()


def _digest_algorithm(algorithm: _Hash) -> algos.DigestAlgorithm:
    """Return the AlgorithmIdentifier of ``algorithm``, with NULL parameters as OpenSSL writes them."""
    return algos.DigestAlgorithm({"algorithm": algorithm.oid, "parameters": core.Null()})


def _hash(name: str) -> _Hash:
    try:
        return _HASHES[name]
    except (KeyError, TypeError):
        raise TimestampError(f"unsupported hash {name!r}: use one of {', '.join(HASH_NAMES)}") from None


def _digest(algorithm: type[hashes.HashAlgorithm], data: bytes) -> bytes:
    hasher = hashes.Hash(algorithm())
    hasher.update(data)
    return hasher.finalize()


# --- Asking a TSA -----------------------------------------------------------------------------------------


def request_timestamp(
    data: bytes,
    *,
    url: str,
    hash_name: str = "sha256",
    timeout: float = 10.0,
    nonce: bool = True,
    cert_req: bool = True,
) -> TimestampToken:
    """Ask the TSA at ``url`` to time-stamp the hash of ``data`` and return its token.

    Check that the TSA granted the request and that the token answers it (same imprint, nonce echoed).
    Do not check the TSA's signature or certificate: pass ``token.der`` to :func:`verify_timestamp`.
    With ``cert_req`` the TSA includes its certificate in the token, so that it verifies on its own.
    """
    algorithm = _hash(hash_name)
    digest = _digest(algorithm.algorithm, data)
    nonce_value = secrets.randbits(64) if nonce else None
    query = timestamp_request_der(digest, hash_name, nonce_value, cert_req)
    reply = _post(url, query, timeout)
    token = _read_token(_granted_token(reply))
    _check_answers_request(token.summary, algorithm, digest, nonce_value)
    return token.summary


def _post(url: str, body: bytes, timeout: float) -> bytes:
    """POST a time-stamp query to ``url`` and return the body of the TSA's answer."""
    where = _where(url)
    headers = {"Content-Type": QUERY_CONTENT_TYPE, "Accept": REPLY_CONTENT_TYPE}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, see _where
            payload = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise TimestampError(f"TSA {where} answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise TimestampError(f"cannot reach TSA {where}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise TimestampError(f"cannot reach TSA {where}: {exc or type(exc).__name__}") from exc
    if len(payload) > MAX_RESPONSE_BYTES:
        raise TimestampError(f"TSA {where} sent more than {MAX_RESPONSE_BYTES} bytes")
    return payload


def _where(url: str) -> str:
    """Return ``url`` without credentials, path or query, for messages; refuse anything but http(s)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname, parts.port
    except (ValueError, TypeError, AttributeError) as exc:
        raise TimestampError(f"invalid TSA URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise TimestampError("the TSA URL must be an http:// or https:// URL with a host")
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


class _TimeStampResp(core.Sequence):
    """TimeStampResp with its token optional, as RFC 3161 says (asn1crypto 1.5.1 requires it)."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def _granted_token(reply: bytes) -> bytes:
    """Return the token DER of a TimeStampResp, or raise with the TSA's reasons if it was not granted."""
    with _reading("the TSA's response"):
        response = _TimeStampResp.load(reply, strict=True)
        status_info = response["status"]
        status = status_info["status"].native
        texts = status_info["status_string"].native or []
        failures = sorted(status_info["fail_info"].native or ())
        token = response["time_stamp_token"]
        token_der = None if isinstance(token, core.Void) else token.dump()
    if status not in ("granted", "granted_with_mods"):
        reasons = "; ".join([*map(str, texts), *(f"failure: {name}" for name in failures)])
        raise TimestampError(f"the TSA refused the request (status {status})" + (f": {reasons}" if reasons else ""))
    if token_der is None:
        raise TimestampError("the TSA granted the request but sent no token")
    return token_der


def _check_answers_request(token: TimestampToken, algorithm: _Hash, digest: bytes, nonce: int | None) -> None:
    if token.hash_name != algorithm.name or not hmac.compare_digest(token.digest, digest):
        raise TimestampError("the TSA time-stamped another digest than the one requested")
    if nonce is not None and token.nonce != nonce:
        if token.nonce is None:
            raise TimestampError("the TSA did not echo the request's nonce")
        raise TimestampError("the TSA echoed a different nonce: the response is not for this request")


# --- Reading tokens ---------------------------------------------------------------------------------------


# What asn1crypto and cryptography raise on malformed input.
_MALFORMED = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    UnsupportedAlgorithm,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


@contextmanager
def _reading(what: str) -> Iterator[None]:
    """Turn any error asn1crypto or cryptography raises on malformed input into a TimestampError."""
    try:
        yield
    except TimestampError:
        raise
    except _MALFORMED as exc:
        raise TimestampError(f"{what} is malformed: {exc}") from exc


def _read_token(token_der: bytes) -> _Token:
    """Parse a time-stamp token (CMS ContentInfo of SignedData of TSTInfo) into plain values."""
    try:
        return _parse_token(token_der)
    except TimestampError:
        if _is_response(token_der):
            raise TimestampError("this is a TSA's whole TimeStampResp, not a token: pass its timeStampToken") from None
        raise


def _is_response(der: bytes) -> bool:
    try:
        return _TimeStampResp.load(der, strict=True)["status"]["status"].native is not None
    except _MALFORMED:
        return False


def _parse_token(token_der: bytes) -> _Token:
    with _reading("the time-stamp token"):
        content_info = cms.ContentInfo.load(token_der, strict=True)
        if content_info["content_type"].dotted != _OID_SIGNED_DATA:
            raise TimestampError(f"not a time-stamp token: CMS content type {content_info['content_type'].dotted}")
        signed_data = content_info["content"]
        encapsulated = signed_data["encap_content_info"]
        if encapsulated["content_type"].dotted != _OID_TST_INFO:
            raise TimestampError(f"not a time-stamp token: signed content type {encapsulated['content_type'].dotted}")
        if isinstance(encapsulated["content"], core.Void):
            raise TimestampError("the time-stamp token carries no TSTInfo")
        tst_info_der = bytes(encapsulated["content"])
        tst_info = tsp.TSTInfo.load(tst_info_der, strict=True)
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise TimestampError(f"a time-stamp token has one signer, this one has {len(signer_infos)}")
        return _Token(
            summary=_summary(bytes(token_der), tst_info),
            tst_info_der=tst_info_der,
            certificates=_embedded_certificates(signed_data),
            signer=_signer(signer_infos[0]),
        )


def _summary(token_der: bytes, tst_info: tsp.TSTInfo) -> TimestampToken:
    imprint = tst_info["message_imprint"]
    hash_oid = imprint["hash_algorithm"]["algorithm"].dotted
    if hash_oid not in _HASHES_BY_OID:
        raise TimestampError(f"the token's imprint uses an unsupported hash (OID {hash_oid})")
    gen_time = tst_info["gen_time"].native
    if not isinstance(gen_time, datetime) or gen_time.tzinfo is None:
        raise TimestampError("the token's genTime is not a UTC time")
    gen_time = gen_time.astimezone(UTC)
    nonce = tst_info["nonce"].native
    return TimestampToken(
        der=token_der,
        gen_time=gen_time,
        serial_number=tst_info["serial_number"].native,
        tsa_name=_general_name_text(tst_info["tsa"]),
        policy_oid=tst_info["policy"].dotted,
        hash_name=_HASHES_BY_OID[hash_oid].name,
        digest=imprint["hashed_message"].native,
        nonce=nonce,
        accuracy=_accuracy(tst_info["accuracy"]),
    )


def _general_name_text(name: asn1_x509.GeneralName | core.Void) -> str | None:
    if isinstance(name, core.Void):
        return None
    if name.name == "directory_name":
        return name.chosen.human_friendly
    return str(name.native)


def _accuracy(accuracy: tsp.Accuracy | core.Void) -> timedelta | None:
    if isinstance(accuracy, core.Void):
        return None
    parts = [accuracy[part].native or 0 for part in ("seconds", "millis", "micros")]
    return timedelta(seconds=parts[0], milliseconds=parts[1], microseconds=parts[2])


def _embedded_certificates(signed_data: cms.SignedData) -> tuple[bytes, ...]:
    """Return the DER of the X.509 certificates a SignedData carries (other kinds are ignored)."""
    certificates = signed_data["certificates"]
    if isinstance(certificates, core.Void):
        return ()
    return tuple(choice.chosen.dump() for choice in certificates if choice.name == "certificate")


def _signer(signer_info: cms.SignerInfo) -> _Signer:
    sid = signer_info["sid"]
    by_issuer = sid.name == "issuer_and_serial_number"
    signature_algorithm = signer_info["signature_algorithm"]
    attributes = signer_info["signed_attrs"]
    has_attributes = not isinstance(attributes, core.Void)
    ess_hash_oid, ess_cert_hash = _ess_cert_id(attributes) if has_attributes else (None, None)
    content_type = _attribute(attributes, _OID_CONTENT_TYPE) if has_attributes else None
    message_digest = _attribute(attributes, _OID_MESSAGE_DIGEST) if has_attributes else None
    return _Signer(
        issuer_der=sid.chosen["issuer"].dump() if by_issuer else None,
        serial_number=sid.chosen["serial_number"].native if by_issuer else None,
        key_identifier=None if by_issuer else sid.chosen.native,
        digest_oid=signer_info["digest_algorithm"]["algorithm"].dotted,
        signature_oid=signature_algorithm["algorithm"].dotted,
        pss=_pss(signature_algorithm),
        signature=signer_info["signature"].native,
        # The signature covers the DER of the attributes as a SET OF, not with their [0] IMPLICIT tag.
        signed_attributes_der=b"\x31" + attributes.dump()[1:] if has_attributes else None,
        content_type_oid=None if content_type is None else content_type.dotted,
        message_digest=None if message_digest is None else message_digest.native,
        ess_hash_oid=ess_hash_oid,
        ess_cert_hash=ess_cert_hash,
    )


def _attribute(attributes: cms.CMSAttributes, oid: str) -> core.Asn1Value | None:
    """Return the single value of the signed attribute ``oid``, None if absent; refuse several."""
    found = [attribute["values"] for attribute in attributes if attribute["type"].dotted == oid]
    if not found:
        return None
    if len(found) > 1 or len(found[0]) != 1:
        raise TimestampError(f"the signed attribute {oid} must occur once, with one value")
    return found[0][0]


def _ess_cert_id(attributes: cms.CMSAttributes) -> tuple[str | None, bytes | None]:
    """Return (hash OID, hash) of the signer certificate named by the ESS signing-certificate attribute."""
    v2 = _attribute(attributes, _OID_SIGNING_CERTIFICATE_V2)
    if v2 is not None:
        first = v2["certs"][0]
        return first["hash_algorithm"]["algorithm"].dotted, first["cert_hash"].native
    v1 = _attribute(attributes, _OID_SIGNING_CERTIFICATE)
    if v1 is not None:
        return _SHA1_OID, v1["certs"][0]["cert_hash"].native
    return None, None


def _pss(signature_algorithm: algos.SignedDigestAlgorithm) -> _Pss | None:
    if signature_algorithm["algorithm"].dotted != _OID_RSASSA_PSS:
        return None
    parameters = signature_algorithm["parameters"]
    mask = parameters["mask_gen_algorithm"]
    if mask["algorithm"].dotted != _OID_MGF1:
        raise TimestampError(f"unsupported RSASSA-PSS mask generation function {mask['algorithm'].dotted}")
    return _Pss(
        hash_oid=parameters["hash_algorithm"]["algorithm"].dotted,
        mgf_hash_oid=mask["parameters"]["algorithm"].dotted,
        salt_length=parameters["salt_length"].native,
    )


# --- Verifying tokens -------------------------------------------------------------------------------------


def verify_timestamp(
    token_der: bytes,
    data: bytes,
    *,
    tsa_certificates: Sequence[CertificateInput] | None = None,
    trusted_roots: Sequence[CertificateInput] | None = None,
) -> TimestampToken:
    """Check offline that ``token_der`` is a TSA's valid time-stamp of ``data`` and return what it says.

    The token must be signed by a certificate with the critical timeStamping extended key usage that was
    valid at the token's time. Give ``tsa_certificates`` to require the signer to be one of them (needed
    when the token does not embed its certificate; extra ones serve as intermediates). Give
    ``trusted_roots`` to require the signer to chain to one of them. With neither, only the token's
    integrity is proven, not who made it.
    """
    token = _read_token(token_der)
    pinned = None if tsa_certificates is None else _load_certificates(tsa_certificates, "tsa_certificates")
    roots = None if trusted_roots is None else _load_certificates(trusted_roots, "trusted_roots")
    embedded = [_load_certificate(der, f"certificate {i} in the token") for i, der in enumerate(token.certificates)]
    signer = _signer_certificate(token.signer, embedded if pinned is None else pinned, pinned is not None)
    _check_signed_attributes(token, signer)
    _check_signature(token.signer, signer)
    _check_imprint(token.summary, data)
    _check_tsa_certificate(signer, token.summary.gen_time)
    if roots is not None:
        _check_chain(signer, [*embedded, *(pinned or [])], roots, token.summary.gen_time)
    return token.summary


def read_timestamp(token_der: bytes) -> TimestampToken:
    """Return what ``token_der`` says (time, TSA, serial, imprint) WITHOUT checking anything it claims.

    For display and for choosing a token; only :func:`verify_timestamp` says whether a token proves anything.
    """
    return _read_token(token_der).summary


def timestamp_covers(token: TimestampToken, data: bytes) -> bool:
    """Tell whether ``token``'s message imprint is the hash of ``data`` (its signature is not checked)."""
    return hmac.compare_digest(token.digest, _digest(_HASHES[token.hash_name].algorithm, data))


def _load_certificates(items: Sequence[CertificateInput], what: str) -> list[_Certificate]:
    if isinstance(items, (bytes, str, x509.Certificate)):
        items = [items]
    loaded = []
    for i, item in enumerate(items):
        if isinstance(item, x509.Certificate):
            ders = [item.public_bytes(Encoding.DER)]
        elif _is_pem(item):
            with _reading(f"{what}[{i}]"):
                ders = [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(_as_bytes(item))]
        else:
            ders = [_as_bytes(item)]
        loaded.extend(_load_certificate(der, f"{what}[{i}]") for der in ders)
    return loaded


def _is_pem(item: bytes | str) -> bool:
    return b"-----BEGIN" in _as_bytes(item)


def _as_bytes(item: bytes | str) -> bytes:
    if isinstance(item, str):
        return item.encode("ascii", "replace")
    if isinstance(item, (bytes, bytearray, memoryview)):
        return bytes(item)
    raise TimestampError(f"expected a certificate as PEM or DER, got {type(item).__name__}")


def _load_certificate(der: bytes, what: str) -> _Certificate:
    with _reading(what):
        cert = x509.load_der_x509_certificate(der)
        parsed = asn1_x509.Certificate.load(der, strict=True)
        return _Certificate(
            der=der,
            cert=cert,
            issuer_der=parsed["tbs_certificate"]["issuer"].dump(),
            serial_number=parsed.serial_number,
            key_identifier=parsed.key_identifier,
        )


def _signer_certificate(signer: _Signer, candidates: list[_Certificate], pinned: bool) -> _Certificate:
    """Return the certificate among ``candidates`` that the SignerInfo names."""
    for candidate in candidates:
        if signer.key_identifier is not None:
            if candidate.key_identifier == signer.key_identifier:
                return candidate
        elif candidate.issuer_der == signer.issuer_der and candidate.serial_number == signer.serial_number:
            return candidate
    if pinned:
        raise TimestampError("the token was not signed by any of the given TSA certificates")
    raise TimestampError("the token does not include its TSA's certificate: pass it in tsa_certificates")


def _check_signed_attributes(token: _Token, signer: _Certificate) -> None:
    """Check the attributes the signature covers: content type, digest of the TSTInfo, signer certificate."""
    attributes = token.signer
    if attributes.signed_attributes_der is None:
        raise TimestampError("the token has no signed attributes, which RFC 3161 requires")
    if attributes.content_type_oid != _OID_TST_INFO:
        raise TimestampError("the token's signed content-type attribute is missing or not TSTInfo")
    digest_hash = _signature_hash(attributes.digest_oid, "the signer's digest algorithm")
    expected = _digest(digest_hash, token.tst_info_der)
    if attributes.message_digest is None or not hmac.compare_digest(attributes.message_digest, expected):
        raise TimestampError("the token's TSTInfo does not match its signed message digest: the token was altered")
    if attributes.ess_cert_hash is None or attributes.ess_hash_oid is None:
        raise TimestampError("the token lacks the ESS signing-certificate attribute RFC 3161 requires")
    ess_hash = hashes.SHA1 if attributes.ess_hash_oid == _SHA1_OID else _signature_hash(attributes.ess_hash_oid, "ESS")
    if not hmac.compare_digest(_digest(ess_hash, signer.der), attributes.ess_cert_hash):
        raise TimestampError(f"the token's signing-certificate attribute does not name {signer.label}")


def _signature_hash(oid: str, what: str) -> type[hashes.HashAlgorithm]:
    if oid not in _HASHES_BY_OID:
        raise TimestampError(f"unsupported hash in {what} (OID {oid})")
    return _HASHES_BY_OID[oid].algorithm


def _check_signature(signer: _Signer, certificate: _Certificate) -> None:
    """Check the SignerInfo's signature over the signed attributes with the certificate's public key."""
    if signer.signature_oid == _OID_SM2_WITH_SM3:
        raise TimestampError("SM2 signatures are not supported: the token cannot be verified here")
    if signer.signature_oid not in _SIGNATURE_ALGORITHMS:
        raise TimestampError(f"unsupported signature algorithm (OID {signer.signature_oid})")
    kind, hash_name = _SIGNATURE_ALGORITHMS[signer.signature_oid]
    hash_oid = _HASHES[hash_name].oid if hash_name else signer.digest_oid
    algorithm = _signature_hash(hash_oid, "the signature")()
    with _reading(f"the public key of {certificate.label}"):
        key = certificate.cert.public_key()
    message = signer.signed_attributes_der or b""
    try:
        if kind in ("rsa", "rsa-pss") and isinstance(key, rsa.RSAPublicKey):
            key.verify(signer.signature, message, _rsa_padding(signer.pss), _pss_hash(signer.pss) or algorithm)
        elif kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signer.signature, message, ec.ECDSA(algorithm))
        else:
            raise TimestampError(f"the signature algorithm does not fit the key of {certificate.label}")
    except InvalidSignature:
        raise TimestampError(f"the token's signature does not verify with {certificate.label}") from None
    except _MALFORMED as exc:
        raise TimestampError(f"the token's signature cannot be checked: {exc}") from exc


def _rsa_padding(pss: _Pss | None) -> padding.AsymmetricPadding:
    if pss is None:
        return padding.PKCS1v15()
    mgf_hash = _signature_hash(pss.mgf_hash_oid, "the PSS mask")()
    return padding.PSS(mgf=padding.MGF1(mgf_hash), salt_length=pss.salt_length)


def _pss_hash(pss: _Pss | None) -> hashes.HashAlgorithm | None:
    return None if pss is None else _signature_hash(pss.hash_oid, "the PSS parameters")()


def _check_imprint(token: TimestampToken, data: bytes) -> None:
    expected = _digest(_HASHES[token.hash_name].algorithm, data)
    if not hmac.compare_digest(token.digest, expected):
        raise TimestampMismatchError(f"the token time-stamps other data: its {token.hash_name} imprint does not match")


def _check_tsa_certificate(certificate: _Certificate, at: datetime) -> None:
    """Check that the certificate is a TSA's (critical timeStamping key purpose) and was valid at ``at``."""
    with _reading(f"the extensions of {certificate.label}"):
        try:
            usage = certificate.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        except x509.ExtensionNotFound:
            usage = None
    if usage is None or x509.ExtendedKeyUsageOID.TIME_STAMPING not in usage.value:
        raise TimestampError(f"{certificate.label} is not a time-stamping certificate (no timeStamping key usage)")
    if not usage.critical:
        raise TimestampError(f"{certificate.label} has a non-critical extended key usage; RFC 3161 requires critical")
    if not _valid_at(certificate, at):
        raise TimestampError(f"{certificate.label} was not valid at the token's time {at.isoformat()}")


def _valid_at(certificate: _Certificate, at: datetime) -> bool:
    return certificate.cert.not_valid_before_utc <= at <= certificate.cert.not_valid_after_utc


def _check_chain(signer: _Certificate, pool: list[_Certificate], roots: list[_Certificate], at: datetime) -> None:
    if not _reaches_root(signer, pool, roots, at, _MAX_CHAIN_DEPTH):
        raise TimestampError(f"{signer.label} does not chain to a trusted root valid at {at.isoformat()}")


def _reaches_root(
    certificate: _Certificate, pool: list[_Certificate], roots: list[_Certificate], at: datetime, depth: int
) -> bool:
    """Tell whether ``certificate`` is, or is issued through CA certificates of ``pool`` by, a root."""
    if any(root.der == certificate.der for root in roots):
        return True
    if any(_valid_at(root, at) and _issued_by(certificate, root) for root in roots):
        return True
    if depth == 0:
        return False
    for issuer in pool:
        if issuer.der == certificate.der or not (_is_ca(issuer) and _valid_at(issuer, at)):
            continue
        if _issued_by(certificate, issuer):
            rest = [other for other in pool if other is not issuer]
            if _reaches_root(issuer, rest, roots, at, depth - 1):
                return True
    return False


def _issued_by(certificate: _Certificate, issuer: _Certificate) -> bool:
    try:
        certificate.cert.verify_directly_issued_by(issuer.cert)
    except (InvalidSignature, *_MALFORMED):
        return False
    return True


def _is_ca(certificate: _Certificate) -> bool:
    try:
        constraints = certificate.cert.extensions.get_extension_for_class(x509.BasicConstraints)
    except (x509.ExtensionNotFound, *_MALFORMED):
        return False
    return constraints.value.ca
