"""Demo clients: about 600 fictional people in Amsterdam-Oost, the same on every run.

Names are combined at random from common Amsterdam first and last names; nobody is real. Every
client belongs to one of the 25 demo klantmanagers (activering.demo.create_staff), round-robin.
"""

import random
import re
import unicodedata
from datetime import timedelta

from django.utils import timezone

from activering.models import User
from clients.choices import LadderStep, Language, Risk, Theme
from clients.models import Client

DEMO_CLIENT_COUNT = 600
_SEED = 20_261_123

_FIRST_NAMES = [
    "Mohamed", "Fatima", "Ahmed", "Khadija", "Youssef", "Noura", "Mustafa", "Aïcha", "Omar",
    "Hanan", "Bilal", "Ikram", "Ibrahim", "Soufiane", "Zineb", "Emre", "Ayşe", "Hatice", "Murat",
    "Elif", "Kemal", "Fatma", "Jan", "Piet", "Marja", "Ingrid", "Henk", "Kees", "Anja", "Wilma",
    "Gerrit", "Sandra", "Dennis", "Kevin", "Chantal", "Priscilla", "Ricardo", "Marvin", "Shirley",
    "Romano", "Gladys", "Errol", "Sharon", "Jermaine", "Shanti", "Rajesh", "Sunita", "Vikash",
    "Dewi", "Agnieszka", "Piotr", "Tomasz", "Olena", "Oleksandr", "Tesfay", "Selam", "Yonas",
    "Abdi", "Hodan", "Sarah", "Thomas", "Lisa", "Sem", "Julia", "Ramon", "Naima", "Rachid",
    "Samira", "Erik", "Monique",
]  # fmt: skip
_LAST_NAMES = [
    "El Idrissi", "Amrani", "Bennani", "Ouali", "Tahiri", "Azzouzi", "Boukhari", "El Khatib",
    "Yıldız", "Kaya", "Demir", "Şahin", "Çelik", "Arslan", "de Jong", "Jansen", "de Vries",
    "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
    "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Kramer", "Sedney", "Pinas", "Kartodikromo", "Doelwijt", "Biharie", "Ramlal", "Jagesar",
    "Soekhoe", "Martina", "Rosalia", "Maduro", "Kowalski", "Nowak", "Wiśniewska", "Kovalenko",
    "Shevchenko", "Tesfamariam", "Haile", "Mohamud", "Ali", "Hassan", "Rahimi", "Ahmadi",
    "Rodríguez", "Fernandes", "van der Linden", "Koç", "Aydın", "El Ouardi", "Lont",
]  # fmt: skip

# PC4 areas of Oost with their share of clients (more in Transvaal, Dapperbuurt and the
# Indische Buurt) and a few public street names in each.
_AREAS: dict[str, tuple[int, list[str]]] = {
    "1019": (5, ["KNSM-laan", "Levantkade", "Sumatrakade", "Borneolaan", "Cruquiusweg"]),
    "1086": (7, ["IJburglaan", "Pampuslaan", "Krijn Taconiskade"]),
    "1087": (9, ["Talbotstraat", "Ben van Meerendonkstraat", "Diemerparklaan", "Tom Schreursweg"]),
    "1091": (8, ["Wibautstraat", "Tweede Oosterparkstraat", "Blasiusstraat", "Oosterpark"]),
    "1092": (10, ["Linnaeusstraat", "Mauritskade", "Eerste van Swindenstraat", "Pontanusstraat"]),
    "1093": (13, ["Dapperstraat", "Wijttenbachstraat", "Transvaalkade", "Pretoriusstraat"]),
    "1094": (16, ["Javastraat", "Balistraat", "Celebesstraat", "Molukkenstraat", "Sumatrastraat"]),
    "1095": (11, ["Javaplein", "Zeeburgerdijk", "Timorplein", "Makassarstraat", "Soembawastraat"]),
    "1096": (5, ["Hugo de Vrieslaan", "Amsteldijk", "Schollenbrugstraat"]),
    "1097": (9, ["Middenweg", "Brink", "Onderlangs", "Christiaan Huygensplein"]),
    "1098": (7, ["Kruislaan", "Pythagorasstraat", "Copernicusstraat", "Galileïplantsoen"]),
}  # fmt: skip
# Dutch postcodes never use SA, SD or SS as letters.
_LETTERS = [a + b for a in "ABCDEFGHJKLMNPRSTVWXZ" for b in "ABCDEFGHJKLMNPRSTVWXZ"]
_LETTERS = [pair for pair in _LETTERS if pair not in {"SA", "SD", "SS"}]

_RISKS = [(Risk.GROEN, 85), (Risk.ORANJE, 12), (Risk.ROOD, 3)]
_ORANJE_REASONS = [
    "Verbaal agressief geworden aan de telefoon toen een betaling later kwam.",
    "Raakt snel overstuur bij gesprekken over de schulden; eerder met de vuist op tafel geslagen.",
    "Melding van de wijkagent over huiselijke spanningen; liever niet alleen op huisbezoek.",
    "Stond onaangekondigd en boos bij het stadsloket na een brief over de uitkering.",
    "Psychische klachten, wisselend contact; bij het vorige gesprek dreigend taalgebruik.",
]
_ROOD_REASONS = [
    "Heeft een klantmanager fysiek bedreigd; alleen op een beveiligde locatie, altijd met duo.",
    "Incident met een wapen bij een partnerorganisatie gemeld; alleen beveiligd en met duo.",
    "Herhaalde ernstige bedreigingen per telefoon en bij de balie; aangifte gedaan.",
]
_LADDER_STEPS = [
    (LadderStep.ISOLATED, 28),
    (LadderStep.SOCIAL_CONTACTS, 32),
    (LadderStep.ORGANISED_ACTIVITIES, 24),
    (LadderStep.UNPAID_WORK, 9),
    (LadderStep.PAID_WORK_WITH_SUPPORT, 5),
    (LadderStep.PAID_WORK, 2),
]
_THEMES = [
    (Theme.FINANCES, 30),
    (Theme.DEBTS, 25),
    (Theme.DAYTIME_ACTIVITY, 30),
    (Theme.HEALTH, 25),
    (Theme.LANGUAGE, 20),
    (Theme.WORK, 15),
    (Theme.SOCIAL, 20),
]
_LANGUAGES = [
    (Language.DUTCH, 58), (Language.ARABIC, 8), (Language.TAMAZIGHT, 6), (Language.TURKISH, 7),
    (Language.ENGLISH, 4), (Language.PAPIAMENTO, 3), (Language.SRANAN, 3), (Language.POLISH, 3),
    (Language.UKRAINIAN, 3), (Language.TIGRINYA, 2), (Language.SOMALI, 1), (Language.PERSIAN, 1),
    (Language.SPANISH, 1),
]  # fmt: skip


def _pick[T](rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _email(first_name: str, last_name: str) -> str:
    """ "Ayşe", "Yıldız" → "ayse.yldz@example.org" (example.org never delivers)."""
    ascii_name = unicodedata.normalize("NFKD", f"{first_name}.{last_name}")
    local = re.sub(r"[^a-z.]", "", ascii_name.encode("ascii", "ignore").decode().lower())
    return f"{local}@example.org"


def _demo_klantmanagers() -> list[User]:
    names = [f"klantmanager{n}" for n in range(1, 26)]
    by_name = {user.username: user for user in User.objects.filter(username__in=names)}
    return [by_name[name] for name in names if name in by_name]


def _build_clients(managers: list[User]) -> list[Client]:
    rng = random.Random(_SEED)  # noqa: S311 (demo data, not security)
    now = timezone.now()
    klantnummers = rng.sample(range(1_000_000, 10_000_000), DEMO_CLIENT_COUNT)
    areas = [(pc4, weight) for pc4, (weight, _streets) in _AREAS.items()]
    clients = []
    for index, klantnummer in enumerate(klantnummers):
        first_name = rng.choice(_FIRST_NAMES)
        last_name = rng.choice(_LAST_NAMES)
        pc4 = _pick(rng, areas)
        street = rng.choice(_AREAS[pc4][1])
        risk = _pick(rng, _RISKS)
        reasons = {Risk.ORANJE: _ORANJE_REASONS, Risk.ROOD: _ROOD_REASONS}.get(risk)
        manager = managers[index % len(managers)]
        themes = {_pick(rng, _THEMES) for _ in range(rng.choice([1, 1, 2, 2, 2, 3]))}
        has_email = rng.random() < 0.5
        clients.append(
            Client(
                klantnummer=f"{klantnummer:07d}",
                first_name=first_name,
                last_name=last_name,
                postcode=f"{pc4} {rng.choice(_LETTERS)}",
                address=f"{street} {rng.randint(1, 180)}",
                phone=f"06 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
                if rng.random() < 0.85
                else "",
                email=_email(first_name, last_name) if has_email else "",
                preferred_language=_pick(rng, _LANGUAGES),
                case_manager=manager,
                ladder_step=_pick(rng, _LADDER_STEPS),
                themes=[theme.value for theme in Theme if theme in themes],
                risk=risk,
                risk_reason=rng.choice(reasons) if reasons else "",
                risk_set_by=manager if reasons else None,
                risk_set_at=now - timedelta(days=rng.randint(3, 400)) if reasons else None,
                needs_step_free=rng.random() < 0.08,
                is_active=rng.random() < 0.97,
            )
        )
    return clients


def create_clients() -> int:
    """Create the demo clients that do not exist yet (by klantnummer); returns how many demo
    clients there are. Needs the demo klantmanagers (activering.demo.create_staff) first."""
    managers = _demo_klantmanagers()
    if not managers:
        return 0
    clients = _build_clients(managers)
    existing = set(
        Client.objects.filter(klantnummer__in=[c.klantnummer for c in clients]).values_list(
            "klantnummer", flat=True
        )
    )
    Client.objects.bulk_create(
        [client for client in clients if client.klantnummer not in existing], batch_size=500
    )
    return len(clients)
