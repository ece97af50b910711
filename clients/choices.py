"""Choices about clients that other apps reason with (meeting rules, offerings, coverage)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Risk(models.TextChoices):
    """Risk signal (risicosignaal) on a client: raises the safety a conversation needs."""

    GROEN = "groen", _("green")
    ORANJE = "oranje", _("orange")
    ROOD = "rood", _("red")


class Theme(models.TextChoices):
    """What a client works on; offerings at a location can match these."""

    FINANCES = "finances", _("finances")
    DEBTS = "debts", _("debts")
    DAYTIME_ACTIVITY = "daytime_activity", _("daytime activity")
    HEALTH = "health", _("health")
    LANGUAGE = "language", _("language")
    WORK = "work", _("work")
    SOCIAL = "social", _("social contacts")


class LadderStep(models.IntegerChoices):
    """Participatieladder trede 1–6."""

    ISOLATED = 1, _("1 isolated")
    SOCIAL_CONTACTS = 2, _("2 social contacts outside the home")
    ORGANISED_ACTIVITIES = 3, _("3 taking part in organised activities")
    UNPAID_WORK = 4, _("4 unpaid work")
    PAID_WORK_WITH_SUPPORT = 5, _("5 paid work with support")
    PAID_WORK = 6, _("6 paid work")


class Language(models.TextChoices):
    """The language a client prefers for letters and reminders (a conversation may need an
    interpreter). Codes are ISO 639; the common languages of Amsterdam-Oost first."""

    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    TAMAZIGHT = "ber", _("Tamazight (Berber)")
    TURKISH = "tr", _("Turkish")
    PAPIAMENTO = "pap", _("Papiamento")
    SRANAN = "srn", _("Sranan Tongo")
    POLISH = "pl", _("Polish")
    UKRAINIAN = "uk", _("Ukrainian")
    TIGRINYA = "ti", _("Tigrinya")
    SOMALI = "so", _("Somali")
    PERSIAN = "fa", _("Persian (Farsi/Dari)")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
