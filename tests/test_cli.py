"""The ``huhang`` command accepts hyphenated spellings of command names."""

from huhang.cli import _command_name


def test_hyphens_name_the_command_with_underscores():
    assert _command_name("demo-data") == "demo_data"


def test_unknown_hyphenated_names_are_left_alone():
    assert _command_name("no-such-command") == "no-such-command"
