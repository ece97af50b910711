"""Small SQL expressions the location models and querysets need (PostgreSQL only)."""

from django.contrib.postgres.fields import DateTimeRangeField
from django.db.models import Func, IntegerField


class TimeOfDayRange(Func):
    """The half-open range `[opens, closes)` of two times of day.

    PostgreSQL has no built-in range of `time`, so both times are put on one fixed date
    (2000-01-03) and compared as a `tsrange`; `date + time` and `tsrange()` are immutable, so the
    expression can be indexed by an exclusion constraint (`&&` = overlaps). Adjacent ranges
    (09:00–12:00 and 12:00–17:00) do not overlap.
    """

    function = "TSRANGE"
    template = "TSRANGE(DATE '2000-01-03' + %(expressions)s, '[)')"
    arg_joiner = ", DATE '2000-01-03' + "
    output_field = DateTimeRangeField()

    def __init__(self, opens: object, closes: object) -> None:
        super().__init__(opens, closes)


class MinutesBetween(Func):
    """Whole minutes from the second time to the first (`closes - opens`)."""

    arg_joiner = " - "
    template = "FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 60)::integer"
    output_field = IntegerField()

    def __init__(self, closes: object, opens: object) -> None:
        super().__init__(closes, opens)
