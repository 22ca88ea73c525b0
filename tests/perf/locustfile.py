"""The users of a regional deployment, for locust (started by ``tests/perf/load.py``).

Each simulated user is one login from the plan file (``LOAD_PLAN``, JSON written by load.py):
its session cookie and the pages and rows it works on. Users act at a set pace whatever the
response times (``poisson_pacing``): the time from one action's start to the next is drawn
from an exponential distribution with mean 1/PACE, so the users' actions together arrive as
a Poisson stream at the set rate, rather than as fast as the server answers. (locust's
``constant_throughput`` keeps every user on a fixed two-second grid from the moment it was
spawned; users spawned together stayed in step and the requests came in bursts of ~48 within
100 ms, once a second, instead of ~6 every 100 ms.)

A request fails when it times out, answers 5xx, or answers any status the scenario did not
expect (a 403/404/400 where a page or a redirect after a POST was expected counts too).

The users are FastHttpUser (geventhttpclient), which locust recommends for high rates: the
load generator shares the machine with the server, and requests' client cost it about three
times the CPU per request. Each user sends its session and a CSRF cookie of its own in a fixed
Cookie header (Django then sets neither), and takes the form token from the page it opened.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

import gevent
from django.utils.crypto import get_random_string
from locust import FastHttpUser, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
URLS = PLAN["urls"]
PACE = float(os.environ.get("LOAD_PACE", "0.5"))  # actions per second and user
TIMEOUT = 10
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def poisson_pacing(rate: float):
    """A locust wait_time: the next action starts an exponentially distributed time (mean
    1/rate) after the previous one started, or at once when that one took longer."""

    def wait_time(user) -> float:
        now = time.perf_counter()
        gap = user.rng.expovariate(rate)
        wait = max(0.0, gap - (now - user._action_started))
        user._action_started = now + wait
        return wait

    return wait_time


_logins = {
    role: itertools.cycle(PLAN[role]) for role in ("secretary", "office", "member", "viewer")
}


class PortalUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = poisson_pacing(PACE)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT

    def on_start(self) -> None:
        self.login = next(_logins[self.role])
        # Django's CSRF secret: 32 letters and digits (a masked token is 64).
        cookie = f"sessionid={self.login['cookie']}; csrftoken={get_random_string(32)}"
        self.headers = {"Cookie": cookie, "Accept-Language": "zh-hans"}
        self.rng = random.Random()
        # Users spawned in one batch start at random moments of the first pace interval.
        gevent.sleep(self.rng.uniform(0, 1 / PACE))
        self._action_started = time.perf_counter()

    def page(self, url: str, name: str, expect: int = 200, headers: dict | None = None) -> str:
        with self.client.get(
            url,
            name=name,
            allow_redirects=False,
            catch_response=True,
            headers={**self.headers, **(headers or {})},
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} (expected {expect})")
                return ""
            return response.text

    def post(self, url: str, name: str, data: dict, page: str, files=None, expect=302) -> None:
        token = TOKEN.search(page)
        if token is None:
            return
        with self.client.post(
            url,
            name=name,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            files=files,
            headers={**self.headers, "Referer": self.host + url},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} (expected {expect})")


class Secretary(PortalUser):
    """Opens the to-do list, saves and submits reports, uploads a file."""

    role = "secretary"
    weight = 60

    def _assignment(self):
        pks = self.login["assignments"]
        return pks[self.rng.randrange(len(pks))] if pks else None

    @task(8)
    def todo(self) -> None:
        self.page(self.login["todo"], "secretary: to-do list")

    @task(4)
    def save_draft(self) -> None:
        self._edit("save", "secretary: save draft")

    @task(2)
    def upload(self) -> None:
        self._edit("save", "secretary: upload a file", upload=True)

    @task(1)
    def submit(self) -> None:
        pks = self.login["to_submit"]
        if pks:
            self._edit("submit", "secretary: submit", pk=pks.pop())

    def _edit(self, action: str, name: str, *, pk=None, upload=False) -> None:
        pk = pk or self._assignment()
        if pk is None:
            return
        url = URLS["assignment"].format(pk=pk)
        page = self.page(url, "secretary: open a task")
        version = VERSION.search(page)
        if version is None:
            return
        data = {
            "version": version.group(1),
            "action": action,
            "report_text": f"本支部按要求完成，第{self.rng.randrange(1000)}稿。",
        }
        files = {"upload": ("材料.pdf", PDF, "application/pdf")} if upload else None
        self.post(url, name, data, page, files=files)


class Office(PortalUser):
    """Opens the review list, approves, opens the 1,000-branch dashboard, asks for a workbook."""

    role = "office"
    weight = 6

    @task(5)
    def review_list(self) -> None:
        self.page(URLS["review_list"], "office: review list")

    @task(3)
    def approve(self) -> None:
        pks = self.login["to_approve"]
        if not pks:
            return
        pk = pks.pop()
        page = self.page(URLS["assignment"].format(pk=pk), "office: open a submission")
        self.post(URLS["review"].format(pk=pk), "office: approve", {"action": "approve"}, page)

    @task(1)
    def dashboard(self) -> None:
        self.page(self.login["dashboard"], "office: 1,000-branch dashboard")

    @task(1)
    def workbook(self) -> None:
        if self.rng.random() < 0.3:  # now and then, not on every visit to the dashboard
            page = self.page(self.login["dashboard"], "office: 1,000-branch dashboard")
            expect = self.login["export_expect"]
            self.post(self.login["export"], "office: request the workbook", {}, page, expect=expect)


class CommitteeMember(PortalUser):
    """Opens the liaison view: the branch list and the notice's matrix of his branches."""

    role = "member"
    weight = 10

    @task(3)
    def branches(self) -> None:
        self.page(URLS["liaison_branches"], "member: liaison branches")

    @task(1)
    def matrix(self) -> None:
        self.page(self.login["liaison"], "member: liaison dashboard")


class RegionalViewer(PortalUser):
    """Opens the region tree, and now and then a committee's subtree."""

    role = "viewer"
    weight = 4

    @task(3)
    def tree(self) -> None:
        self.page(URLS["region_tree"], "viewer: region tree")

    @task(1)
    def subtree(self) -> None:
        url = self.rng.choice(self.login["subtrees"])
        self.page(url, "viewer: open a committee", headers={"HX-Request": "true"})
