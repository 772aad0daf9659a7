"""The verifier's failures in the reader's language: one translatable message per :class:`ReceiptError` code."""

from django.utils.translation import gettext_lazy as _

from huhang.ledger.receipt import ReceiptError

MESSAGES = {
    "too_large": _("The receipt is larger than %(limit)s bytes."),
    "malformed_json": _("The receipt is not valid JSON: %(detail)s"),
    "wrong_format": _("This is not a Huhang receipt (its format is %(got)s)."),
    "missing_field": _("The receipt has no valid “%(field)s” member."),
    "bad_key": _("The verifier key is malformed: %(detail)s"),
    "other_log": _("The receipt is from another log (%(origin)s), not from %(key_origin)s."),
    "suite_mismatch": _("The receipt says suite %(got)s, but the verifier key is a %(want)s key."),
    "key_mismatch": _(
        "The receipt was issued under another key (%(receipt_key)s), not %(given)s: wrong key, or a "
        "receipt from another log."
    ),
    "malformed_proof": _("The proof is malformed: %(detail)s"),
    "index_mismatch": _("The proof is for entry %(proof_index)s, but the receipt names entry %(index)s."),
    "bad_signature": _(
        "The checkpoint's signature does not verify with the verifier key: the checkpoint was "
        "altered or signed by another key."
    ),
    "unsigned": _("The checkpoint is not signed by the verifier key (%(key)s)."),
    "bad_checkpoint": _("The signed checkpoint is malformed or names another log: %(detail)s"),
    "inconsistent": _("The receipt's %(field)s (%(got)s) differs from the signed checkpoint's (%(want)s)."),
    "index_out_of_range": _("Entry %(index)s lies outside the signed tree of size %(size)s."),
    "truncated_proof": _("The inclusion proof has %(got)s hashes, %(want)s are needed: it was truncated or extended."),
    "proof_mismatch": _(
        "The inclusion proof does not lead to the signed root hash: the proof or the recorded data was modified."
    ),
    "bad_leaf": _("The recorded data is malformed: %(detail)s"),
    "no_file_hash": _("This receipt preserves no file."),
    "file_mismatch": _(
        "The file's %(algorithm)s is %(got)s, but the receipt records %(want)s: this is not the preserved file."
    ),
    "file_size_mismatch": _("The file has %(got)s bytes, but the receipt records %(want)s."),
    "bad_witness_key": _("A witness key is malformed: %(detail)s"),
    "bad_cosignature": _("The cosignature of witness %(name)s does not verify."),
    "quorum": _("The checkpoint carries %(got)s valid witness cosignatures, %(want)s required."),
    "bad_timestamp": _("The receipt's RFC 3161 time-stamp does not verify: %(detail)s"),
    "timestamp_mismatch": _(
        "The receipt's time-stamp is not for its checkpoint (size %(size)s): it time-stamps other data, "
        "another checkpoint or a note whose signatures were changed."
    ),
    "timestamp_inconsistent": _(
        "The receipt states the time-stamp time %(got)s, but the time-stamping authority signed %(want)s."
    ),
    "no_timestamp": _("The receipt carries no RFC 3161 time-stamp."),
}


def receipt_error_message(error: ReceiptError) -> str:
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    return str(template) % {key: str(value) for key, value in error.params.items()}
