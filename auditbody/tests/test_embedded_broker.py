"""`make run`'s embedded broker: a real worker takes a task queued through kombu's filesystem
transport and its result comes back, with no broker server (settings: CELERY_BROKER_URL=filesystem://)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_task_queued_on_the_filesystem_broker_is_run_by_a_real_worker(tmp_path):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("CELERY_RESULT_BACKEND", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "auditbody", "worker", "--pool=solo", "--loglevel=warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        ask = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from django.conf import settings; from auditbody.tasks import ping; "
                "print(settings.CELERY_TASK_ALWAYS_EAGER, ping.delay().get(timeout=120))",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert ask.stdout.split() == ["False", "pong"], ask.stderr
    assert list((tmp_path / "queue").iterdir()) == []  # the message was taken, not left behind
    assert not (ROOT / "control").exists()  # the broadcast exchange files stay in the broker's folder
