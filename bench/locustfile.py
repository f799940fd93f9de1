"""The users of the load test (bench/load.py writes the plan this file reads and runs locust on it).

One locust user class per role, each logged in with a session bench/load.py made in-process (no
password hashing under load, nothing for the login lockouts to count), opening its pages at random
with a think time between them; the team leader also opens the report editor and autosaves a
topic as the editor's htmx does. Every answer but 200 is a failure (redirects are not followed: a
302 to the login page is a failure, not a page).
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOPIC_FORM_RE = re.compile(r'data-topic-form data-content="(\d+)"')


def version_re(content_pk):
    # The topic form's hidden field, and the same field the autosave answer swaps in (out of band).
    return re.compile(rf'name="version" value="(\d+)" id="topic-{content_pk}-version"')


class RoleUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*PLAN["think_seconds"])

    def on_start(self):
        spec = PLAN["roles"][self.role]
        if spec["session"]:
            self.client.cookies.set(PLAN["session_cookie"], spec["session"])
        self.pages = spec["pages"]

    def open(self, name, path, **kwargs):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
        # With DEBUG=0 the app marks its cookies Secure (production is behind TLS) and requests
        # would not send them over the benchmark's plain HTTP: unmark them, as if TLS were there.
        for cookie in self.client.cookies:
            cookie.secure = False
        return response

    @task(4)
    def page(self):
        name, path = random.choice(self.pages)
        self.open(name, path)


class CBAdmin(RoleUser):
    role = "admin"
    weight = 3


class Committee(RoleUser):
    role = "committee"
    weight = 1


class Auditor(RoleUser):
    role = "auditor"
    weight = 1


class ClientUser(RoleUser):
    role = "client"
    weight = 2


class Public(RoleUser):
    role = "public"
    weight = 1


class TeamLeader(RoleUser):
    """Also writes the report: each locust user takes its own topic, so no two of them save the
    same topic (that is an edit conflict, 409, by design) and the version it sends is the one it
    last saw, as in the browser."""

    role = "team leader"
    weight = 2
    numbers = itertools.count()

    def on_start(self):
        super().on_start()
        self.editor_path = PLAN["editor"]
        self.saves = 0
        self.read_editor()

    def read_editor(self):
        response = self.open("team leader · report editor", self.editor_path)
        topics = TOPIC_FORM_RE.findall(response.text)
        if not topics:
            raise RuntimeError(f"No topic the team leader may write in {self.editor_path}")
        self.topic = topics[next(self.numbers) % len(topics)]
        self.csrf = CSRF_RE.search(response.text).group(1)
        self.version = version_re(self.topic).search(response.text).group(1)

    @task(1)
    def editor(self):
        self.read_editor()

    @task(2)
    def autosave(self):
        """What htmx posts a second after typing stops (reports/_topic_card.html): the form's
        fields (CSRF token, version, left_blank_present, text) with htmx's headers and the
        browser's Origin (Django checks it on a POST)."""
        self.saves += 1
        text = f"Bench autosave {self.saves}: " + "the organisation keeps its documented information. " * 6
        data = {"csrfmiddlewaretoken": self.csrf, "version": self.version, "left_blank_present": "1", "text": text}
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": self.client.base_url + self.editor_path,
            "HX-Target": f"topic-{self.topic}-status",
            "HX-Trigger": f"topic-{self.topic}-text",
            "HX-Trigger-Name": "text",
            "Origin": self.client.base_url,
            "Referer": self.client.base_url + self.editor_path,
        }
        with self.client.post(
            PLAN["topic_save"].format(pk=self.topic),
            data=data,
            headers=headers,
            name="team leader · autosave (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            found = version_re(self.topic).search(response.text) if response.status_code == 200 else None
            if found is None:
                response.failure(f"HTTP {response.status_code}")
                self.read_editor()  # take the current version, as reloading the page would
            else:
                self.version = found.group(1)
