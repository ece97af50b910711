import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from activering.models import Team, User
from activering.roles import KLANTMANAGER
from clients.choices import LadderStep, Risk, Theme
from clients.models import Client
from locations.choices import PHYSICAL_KINDS, LocationKind, SafetyLevel, Threshold, Weekday
from locations.models import (
    Closure,
    District,
    Location,
    Neighbourhood,
    Offering,
    OpeningHours,
    Room,
)
from meetings.apps import ensure_seeded_meeting_types
from meetings.models import MeetingType

PASSWORD = "test-wachtwoord"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = "Team Activering Oost"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@activering.example")
    password = factory.django.Password(PASSWORD)
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        """`UserFactory(role=KLANTMANAGER)`: put the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class ClientFactory(factory.django.DjangoModelFactory):
    """A client of a new klantmanager in the default team. Traits: `oranje=True`, `rood=True`."""

    class Meta:
        model = Client

    klantnummer = factory.Sequence(lambda n: f"{1_000_000 + n:07d}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    postcode = factory.Iterator(["1094 AB", "1093 KL", "1087 ZW", "1097 DN", "1019 GT"])
    phone = "020 123 4567"
    email = factory.LazyAttribute(lambda client: f"klant{client.klantnummer}@example.org")
    case_manager = factory.SubFactory(UserFactory, role=KLANTMANAGER)
    ladder_step = LadderStep.SOCIAL_CONTACTS
    themes = factory.LazyFunction(lambda: [Theme.FINANCES, Theme.DAYTIME_ACTIVITY])
    risk = Risk.GROEN

    class Params:
        oranje = factory.Trait(
            risk=Risk.ORANJE,
            risk_reason="Werd boos aan de balie toen een uitkering werd stopgezet.",
            risk_set_by=factory.SelfAttribute("case_manager"),
            risk_set_at=factory.LazyFunction(timezone.now),
        )
        rood = factory.Trait(
            risk=Risk.ROOD,
            risk_reason="Heeft een medewerker bedreigd; alleen op beveiligde locatie, met duo.",
            risk_set_by=factory.SelfAttribute("case_manager"),
            risk_set_at=factory.LazyFunction(timezone.now),
        )


# Locations and conversation types ------------------------------------------------------------


class DistrictFactory(factory.django.DjangoModelFactory):
    """Oud-Oost by default (get-or-create by name, so locations share it)."""

    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "Oud-Oost"
    slug = factory.LazyAttribute(lambda district: slugify(district.name))
    pc4_codes = factory.LazyFunction(lambda: ["1091", "1092", "1093"])
    coverage_target = 5
    centre_latitude = Decimal("52.358000")
    centre_longitude = Decimal("4.921000")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("district", "name")

    district = factory.SubFactory(DistrictFactory)
    name = "Dapperbuurt"


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Taalcafé {n}")
    theme = Theme.LANGUAGE


class LocationFactory(factory.django.DjangoModelFactory):
    """A partner location in Oud-Oost at safety level basis (a private room, nothing more).

    Traits: `basis`, `verhoogd`, `beveiligd`, `no_private_room` (features); `client_home` and
    `remote` (virtual locations without address or gebied). The factory saves directly, with
    `pc4` and `district` set consistently, so tests can build states the admin would refuse.
    """

    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Buurtlocatie {n}")
    kind = LocationKind.PARTNER
    partner_organisation = "Buurtwerk Oost"
    street_address = factory.Sequence(lambda n: f"Wijttenbachstraat {n + 1}")
    postcode = "1093 JC"
    pc4 = factory.LazyAttribute(lambda location: location.postcode[:4])
    latitude = Decimal("52.361500")
    longitude = Decimal("4.926500")
    district = factory.SubFactory(DistrictFactory)
    threshold = Threshold.LOW
    has_private_room = True
    is_step_free = True
    is_active = True

    class Params:
        basis = factory.Trait(
            has_private_room=True,
            has_fixed_alarm=False,
            has_mobile_alarm=False,
            has_escape_route=False,
            has_colleague_nearby=False,
            has_reception_desk=False,
            has_camera_supervision=False,
        )
        verhoogd = factory.Trait(
            has_private_room=True,
            has_fixed_alarm=True,
            has_colleague_nearby=True,
            has_escape_route=True,
            has_reception_desk=False,
            has_camera_supervision=False,
        )
        beveiligd = factory.Trait(
            has_private_room=True,
            has_fixed_alarm=True,
            has_mobile_alarm=True,
            has_colleague_nearby=True,
            has_escape_route=True,
            has_line_of_sight=True,
            has_reception_desk=True,
            has_camera_supervision=True,
        )
        no_private_room = factory.Trait(has_private_room=False)
        client_home = factory.Trait(
            kind=LocationKind.CLIENT_HOME,
            name=factory.Sequence(lambda n: f"Bij de klant thuis {n}"),
            partner_organisation="",
            street_address="",
            postcode="",
            latitude=None,
            longitude=None,
            district=None,
            has_private_room=False,
        )
        remote = factory.Trait(
            kind=LocationKind.REMOTE,
            name=factory.Sequence(lambda n: f"Telefonisch / video {n}"),
            partner_organisation="",
            street_address="",
            postcode="",
            latitude=None,
            longitude=None,
            district=None,
            has_private_room=False,
        )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Spreekkamer {n + 1}")
    capacity = 4
    is_active = True


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    """Monday 09:00–17:00 of the location's general hours (pass `room=` for an override)."""

    class Meta:
        model = OpeningHours

    location = factory.SubFactory(LocationFactory)
    room = None
    weekday = Weekday.MONDAY
    opens = datetime.time(9, 0)
    closes = datetime.time(17, 0)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    location = factory.SubFactory(LocationFactory)
    room = None
    starts_on = datetime.date(2026, 3, 30)
    ends_on = factory.SelfAttribute("starts_on")
    reason = "Verbouwing"


class MeetingTypeFactory(factory.django.DjangoModelFactory):
    """A custom conversation type; for the eight seeded ones use `meeting_type(slug)`."""

    class Meta:
        model = MeetingType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gesprekstype {n}")
    slug = factory.Sequence(lambda n: f"gesprekstype-{n}")
    duration_minutes = 45
    minimum_safety_level = SafetyLevel.BASIS
    allowed_kinds = factory.LazyFunction(lambda: list(PHYSICAL_KINDS))
    needs_room = True
    min_capacity = 1
    override_allowed = True


def meeting_type(slug: str) -> MeetingType:
    """One of the eight seeded conversation types (meetings migration 0002)."""
    ensure_seeded_meeting_types()
    return MeetingType.objects.get(slug=slug)
