"""Imports on a page (admin, as POST /api/v1/imports/{kind}): upload, dry run, per-line report, import for real.

The same service runs as behind the API (``core.dataio.importers.run``). After
a dry run the uploaded bytes stay in ``<instance>/imports/`` under a random
name; the hidden token of the "Import for real" button names that file, and
only the browser session that uploaded it may use it. The file is deleted when
it is used, replaced by a newer dry run, or after an hour. The import for real
runs the service again over that file: no report is kept between the steps.

Reasons and file errors are English (the API's words); in the Dutch UI the page
shows their Dutch (``core.dataio.texts``), naming a field by the file's header.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import time

from flask import current_app, render_template, request, session
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, SelectField

from core.dataio import importers
from core.dataio.models import ImportMapping
from core.dataio.readers import FileError, open_table
from core.dataio.texts import in_dutch
from core.extensions import db
from core.web.access import require_role
from core.web.blueprint import blp
from core.web.forms import choices

IMPORTERS = ("admin",)
KIND_LABELS = {
    "staff": _l("Staff (HR)"), "devices": _l("Devices (CMMS)"), "device-types": _l("Device types (CMMS)"),
    "competences": _l("Competences (LMS)"), "cpd": _l("CPD (VZI)"),
}
KEPT_SECONDS = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
SESSION_KEY = "import_upload"
ROW_LIMIT = 1000  # rows drawn in the table; rejected rows are always drawn


class ImportForm(FlaskForm):
    kind = SelectField(_l("What to import"))
    file = FileField(_l("File (CSV or XLSX)"), validators=[FileRequired()])
    mapping = SelectField(_l("Saved column mapping"), coerce=int)
    dry_run = BooleanField(_l("Dry run: check only, write nothing"), default=True)
    partial = BooleanField(_l("Accept a partial import: write the good rows, leave out the rejected ones"))


def kinds() -> list[str]:
    """The core's kinds and those of the enabled plugins (a disabled plugin's kinds are not offered)."""
    return list(importers.kinds())


def mappings() -> list[ImportMapping]:
    return list(db.session.scalars(select(ImportMapping).where(ImportMapping.kind.in_(kinds()))
                                   .order_by(ImportMapping.kind, ImportMapping.name)))


def make_form() -> ImportForm:
    form = ImportForm()
    form.kind.choices = choices([(k, KIND_LABELS[k]) for k in kinds()])
    form.mapping.choices = choices([(0, _("None: recognise the columns by their headers"))] + [
        (m.id, f"{m.name} ({KIND_LABELS.get(m.kind, m.kind)})") for m in mappings()])
    return form


# -- the uploaded file, kept between the dry run and the real import ---------

def folder() -> str:
    path = os.path.join(current_app.instance_path, "imports")
    os.makedirs(path, exist_ok=True)
    return path


def path_of(token: str) -> str:
    return os.path.join(folder(), f"{token}.upload")


def clean_up() -> None:
    """Forget files older than an hour (an abandoned dry run)."""
    limit = time.time() - KEPT_SECONDS
    for entry in os.scandir(folder()):
        if entry.name.endswith(".upload") and entry.stat().st_mtime < limit:
            remove(entry.name[:-len(".upload")])


def remove(token: str | None) -> None:
    if token and TOKEN.match(token):
        try:
            os.remove(path_of(token))
        except FileNotFoundError:
            pass


def keep(stream) -> str:
    token = secrets.token_urlsafe(24)  # 32 characters
    with open(path_of(token), "xb") as handle:
        shutil.copyfileobj(stream, handle)
    return token


def kept(token: str) -> dict | None:
    """The session's kept upload when ``token`` names it and it is still there."""
    held = session.get(SESSION_KEY) or {}
    if not TOKEN.match(token or "") or held.get("token") != token or not os.path.exists(path_of(token)):
        return None
    return held


# -- running ----------------------------------------------------------------

def run(token: str, filename: str, kind: str, mapping: ImportMapping | None, dry_run: bool, partial: bool):
    """(report, file error): the service the API calls, over the kept file."""
    try:
        with open(path_of(token), "rb") as handle:
            table = open_table(handle, filename)
            report = importers.run(kind, table, dry_run=dry_run, partial=partial,
                                   saved_columns=mapping.columns if mapping else None,
                                   mapping_name=mapping.name if mapping else None)
    except FileError as exc:  # PluginDisabled is one too
        db.session.rollback()
        return None, localised(exc.args[0] if exc.args else str(exc))
    if not report.ok and not report.dry_run:
        db.session.rollback()  # all or nothing: undo the chunks written before the rejected row
    return report, None


def dutch() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "nl"


def localised(text, headers: dict[str, str] | None = None) -> str:
    """An import text in the UI's language: the English itself, or its Dutch."""
    return in_dutch(text, headers) if dutch() else str(text)


def reason_text(reason, headers: dict[str, str]) -> str:
    """A rejected row's reason; in Dutch a field is named by the header of the user's own file
    (``headers``: ``Report.headers()``, field -> header)."""
    return localised(reason, headers)


def shown_rows(report) -> tuple[list, int]:
    rows = report.rows
    if len(rows) <= ROW_LIMIT:
        return rows, 0
    shown, room = [], ROW_LIMIT
    for row in rows:
        if row.status == "rejected" or room > 0:
            shown.append(row)
            room -= row.status != "rejected"
    return shown, len(rows) - len(shown)


def page(form: ImportForm, report=None, filename: str | None = None, mapping: ImportMapping | None = None,
         token: str | None = None):
    status = 200
    if form.errors:
        status = 422
    elif report is not None and not report.ok and not report.dry_run:
        status = 422  # the page says nothing was written; the request rolls back
    rows, hidden = shown_rows(report) if report is not None else ([], 0)
    return render_template("imports.html", form=form, report=report, filename=filename, mapping=mapping,
                           token=token, rows=rows, hidden_rows=hidden, kind_label=KIND_LABELS,
                           reason_text=reason_text), status


@blp.route("/imports")
def imports():
    require_role(*IMPORTERS)
    clean_up()
    return page(make_form())


@blp.route("/imports", methods=["POST"])
def imports_upload():
    require_role(*IMPORTERS)
    clean_up()
    form = make_form()
    if not form.validate_on_submit():
        return page(form)
    mapping = None
    if form.mapping.data:
        mapping = db.session.get(ImportMapping, form.mapping.data)
        if mapping is None or mapping.kind != form.kind.data:
            form.mapping.errors = [_("This mapping is for another kind of file.")]
            return page(form)
    upload = form.file.data
    filename = os.path.basename((upload.filename or "").replace("\\", "/"))[:255]
    remove((session.get(SESSION_KEY) or {}).get("token"))  # a newer upload replaces the kept one
    session.pop(SESSION_KEY, None)
    token = keep(upload.stream)
    report, error = run(token, filename, form.kind.data, mapping, form.dry_run.data, form.partial.data)
    if error:
        form.file.errors = [_("The file cannot be imported: %(reason)s", reason=error)]
    if report is not None and report.dry_run:
        session[SESSION_KEY] = {"token": token, "filename": filename, "kind": form.kind.data,
                                "mapping": mapping.id if mapping else None}
        return page(form, report, filename, mapping, token)
    remove(token)
    return page(form, report, filename, mapping)


@blp.route("/imports/confirm", methods=["POST"])
def imports_confirm():
    """Import for real the file of the session's last dry run, with the same kind and mapping."""
    require_role(*IMPORTERS)
    clean_up()
    form = make_form()
    held = kept(request.form.get("token", ""))
    if held is None:
        form.file.errors = [_("The file of the dry run is no longer kept (after an hour, or once used): "
                              "choose it again.")]
        return page(form)
    session.pop(SESSION_KEY, None)
    mapping = db.session.get(ImportMapping, held["mapping"]) if held["mapping"] else None
    partial = request.form.get("partial") == "y"
    form.kind.data, form.mapping.data, form.dry_run.data, form.partial.data = (
        held["kind"], mapping.id if mapping else 0, True, partial)
    if held["mapping"] and mapping is None:
        form.mapping.errors = [_("The saved mapping has been deleted since the dry run.")]
        remove(held["token"])
        return page(form)
    report, error = run(held["token"], held["filename"], held["kind"], mapping, dry_run=False, partial=partial)
    remove(held["token"])
    if error:
        form.file.errors = [_("The file cannot be imported: %(reason)s", reason=error)]
    return page(form, report, held["filename"], mapping)
