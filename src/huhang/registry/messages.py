"""Turn core-package errors into messages in the page's language."""

from django.utils.translation import get_language

from huhang.identifiers import IdentifierError


def identifier_message(exc: IdentifierError) -> str:
    if (get_language() or "zh-hans").startswith("zh"):
        return exc.message_zh
    return str(exc)
