"""Demo staff: 25 klantmanagers, 2 teamleiders and 1 beheerder (fictional people)."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from activering.models import Team, User
from activering.roles import BEHEERDER, KLANTMANAGER, TEAMLEIDER

DEMO_PASSWORD = "activering-demo"  # noqa: S105  (demo data only, printed on purpose)

_FIRST_NAMES = [
    "Fatima", "Jeroen", "Samira", "Kees", "Naima", "Ruben", "Priya", "Mehmet", "Lotte", "Yusuf",
    "Anouk", "Bram", "Esra", "Daan", "Ilse", "Mohamed", "Sanne", "Tariq", "Femke", "Hakan",
    "Noor", "Wouter", "Latifa", "Joris", "Mirjam", "Carla", "Orlando", "Hanneke",
]  # fmt: skip
_LAST_NAMES = [
    "El Amrani", "de Vries", "Bakker", "Yilmaz", "Jansen", "Ramdin", "Visser", "Öztürk",
    "Smit", "Bouzid", "Mulder", "de Boer", "Kartosen", "Meijer", "Aydin", "Bos", "Pinas",
    "Vos", "Haddou", "Peters", "Hendriks", "Dekker", "Brouwer", "van Dijk", "Koster",
    "Sedney", "Lieveld", "Zwart",
]  # fmt: skip


def demo_logins() -> list[tuple[str, str]]:
    """(username, role) of every demo account, in the order they are printed."""
    return (
        [(f"klantmanager{n}", KLANTMANAGER) for n in range(1, 26)]
        + [(f"teamleider{n}", TEAMLEIDER) for n in range(1, 3)]
        + [("beheerder1", BEHEERDER)]
    )


def create_staff() -> list[User]:
    """Create the demo accounts that do not exist yet; returns all of them."""
    team, _created = Team.objects.get_or_create(name="Team Activering Oost")
    groups = {group.name: group for group in Group.objects.all()}
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow by design
    users = []
    for index, (username, role) in enumerate(demo_logins()):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": _FIRST_NAMES[index],
                "last_name": _LAST_NAMES[index],
                "email": f"{username}@activering.example",
                "password": password,
                "team": None if role == BEHEERDER else team,
            },
        )
        if created:
            user.groups.add(groups[role])
        users.append(user)
    return users
