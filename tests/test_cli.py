"""The ``huhang`` command accepts hyphenated spellings of command names."""

from huhang.cli import _command_name


def test_hyphens_name_the_command_with_underscores():
    assert _command_name("demo-data") == "demo_data"


def test_unknown_hyphenated_names_are_left_alone():
    assert _command_name("no-such-command") == "no-such-command"


def _huhang(data_dir, *args):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "HUHANG_TESTING"}}
    env.update(HUHANG_DATA_DIR=str(data_dir), DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}")
    return subprocess.run(
        [sys.executable, "-m", "huhang", *args], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_two_instances_run_side_by_side(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for data_dir in (a, b):
        _huhang(data_dir, "migrate", "--no-input", "-v0")
    _huhang(a, "demo-data", "--scale", "40", "--entities-only")
    count = "from huhang.registry.models import Entity; print(Entity.objects.count())"
    assert _huhang(a, "shell", "--no-imports", "-c", count).strip() == "40"
    assert _huhang(b, "shell", "--no-imports", "-c", count).strip() == "0"
    assert (a / "secret_key").read_text() != (b / "secret_key").read_text()


def test_every_huhang_command_has_help():
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith("huhang.")}
    assert {"serve", "demo_data", "import", "export", "load_patents", "ledger", "witness", "evidence"} <= set(ours)
    for name, app in ours.items():
        assert load_command_class(app, name).help, f"huhang {name} is missing its help"
