"""The eight conversation types of DOMAIN.md, as defaults the beheerder can change later.

The data is written out here (not imported from app code) so this migration keeps meaning the
same thing when the code changes.
"""

from django.db import migrations

STADSLOKET = "stadsloket"
PARTICIPATIECENTRUM = "participatiecentrum"
HUIS_VAN_DE_WIJK = "huis_van_de_wijk"
BIBLIOTHEEK = "bibliotheek"
PARTNER = "partner"
CLIENT_HOME = "client_home"
REMOTE = "remote"

PHYSICAL = [STADSLOKET, PARTICIPATIECENTRUM, HUIS_VAN_DE_WIJK, BIBLIOTHEEK, PARTNER]
# "Partner locations" (DOMAIN.md, warme overdracht): every kind of place where partners run
# their own offer: partner organisations, and the participatiecentra, huizen van de wijk and
# libraries that host partners' activities. Not the stadsloket. A data decision: the beheerder
# can narrow it on the type.
PARTNER_HOSTED = [PARTICIPATIECENTRUM, HUIS_VAN_DE_WIJK, BIBLIOTHEEK, PARTNER]

BASIS, VERHOOGD, BEVEILIGD = 1, 2, 3

MEETING_TYPES = [
    {
        "slug": "kennismaking",
        "name": "Kennismaking / diagnose (klantbeeld)",
        "description": "Eerste gesprek om de klant te leren kennen en een klantbeeld op te stellen.",
        "duration_minutes": 60,
        "minimum_safety_level": BASIS,
        # "All except home": phone/video is its own type, so remote is not allowed either.
        "allowed_kinds": sorted(PHYSICAL),
        "needs_room": True,
        "min_capacity": 2,
        "prefers_low_threshold": True,
        "override_allowed": True,
    },
    {
        "slug": "voortgangsgesprek",
        "name": "Voortgangsgesprek (incl. ladder-meting)",
        "description": "Gesprek over de voortgang, met een meting op de participatieladder.",
        "duration_minutes": 45,
        "minimum_safety_level": BASIS,
        # "All": every physical place and the client's home; phone/video is its own type.
        "allowed_kinds": sorted([*PHYSICAL, CLIENT_HOME]),
        "needs_room": True,
        "min_capacity": 2,
        "prefers_low_threshold": True,
        "override_allowed": True,
    },
    {
        "slug": "warme-overdracht",
        "name": "Warme overdracht (driegesprek met partner)",
        "description": "Driegesprek met klant en partner, bij het aanbod van de partner zelf.",
        "duration_minutes": 60,
        "minimum_safety_level": BASIS,
        "allowed_kinds": sorted(PARTNER_HOSTED),
        "needs_room": True,
        "min_capacity": 3,
        "prefers_low_threshold": True,
        "override_allowed": True,
    },
    {
        "slug": "keukentafelgesprek",
        "name": "Keukentafelgesprek / huisbezoek",
        "description": "Gesprek bij de klant thuis. Alleen bij risicosignaal groen; bij oranje met een collega erbij; nooit bij rood.",
        "duration_minutes": 60,
        "minimum_safety_level": None,
        "allowed_kinds": [CLIENT_HOME],
        "needs_room": False,
        "min_capacity": 1,
        "prefers_low_threshold": False,
        "override_allowed": True,
    },
    {
        "slug": "heronderzoek",
        "name": "Heronderzoek (mondeling)",
        "description": "Mondeling heronderzoek naar het recht op uitkering (handhavingscontext).",
        "duration_minutes": 45,
        "minimum_safety_level": VERHOOGD,
        "allowed_kinds": sorted([STADSLOKET, PARTNER]),
        "needs_room": True,
        "min_capacity": 2,
        "prefers_low_threshold": False,
        "override_allowed": True,
    },
    {
        "slug": "afstemmingsgesprek",
        "name": "Afstemmingsgesprek (horen vóór een maatregel)",
        "description": "De klant wordt gehoord voordat een maatregel wordt opgelegd. Alleen op het stadsloket, zonder afwijking.",
        "duration_minutes": 45,
        "minimum_safety_level": BEVEILIGD,
        "allowed_kinds": [STADSLOKET],
        "needs_room": True,
        "min_capacity": 2,
        "prefers_low_threshold": False,
        "override_allowed": False,
    },
    {
        "slug": "groepsbijeenkomst",
        "name": "Groepsbijeenkomst",
        "description": "Bijeenkomst met een groep klanten; de ruimte moet groot genoeg zijn.",
        "duration_minutes": 90,
        "minimum_safety_level": BASIS,
        "allowed_kinds": sorted(PHYSICAL),
        "needs_room": True,
        "min_capacity": 8,
        "prefers_low_threshold": True,
        "override_allowed": True,
    },
    {
        "slug": "telefonisch-video",
        "name": "Telefonisch / video",
        "description": "Gesprek per telefoon of video; geen ruimte nodig.",
        "duration_minutes": 30,
        "minimum_safety_level": None,
        "allowed_kinds": [REMOTE],
        "needs_room": False,
        "min_capacity": 1,
        "prefers_low_threshold": False,
        "override_allowed": True,
    },
]


def seed_meeting_types(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    for data in MEETING_TYPES:
        values = dict(data)
        slug = values.pop("slug")
        MeetingType.objects.get_or_create(slug=slug, defaults=values)


def remove_meeting_types(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    MeetingType.objects.filter(slug__in=[data["slug"] for data in MEETING_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meeting_types")]

    operations = [migrations.RunPython(seed_meeting_types, remove_meeting_types)]
