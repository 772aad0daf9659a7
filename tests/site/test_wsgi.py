"""The WSGI application: hash submissions go through the gateway, and a new process is warm before its first
request (its URL configuration and translations loaded at import, not by the first requests)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import huhang.site.wsgi as wsgi
from django.urls import get_resolver
from django.utils.translation import trans_real
print(json.dumps({
    "application": type(wsgi.application).__name__,
    "urls_loaded": get_resolver()._populated,
    "languages": sorted(trans_real._translations),
}))
"""


def test_a_new_process_is_warm_once_it_imported_the_application(tmp_path):
    env = dict(
        os.environ,
        HUHANG_DATA_DIR=str(tmp_path),
        PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state == {"application": "HashGateway", "urls_loaded": True, "languages": ["en", "zh-hans"]}
