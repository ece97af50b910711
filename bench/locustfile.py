"""The fixed mix of `manage.py bench`: what klantmanagers and teamleiders do all day.

Run by `manage.py bench` (never by hand against anything but loopback). Each simulated
klantmanager signs in once, learns a few of their clients from the client list, and then:
looks up suggestions for a client and a type (the htmx fragment), books a free slot, opens the
agenda, searches clients. A teamleider opens the coverage dashboard. `/healthz` is the floor.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

SCALE = os.environ.get("BENCH_SCALE", "oost")
PASSWORD = "activering-bench"  # noqa: S105 (generated data; see bench.generate)
KLANTMANAGERS = {"tiny": 4, "oost": 25, "amsterdam": 600}[SCALE]
TEAMLEIDERS = {"tiny": 2, "oost": 4, "amsterdam": 22}[SCALE]
TYPES = ["kennismaking", "voortgangsgesprek"]
SEARCHES = ["klant 1", "Fatima", "3000", "Yusuf", "klant 27"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_LINK = re.compile(r'href="/klanten/(\d+)/"')


class Staff(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.25)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/inloggen/", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/inloggen/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
        )
        self.csrf = self.client.cookies.get("csrftoken", "")

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class Klantmanager(Staff):
    weight = 5

    def on_start(self) -> None:
        self.username = f"klantmanager{random.randint(1, KLANTMANAGERS)}"
        super().on_start()
        listing = self.client.get("/klanten/", name="client list")
        self.clients = CLIENT_LINK.findall(listing.text)[:25] or ["0"]

    @task(4)
    def suggestions(self) -> None:
        self.client.get(
            "/gesprekken/nieuw/",
            params={"client": random.choice(self.clients), "type": random.choice(TYPES)},
            headers={"HX-Request": "true"},
            name="suggestions",
        )

    @task(2)
    def agenda(self) -> None:
        self.client.get("/agenda/", name="agenda")

    @task(2)
    def client_search(self) -> None:
        self.client.get(
            "/klanten/",
            params={"q": random.choice(SEARCHES)},
            headers={"HX-Request": "true"},
            name="client search",
        )


class Teamleider(Staff):
    weight = 1

    def on_start(self) -> None:
        self.username = f"teamleider{random.randint(1, TEAMLEIDERS)}"
        super().on_start()

    @task(2)
    def coverage(self) -> None:
        self.client.get("/dekking/", name="coverage")
