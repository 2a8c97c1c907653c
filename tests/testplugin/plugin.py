"""The test plugin: every hook of ``core.hookspecs``, each call recorded in ``CALLS``.

Registered by the tests as an extra plugin named ``testplugin``
(``BEKWAAM_EXTRA_PLUGINS=[("testplugin", module)]``). It owns no ORM model
(that would add its table to the shared metadata of every test app); its one
table ``testplugin_note`` exists only through its migration branch.
"""
from __future__ import annotations

import datetime as dt
import os

import click
from flask import Blueprint as FlaskBlueprint
from flask_smorest import Blueprint
from marshmallow import fields, validate

from core.contract import AlertEvent
from core.auth.permissions import require
from core.plugins import hookimpl
from core.schemas import StrictSchema

NAME = "testplugin"
# Device types of this manufacturer get a fixed six-month expiry from this plugin.
EXPIRY_MANUFACTURER = "Testplugin Medical"
EXPIRY_MONTHS = 6
# Device types of this manufacturer cannot be released while this plugin is enabled.
BLOCKED_MANUFACTURER = "Testplugin Blocked"

CALLS: list[tuple[str, dict]] = []
# Every hook name ever called in this process; tests clear CALLS, never this.
EVER_CALLED: set[str] = set()


def _record(hook: str, **kwargs) -> None:
    CALLS.append((hook, kwargs))
    EVER_CALLED.add(hook)


def calls(hook: str) -> list[dict]:
    return [kwargs for name, kwargs in CALLS if name == hook]


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class RequirementSchema(StrictSchema):
    level = fields.Integer(required=True, validate=validate.Range(1, 3))


api_blp = Blueprint(NAME, __name__, url_prefix="/api/v1/testplugin", description="Test plugin")
api_blp.bekwaam_access = {"ping": {"GET": ("admin", "tvb_admin", "mt_manager", "manager", "technician", "auditor")}}


@api_blp.route("/ping")
@api_blp.response(200)
def ping():
    require("admin", "tvb_admin", "manager", "technician", "auditor")
    return {"pong": True}


web_blp = FlaskBlueprint(NAME, __name__, url_prefix="/testplugin")
web_blp.bekwaam_access = {"web_index": {"GET": ("admin", "tvb_admin", "mt_manager", "manager", "technician", "auditor")}}


@web_blp.route("/")
def web_index():
    return "testplugin page"


@click.command("testplugin-hello")
@click.option("--name", default="world")
def hello_command(name):
    """Say hello (a plugin CLI command)."""
    click.echo(f"hello {name} from testplugin")


@hookimpl
def bekwaam_migration_dirs():
    _record("bekwaam_migration_dirs")
    return [os.path.join(os.path.dirname(__file__), "migrations", "versions")]


@hookimpl
def bekwaam_api_blueprints():
    _record("bekwaam_api_blueprints")
    return [api_blp]


@hookimpl
def bekwaam_web_blueprints():
    _record("bekwaam_web_blueprints")
    return [web_blp]


@hookimpl
def bekwaam_cli_commands():
    _record("bekwaam_cli_commands")
    return [hello_command]


@hookimpl
def bekwaam_activity_requirement_schemas():
    _record("bekwaam_activity_requirement_schemas")
    return {NAME: RequirementSchema}


@hookimpl
def bekwaam_can_perform_conditions(session, staff_ids, activity, device_type, on):
    from core.contract import Reason
    _record("bekwaam_can_perform_conditions", staff_ids=list(staff_ids), activity_id=activity.id,
            device_type_id=getattr(device_type, "id", None), on=on)
    wanted = (activity.requirements or {}).get(NAME)
    if not wanted:
        return {}
    return {sid: [Reason(NAME, "testplugin_level", f"Test plugin level {wanted['level']} holds.", True)]
            for sid in staff_ids}


@hookimpl
def bekwaam_competence_expiry(session, competence):
    from core.devices.models import DeviceType
    _record("bekwaam_competence_expiry", competence_id=competence.id, device_type_id=competence.device_type_id)
    if competence.device_type_id is None:
        return None
    device_type = session.get(DeviceType, competence.device_type_id)
    if device_type is None or device_type.manufacturer != EXPIRY_MANUFACTURER:
        return None
    from core.contract import ExpiryResult
    return ExpiryResult(add_months(competence.obtained_on, EXPIRY_MONTHS), NAME)


@hookimpl
def bekwaam_release_blockers(session, device_type, on):
    _record("bekwaam_release_blockers", device_type_id=device_type.id, on=on)
    if device_type.manufacturer == BLOCKED_MANUFACTURER:
        return [{"code": "testplugin_blocked", "message": f"Test plugin blocks release on {on.isoformat()}."}]
    return []


@hookimpl
def bekwaam_alert_events(session, as_of, horizons):
    _record("bekwaam_alert_events", as_of=as_of, horizons=list(horizons))
    return [AlertEvent(source=NAME, kind="testplugin_due", due_on=as_of + dt.timedelta(days=h),
                       message=f"due in {h} days", staff_id=1, horizon_days=h) for h in horizons]


@hookimpl
def bekwaam_demo_data(session, today, size):
    from sqlalchemy import text
    _record("bekwaam_demo_data", today=today, size=size)
    session.execute(text("INSERT INTO testplugin_note (body) VALUES (:body)"), {"body": f"demo {size} {today}"})


@hookimpl
def bekwaam_staff_summary(session, staff_id, on):
    _record("bekwaam_staff_summary", staff_id=staff_id, on=on)
    return {"staff_id": staff_id, "on": on.isoformat()}


@hookimpl
def bekwaam_alert_labels():
    _record("bekwaam_alert_labels")
    return {"testplugin_ping": "Testplugin-signalen"}


@hookimpl
def bekwaam_reason_texts():
    _record("bekwaam_reason_texts")
    return {"testplugin_level": "Het testniveau is gehaald."}


@hookimpl
def bekwaam_labels():
    _record("bekwaam_labels")
    return {"testplugin_grade": "testgraad"}


@hookimpl
def bekwaam_profile_panels(session, staff, viewer, on):
    from markupsafe import Markup, escape
    from core.contract import Panel
    _record("bekwaam_profile_panels", staff_id=staff.id, viewer_id=viewer.id, on=on)
    return [Panel(title="Testplugin-paneel", html=Markup(f"<p id='testplugin-panel'>{escape(staff.name)}</p>"),
                  anchor="testplugin")]


@hookimpl
def bekwaam_device_type_panels(session, device_type, viewer, on):
    from core.contract import Panel
    _record("bekwaam_device_type_panels", device_type_id=device_type.id, viewer_id=viewer.id, on=on)
    return [Panel(title="Testplugin-typepaneel", html="<b>escaped, not bold</b>", anchor="testplugin-type")]


@hookimpl
def bekwaam_nav_entries(viewer):
    from core.contract import NavEntry
    _record("bekwaam_nav_entries", viewer_id=viewer.id)
    return [NavEntry(label="Testplugin", endpoint="testplugin_web.web_index")]


@hookimpl
def bekwaam_dashboard_tiles(session, viewer, on):
    from core.contract import DashboardTile
    _record("bekwaam_dashboard_tiles", viewer_id=viewer.id, on=on)
    return [DashboardTile(label="Testplugin-teller", value=42)]


@hookimpl
def bekwaam_dashboard_queues(session, viewer, on):
    from core.contract import DashboardQueue, QueueItem
    _record("bekwaam_dashboard_queues", viewer_id=viewer.id, on=on)
    return [DashboardQueue(title="Testplugin-wachtrij", total=3, anchor="testplugin-queue",
                           items=[QueueItem(text="Testplugin-taak <b>", endpoint="testplugin_web.web_index", due_on=on)],
                           endpoint="testplugin_web.web_index")]



@hookimpl
def bekwaam_evidence(session, staff_ids, on):
    _record("bekwaam_evidence", staff_ids=list(staff_ids), on=on)
    return {sid: [{"source": NAME, "kind": "testplugin_licence", "title_nl": "Testlicentie", "title_en": "Test licence",
                   "text_nl": f"geldig op {on:%d-%m-%Y}", "text_en": f"valid on {on.isoformat()}", "ok": True,
                   "identifier": {"system": "urn:testplugin:licence", "value": f"L-{sid}"},
                   "period_start": on, "period_end": None,
                   "deadlines": [{"on": on + dt.timedelta(days=10), "nl": "Testlicentie verloopt",
                                  "en": "Test licence expires"}]}]
            for sid in staff_ids}


# -- data in and out, privacy, settings ----------------------------------------
# The note table has no ORM model (see the module's docstring): a table object of its own.

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select  # noqa: E402

NOTES = Table("testplugin_note", MetaData(), Column("id", Integer, primary_key=True), Column("staff_id", Integer),
              Column("body", String(200)))
ERASED = "(erased)"


def _note_importer():
    from core.dataio.importers import Field, Importer

    class NoteImporter(Importer):
        """Notes, keyed on their text; a stored note is ``unchanged``."""

        kind, model, key_fields, key_nl = "testplugin-notes", None, ("body",), "dezelfde tekst"
        fields = {"body": Field(required=True, max_length=200)}

        def prepare(self, rows):
            for p in rows:
                p.row = {"body": p.values.get("body")}
                p.key = (p.row["body"],) if p.row["body"] else None

        def existing(self, keys):
            from core.extensions import db
            bodies = [k[0] for k in keys]
            return {(row["body"],): dict(row) for row in db.session.execute(
                select(NOTES).where(NOTES.c.body.in_(bodies))).mappings()}

        def write(self, creates, updates):
            from core.extensions import db
            if creates:
                db.session.execute(insert(NOTES), [p.row for p in creates])

    return NoteImporter


@hookimpl
def bekwaam_import_kinds():
    from core.dataio.importers import ImportKind
    from core.dataio.texts import Text
    _record("bekwaam_import_kinds")
    return [ImportKind("testplugin-notes", {"body": ("tekst", "text")}, _note_importer(), Text("Notes", "Notities"))]


@hookimpl
def bekwaam_export_kinds():
    from marshmallow import Schema

    from core.dataio.exports import ExportKind, Sheet
    from core.extensions import db
    _record("bekwaam_export_kinds")

    def build(user, filters):
        return Sheet("notes", ["id", "body"], [list(row) for row in db.session.execute(
            select(NOTES.c.id, NOTES.c.body).order_by(NOTES.c.id))])
    return [ExportKind("testplugin-notes", build, ("admin",), lambda: Schema)]


@hookimpl
def bekwaam_privacy_rules():
    from core.dataio.privacy import PrivacyRule
    _record("bekwaam_privacy_rules")
    return [PrivacyRule("testplugin_note", lambda row_id, staff_id: {"body": ERASED})]


@hookimpl
def bekwaam_settings():
    from core.config import Setting
    _record("bekwaam_settings")
    return [Setting("TESTPLUGIN_GREETING", "BEKWAAM_TESTPLUGIN_GREETING", default="hello")]
