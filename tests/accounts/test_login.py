"""Logging in: strong hashing, throttling after repeated failures, Chinese by default."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from huhang.accounts.models import User

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page


def test_anonymous_is_sent_to_login(client):
    response = client.get("/registry/entities/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_login_succeeds(client, handler):
    response = client.post("/accounts/login/", {"username": "handler", "password": "correct horse battery"})
    assert response.status_code == 302


def test_repeated_failures_lock_the_account(client, handler):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "handler", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "handler", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(db):
    user = User.objects.create_user(username="u", password="a long passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_production_settings_are_argon2_first(tmp_path):
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    env = {**os.environ, "HUHANG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "huhang.site.settings"}
    env.pop("HUHANG_TESTING", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("Argon2PasswordHasher")


def test_session_and_csrf_cookies_are_http_only(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_english_browser_still_gets_chinese_until_the_user_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert 'lang="en"' in client.get("/accounts/login/").content.decode()
