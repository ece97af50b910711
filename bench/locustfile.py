"""The fixed mix of `manage.py bench`: what klantmanagers and teamleiders do all day.

Run by `manage.py bench` (never by hand against anything but loopback). Each simulated
klantmanager signs in once, learns a few of their clients from the client list, and then:
looks up suggestions for a client and a type (the htmx fragment), books a free slot, opens the
agenda, searches clients. A teamleider opens the coverage dashboard. `/healthz` is the floor.
"""

from __future__ import annotations

import html
import os
import random
import re
from urllib.parse import parse_qsl, urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

SCALE = os.environ.get("BENCH_SCALE", "oost")
PASSWORD = "activering-bench"  # noqa: S105 (generated data; see bench.generate)
KLANTMANAGERS = {"tiny": 4, "oost": 25, "amsterdam": 600}[SCALE]
TEAMLEIDERS = {"tiny": 2, "oost": 4, "amsterdam": 22}[SCALE]
TYPES = ["kennismaking", "voortgangsgesprek"]
SEARCHES = ["jans", "de vries", "fatima", "30001", "1093", "bakker", "yilmaz", "noor el"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_LINK = re.compile(r'href="/klanten/(\d+)/"')
SLOT_LINK = re.compile(r'class="app-slot" href="/gesprekken/nieuw/\?([^"]+)"')
CO_HOST = re.compile(r'<select name="co_host"([^>]*)>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
#: What htmx sends from the booking page: the suggestions, confirm step and booking all swap
#: the element with id "suggestions", and the view answers with that partial only.
FRAGMENT = {"HX-Request": "true", "HX-Target": "suggestions"}
TAG = re.compile(r"<[^>]+>")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Staff(FastHttpUser):
    abstract = True
    wait_time = between(0.05, 0.25)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/inloggen/", name="login page")
        token = CSRF.search(page.text or "")
        self.client.post(
            "/inloggen/",
            urlencode(
                {
                    "username": self.username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                }
            ),
            headers=FORM,
            name="login",
        )

    def csrf_cookie(self) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"), "")

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class Klantmanager(Staff):
    weight = 5

    def on_start(self) -> None:
        self.username = f"klantmanager{random.randint(1, KLANTMANAGERS)}"
        super().on_start()
        listing = self.client.get("/klanten/", name="client list")
        self.clients = CLIENT_LINK.findall(listing.text or "")[:25] or ["0"]

    @task(4)
    def suggestions(self) -> None:
        query = urlencode({"client": random.choice(self.clients), "type": random.choice(TYPES)})
        self.client.get(
            f"/gesprekken/nieuw/?{query}",
            headers=FRAGMENT,
            name="suggestions",
        )

    @task(1)
    def booking(self) -> None:
        """Pick a free slot from the suggestions, open the confirm step, confirm. A conflict
        (409, someone else was faster) is a correct answer under concurrent load."""
        client = random.choice(self.clients)
        kind = random.choice(TYPES)
        fragment = self.client.get(
            f"/gesprekken/nieuw/?{urlencode({'client': client, 'type': kind})}",
            headers=FRAGMENT,
            name="suggestions",
        )
        slots = SLOT_LINK.findall(fragment.text or "")
        if not slots:
            return
        query = html.unescape(random.choice(slots[:12]))
        confirm = self.client.get(
            f"/gesprekken/nieuw/?{query}", headers=FRAGMENT, name="confirm step"
        )
        fields = dict(parse_qsl(query))
        data = {
            "csrfmiddlewaretoken": self.csrf_cookie(),
            "client": client,
            "type": kind,
            "group_size": fields.get("group_size", "1"),
            "location": fields["location"],
            "room": fields.get("room", ""),
            "starts_at": fields["at"],
            "override_reason": "Dichtbij huis; de klant komt anders niet (benchmark).",
        }
        select = CO_HOST.search(confirm.text or "")
        if select and "required" in select.group(1):
            options = OPTION.findall(select.group(2))
            data["co_host"] = options[0] if options else ""
        with self.client.post(
            "/gesprekken/nieuw/",
            urlencode(data),
            headers={**FRAGMENT, **FORM, "X-CSRFToken": data["csrfmiddlewaretoken"]},
            name="booking",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (200, 302, 409):
                response.success()
            else:
                text = " ".join(TAG.sub(" ", response.text or "").split())
                response.failure(f"{response.status_code}: {text[:400]}")

    @task(2)
    def agenda(self) -> None:
        self.client.get("/agenda/", name="agenda")

    @task(2)
    def client_search(self) -> None:
        self.client.get(
            f"/klanten/?{urlencode({'q': random.choice(SEARCHES)})}",
            headers={"HX-Request": "true"},
            name="client search",
        )


class Teamleider(Staff):
    fixed_count = 1  # one teamleider watching the dashboard, whatever the concurrency

    def on_start(self) -> None:
        self.username = f"teamleider{random.randint(1, TEAMLEIDERS)}"
        super().on_start()

    @task(2)
    def coverage(self) -> None:
        self.client.get("/dekking/", name="coverage")
