"""The public API: a sorted ``__all__``, one exception base, docstring examples that run."""

import doctest

import huhang.documents as documents
from huhang.documents import DocumentError, FontNotFound, InvalidField, MissingField, UnknownKind, _format


def test_all_is_sorted_and_complete():
    assert documents.__all__ == sorted(documents.__all__, key=lambda name: (not name.isupper(), name))
    for name in documents.__all__:
        assert hasattr(documents, name), name


def test_every_error_is_a_document_error_and_a_value_error():
    for error in (UnknownKind, MissingField, InvalidField, FontNotFound):
        assert issubclass(error, DocumentError)
    assert issubclass(DocumentError, ValueError)
    error = DocumentError("boom", "出错")
    assert (error.message, error.message_zh, str(error)) == ("boom", "出错", "boom")


def test_docstring_examples_run():
    for module in (documents, _format):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__
