"""The media type of evidence, from its first bytes: never from its name or the uploader's claim."""

import filetype

OCTET_STREAM = "application/octet-stream"


def sniff_media_type(head: bytes) -> str:
    """Return the media type the content starting with ``head`` (its first few KiB) has."""
    if not head:
        return OCTET_STREAM
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    text = _as_text(head)
    if text is None:
        return OCTET_STREAM
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html")):
        return "text/html"
    if start.startswith("mime-version:") and "multipart/related" in start:
        return "multipart/related"  # a web page saved as MHTML
    if start.startswith("<?xml") or start.startswith("<svg"):
        return "image/svg+xml" if "<svg" in start else "application/xml"
    if start.startswith(("{", "[")):
        return "application/json" if _is_json_start(start) else "text/plain"
    return "text/plain"


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end inside a multi-byte character: accept a cut in the last three bytes only.
        if exc.start >= len(head) - 3:
            return head[: exc.start].decode("utf-8")
        return None


def _is_json_start(text: str) -> bool:
    stripped = text.lstrip("{[ \t\r\n")
    return stripped[:1] in {'"', "{", "[", "]", "}", ""} or stripped[:1].isdigit()
