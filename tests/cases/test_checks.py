"""The case settings are checked before the server starts; a bad value names the setting and the problem."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from huhang.cases.checks import case_settings
from huhang.site.env import env_json_object


def test_good_settings_pass(settings):
    settings.HUHANG_TRIAGE_RULES = {"max_patents_simple": 2}
    settings.HUHANG_SERVICE_RULES = {"public_notice_days": 30}
    assert case_settings() == []


def test_bad_settings_are_reported(settings):
    settings.HUHANG_TRIAGE_RULES = {"max_patents": 2}
    settings.HUHANG_SERVICE_RULES = {"public_notice_days": "thirty"}
    settings.HUHANG_CASE_NUMBER_PREFIXES = {"adjudication": ""}
    problems = case_settings()
    assert [p.id for p in problems] == ["huhang.cases.E001", "huhang.cases.E001", "huhang.cases.E002"]
    assert "HUHANG_TRIAGE_RULES" in problems[0].msg and "HUHANG_SERVICE_RULES" in problems[1].msg


def test_json_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("HUHANG_X", '{"public_notice_days": 30}')
    assert env_json_object("HUHANG_X") == {"public_notice_days": 30}
    monkeypatch.delenv("HUHANG_X")
    assert env_json_object("HUHANG_X") == {}
    for bad in ("[1]", "{oops"):
        monkeypatch.setenv("HUHANG_X", bad)
        with pytest.raises(ImproperlyConfigured, match="HUHANG_X"):
            env_json_object("HUHANG_X")
