"""Names the meeting rules refer to."""

#: Slug of the seeded afstemmingsgesprek (hearing before a measure). DOMAIN.md makes it a hard
#: rule: only at the stadsloket, at least beveiligd, never overridden. The database holds the
#: beheerder to that (check constraint `meeting_type_afstemming_stays_strict`).
AFSTEMMINGSGESPREK = "afstemmingsgesprek"

#: Slugs of the other seeded conversation types (data migration 0002_seed_meeting_types).
KENNISMAKING = "kennismaking"
VOORTGANGSGESPREK = "voortgangsgesprek"
WARME_OVERDRACHT = "warme-overdracht"
KEUKENTAFELGESPREK = "keukentafelgesprek"
HERONDERZOEK = "heronderzoek"
GROEPSBIJEENKOMST = "groepsbijeenkomst"
TELEFONISCH_VIDEO = "telefonisch-video"

SEEDED_SLUGS = (
    KENNISMAKING,
    VOORTGANGSGESPREK,
    WARME_OVERDRACHT,
    KEUKENTAFELGESPREK,
    HERONDERZOEK,
    AFSTEMMINGSGESPREK,
    GROEPSBIJEENKOMST,
    TELEFONISCH_VIDEO,
)
