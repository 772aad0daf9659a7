import doctest

import pytest

from huhang.analytics import ipc, keywords
from huhang.analytics.search import tokenize


@pytest.mark.parametrize("module", [ipc, keywords, tokenize], ids=lambda m: m.__name__)
def test_examples_in_docstrings(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
