"""``huhang surveys load-default`` and ``huhang surveys publish FILE``."""

import json

import pytest
from django.core.management import CommandError, call_command

from huhang.surveys.models import Questionnaire
from tests.surveys.conftest import small_definition

pytestmark = pytest.mark.django_db


def test_load_default_publishes_once(capsys):
    call_command("surveys", "load-default")
    assert "Published k1-satisfaction v1" in capsys.readouterr().out
    call_command("surveys", "load-default")
    assert "Already published: k1-satisfaction v1" in capsys.readouterr().out
    assert Questionnaire.objects.count() == 1


def test_publish_a_file_as_the_next_version(tmp_path, capsys):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(small_definition(), ensure_ascii=False), encoding="utf-8")
    call_command("surveys", "publish", str(path))
    changed = small_definition()
    changed["questions"][0]["weight"] = 5
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    call_command("surveys", "publish", str(path))
    assert "Published small v2" in capsys.readouterr().out
    assert list(Questionnaire.objects.filter(code="small").values_list("version", flat=True)) == [2, 1]


def test_publish_refuses_a_bad_file_with_every_reason(tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    path = tmp_path / "bad.json"
    bad = small_definition()
    bad["questions"][0]["weight"] = -1
    bad["questions"][1]["kind"] = "stars"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("surveys", "publish", str(path))
    assert "Question 1 (q1): the weight must be a number of 0 or more, not -1." in str(refused.value)
    assert "Question 2 (q2): “kind” must be one of" in str(refused.value)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("surveys", "publish", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("surveys", "publish", str(tmp_path / "missing.json"))
    assert not Questionnaire.objects.exists()
