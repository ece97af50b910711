from django.db import migrations

# History rows are appended, never edited (they may go with their meeting, which is never
# deleted in practice: meetings are cancelled).
HISTORY_APPEND_ONLY = """
CREATE FUNCTION meetings_meetingevent_no_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Conversation history is append-only: UPDATE is not allowed'
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER meetingevent_no_update
BEFORE UPDATE ON meetings_meetingevent
FOR EACH ROW EXECUTE FUNCTION meetings_meetingevent_no_update();
"""
ALLOW_UPDATES = """
DROP TRIGGER meetingevent_no_update ON meetings_meetingevent;
DROP FUNCTION meetings_meetingevent_no_update();
"""

# Attending is voluntary for a group meeting, a warm handover to a partner's offer and a
# kitchen-table conversation at home; the others fall under the client's duty to cooperate.
VOLUNTARY = ["groepsbijeenkomst", "warme-overdracht", "keukentafelgesprek"]


def mark_voluntary_types(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    MeetingType.objects.filter(slug__in=VOLUNTARY).update(is_voluntary=True)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_meetings_no_double_booking")]

    operations = [
        migrations.RunSQL(HISTORY_APPEND_ONLY, ALLOW_UPDATES),
        migrations.RunPython(mark_voluntary_types, migrations.RunPython.noop),
    ]
