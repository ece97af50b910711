"""Raise `Team.figures_version` whenever something the coverage figures count changes.

The figures (meetings/coverage.py) count held, no-show and excused meetings and those with a
safety override, the team's clients, and its members' names: those rows raise the version.
A planned booking without an override, most of a working day's writes, does not. A new figure
that counts other meetings must widen `COUNTED` here (tests/meetings/test_team_figures_version.py
checks the kept page against a fresh one after each kind of change).

Statement-level triggers with transition tables: a bulk insert (the benchmark's COPY of half a
million meetings) raises each team once, not once per row. Teams are locked in id order, so two
statements that touch the same teams cannot deadlock on them.
"""

from django.db import migrations

#: A meeting row the figures count: an outcome, or a safety override (any status).
COUNTED = "({rows}.status IN ('held', 'no_show', 'excused') OR {rows}.override_reason <> '')"

RAISE = """
CREATE FUNCTION activering_raise_team_versions(team_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE activering_team AS team SET figures_version = team.figures_version + 1
    FROM (
        SELECT id FROM activering_team WHERE id = ANY(team_ids) ORDER BY id FOR UPDATE
    ) AS locked
    WHERE team.id = locked.id
$$;

-- Counted meetings raise the team of their client's klantmanager.
CREATE FUNCTION meetings_meeting_raise_team_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM activering_raise_team_versions(ARRAY(
            SELECT manager.team_id FROM new_rows
            JOIN clients_client AS client ON client.id = new_rows.client_id
            JOIN activering_user AS manager ON manager.id = client.case_manager_id
            WHERE manager.team_id IS NOT NULL AND COUNTED(new_rows)));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM activering_raise_team_versions(ARRAY(
            SELECT manager.team_id
            FROM (
                SELECT client_id FROM new_rows WHERE COUNTED(new_rows)
                UNION SELECT client_id FROM old_rows WHERE COUNTED(old_rows)
            ) AS rows
            JOIN clients_client AS client ON client.id = rows.client_id
            JOIN activering_user AS manager ON manager.id = client.case_manager_id
            WHERE manager.team_id IS NOT NULL));
    ELSE
        PERFORM activering_raise_team_versions(ARRAY(
            SELECT manager.team_id FROM old_rows
            JOIN clients_client AS client ON client.id = old_rows.client_id
            JOIN activering_user AS manager ON manager.id = client.case_manager_id
            WHERE manager.team_id IS NOT NULL AND COUNTED(old_rows)));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER meeting_team_version_insert AFTER INSERT ON meetings_meeting
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_meeting_raise_team_versions();
CREATE TRIGGER meeting_team_version_update AFTER UPDATE ON meetings_meeting
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_meeting_raise_team_versions();
CREATE TRIGGER meeting_team_version_delete AFTER DELETE ON meetings_meeting
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_meeting_raise_team_versions();

-- Clients count for the team of their klantmanager, before and after a transfer.
CREATE FUNCTION clients_client_raise_team_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM activering_raise_team_versions(ARRAY(
            SELECT manager.team_id FROM new_rows
            JOIN activering_user AS manager ON manager.id = new_rows.case_manager_id
            WHERE manager.team_id IS NOT NULL));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM activering_raise_team_versions(ARRAY(
            SELECT manager.team_id
            FROM (
                SELECT case_manager_id FROM new_rows UNION SELECT case_manager_id FROM old_rows
            ) AS rows
            JOIN activering_user AS manager ON manager.id = rows.case_manager_id
            WHERE manager.team_id IS NOT NULL));
    ELSE
        PERFORM activering_raise_team_versions(ARRAY(
            SELECT manager.team_id FROM old_rows
            JOIN activering_user AS manager ON manager.id = old_rows.case_manager_id
            WHERE manager.team_id IS NOT NULL));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER client_team_version_insert AFTER INSERT ON clients_client
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION clients_client_raise_team_versions();
CREATE TRIGGER client_team_version_update AFTER UPDATE ON clients_client
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION clients_client_raise_team_versions();
CREATE TRIGGER client_team_version_delete AFTER DELETE ON clients_client
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION clients_client_raise_team_versions();

-- Staff: joining or leaving a team moves their clients; names show in the figures. Not on
-- every update: a login writes last_login.
CREATE FUNCTION activering_user_raise_team_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM activering_raise_team_versions(ARRAY(
        SELECT team_id FROM (VALUES (OLD.team_id), (NEW.team_id)) AS teams(team_id)
        WHERE team_id IS NOT NULL));
    RETURN NULL;
END $$;

CREATE TRIGGER user_team_version AFTER UPDATE ON activering_user
    FOR EACH ROW WHEN (
        OLD.team_id IS DISTINCT FROM NEW.team_id
        OR OLD.first_name IS DISTINCT FROM NEW.first_name
        OR OLD.last_name IS DISTINCT FROM NEW.last_name
        OR OLD.username IS DISTINCT FROM NEW.username
        OR OLD.is_active IS DISTINCT FROM NEW.is_active
    )
    EXECUTE FUNCTION activering_user_raise_team_versions();
"""

DROP = """
DROP TRIGGER user_team_version ON activering_user;
DROP FUNCTION activering_user_raise_team_versions();
DROP TRIGGER client_team_version_insert ON clients_client;
DROP TRIGGER client_team_version_update ON clients_client;
DROP TRIGGER client_team_version_delete ON clients_client;
DROP FUNCTION clients_client_raise_team_versions();
DROP TRIGGER meeting_team_version_insert ON meetings_meeting;
DROP TRIGGER meeting_team_version_update ON meetings_meeting;
DROP TRIGGER meeting_team_version_delete ON meetings_meeting;
DROP FUNCTION meetings_meeting_raise_team_versions();
DROP FUNCTION activering_raise_team_versions(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("activering", "0006_team_figures_version"),
        ("clients", "0002_client"),
        ("meetings", "0007_meeting_client_override_index"),
    ]

    operations = [
        migrations.RunSQL(
            RAISE.replace("COUNTED(new_rows)", COUNTED.format(rows="new_rows")).replace(
                "COUNTED(old_rows)", COUNTED.format(rows="old_rows")
            ),
            DROP,
        )
    ]
