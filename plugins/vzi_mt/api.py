"""REST resources under /api/v1/vzi: the portfolio, certification periods, evaluation, forecast, import."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from core.auth import routes, visibility
from core.auth.permissions import ALL_ROLES_READ, STAFF_WRITERS, current_user, require
from core.dataio.errors import FileError
from core.errors import abort, field_errors
from core.extensions import db
from core.staff.models import Staff
from plugins.vzi_mt import imports, models, services
from plugins.vzi_mt.schemas import (
    AsOfArgs, CancellationSchema, CertificateSchema, CertificationSchema, CpdActivitySchema, CpdReviewSchema, EducationSchema, EvaluationSchema,
    ForecastSchema, GrantSchema, ImportArgs, ImportFileSchema, ImportReportSchema, PositionSchema,
    WorkExperienceSchema,
)

blp = Blueprint("vzi_mt", __name__, url_prefix="/api/v1/vzi",
                description="VZI medical technicians: portfolio, certification MT3/MT4/MT5")

WRITERS = STAFF_WRITERS
# Who may call which route, checked before any view (core/auth/routes.py); the views narrow to a
# manager's own department and a technician's own record.
blp.bekwaam_access = {
    **routes.portfolio("education"), **routes.portfolio("certificate"), **routes.portfolio("position"),
    **routes.portfolio("cpd_activity", post=routes.SELF_SERVICE), **routes.portfolio("work_experience"),
    "certification_collection": {"GET": routes.READ, "POST": routes.STAFF_DATA},
    "certification_item": {"GET": routes.READ, "DELETE": routes.ADMIN},
    "review_cpd": {"POST": routes.STAFF_DATA}, "import_cpd": {"POST": routes.SELF_SERVICE},
    "evaluation": {"GET": routes.READ}, "forecast": {"GET": routes.READ},
    "cancellation_collection": {"GET": routes.READ, "POST": routes.STAFF_DATA},
}


def language() -> str:
    """The language of the answer's texts: Dutch when ``Accept-Language`` prefers it, else English.

    English stays the API's default (its existing behaviour; the API is documented
    in English); the web pages and Dutch alerts use the Dutch texts.
    """
    return request.accept_languages.best_match(services.LANGUAGES, default="en")


def visible_staff(staff_id: int) -> Staff:
    """The person, if this user may see them; otherwise 404 (their existence is not revealed)."""
    return visibility.visible_staff(current_user(), staff_id)


def editable_staff(staff_id: int, self_service: bool = False) -> Staff:
    """Admin everyone, a manager their tree; a technician only themself where ``self_service``."""
    require(*WRITERS, *(("technician",) if self_service else ()))
    staff = visible_staff(staff_id)
    user = current_user()
    if self_service and user.role == "technician" and user.staff_id == staff.id:
        return staff
    return visibility.editable_staff(user, staff.id, "You may read this person's portfolio but not change it.")


@dataclass
class PortfolioPart:
    name: str
    path: str
    model: type
    schema: type
    order_by: tuple
    check: Callable | None = None
    self_service: bool = False  # a technician may add their own rows


def register(part: PortfolioPart) -> None:
    """List + POST under the person, GET/PATCH/DELETE by id."""
    model, schema = part.model, part.schema

    def item(staff_id: int, item_id: int):
        obj = db.session.scalar(select(model).where(model.id == item_id, model.staff_id == staff_id))
        if obj is None:
            abort(404, message=f"No {part.name.replace('-', ' ')} with id {item_id} for staff {staff_id}.")
        return obj

    def save(obj, data: dict, is_new: bool):
        for key, value in data.items():
            setattr(obj, key, value)
        if part.check:
            part.check(db.session, obj)
        if is_new:
            db.session.add(obj)
        db.session.flush()
        return obj

    class Collection(MethodView):
        @blp.response(200, schema(many=True))
        def get(self, staff_id):
            require(*ALL_ROLES_READ)
            visible_staff(staff_id)
            return db.session.scalars(select(model).where(model.staff_id == staff_id).order_by(*part.order_by)).all()

        @blp.arguments(schema)
        @blp.response(201, schema)
        def post(self, data, staff_id):
            staff = editable_staff(staff_id, part.self_service)
            return save(model(staff_id=staff.id), data, is_new=True)

    class Item(MethodView):
        @blp.response(200, schema)
        def get(self, staff_id, item_id):
            require(*ALL_ROLES_READ)
            visible_staff(staff_id)
            return item(staff_id, item_id)

        @blp.arguments(schema(partial=True))
        @blp.response(200, schema)
        def patch(self, data, staff_id, item_id):
            editable_staff(staff_id)
            return save(item(staff_id, item_id), data, is_new=False)

        @blp.response(204)
        def delete(self, staff_id, item_id):
            editable_staff(staff_id)
            db.session.delete(item(staff_id, item_id))
            db.session.flush()

    name = part.name.replace("-", "_")
    Collection.__name__, Item.__name__ = f"{name}_collection", f"{name}_item"
    blp.route(f"/staff/<int:staff_id>/{part.path}", endpoint=f"{name}_collection")(Collection)
    blp.route(f"/staff/<int:staff_id>/{part.path}/<int:item_id>", endpoint=f"{name}_item")(Item)


register(PortfolioPart("education", "educations", models.Education, EducationSchema,
                       (models.Education.id,)))
register(PortfolioPart("certificate", "certificates", models.Certificate, CertificateSchema,
                       (models.Certificate.code, models.Certificate.id)))
register(PortfolioPart("position", "positions", models.Position, PositionSchema,
                       (models.Position.start_date, models.Position.id), services.check_position))
register(PortfolioPart("cpd-activity", "cpd-activities", models.CpdActivity, CpdActivitySchema,
                       (models.CpdActivity.date, models.CpdActivity.id), services.check_cpd_activity,
                       self_service=True))
register(PortfolioPart("work-experience", "work-experience", models.WorkExperience, WorkExperienceSchema,
                       (models.WorkExperience.period_start, models.WorkExperience.id),
                       services.check_work_experience))


@blp.route("/staff/<int:staff_id>/certifications", endpoint="certification_collection")
class Certifications(MethodView):
    @blp.response(200, CertificationSchema(many=True))
    def get(self, staff_id):
        """The history of certification periods, oldest first."""
        require(*ALL_ROLES_READ)
        visible_staff(staff_id)
        return services.certifications(db.session, staff_id)

    @blp.arguments(GrantSchema)
    @blp.response(201, CertificationSchema)
    def post(self, data, staff_id):
        """Apply on ``as_of``: a period [as_of, as_of + 3 years) when eligible, else 422 with the unmet norms."""
        staff = editable_staff(staff_id)
        return services.grant(db.session, staff.id, data["as_of"], dt.date.today(), language())


@blp.route("/staff/<int:staff_id>/certifications/<int:item_id>", endpoint="certification_item")
class CertificationItem(MethodView):
    @blp.response(200, CertificationSchema)
    def get(self, staff_id, item_id):
        require(*ALL_ROLES_READ)
        visible_staff(staff_id)
        return _certification(staff_id, item_id)

    @blp.response(204)
    def delete(self, staff_id, item_id):
        """Withdraw a period granted by mistake (admin only)."""
        require("admin")
        visible_staff(staff_id)
        services.withdraw(db.session, _certification(staff_id, item_id))


def _certification(staff_id: int, item_id: int) -> models.Certification:
    obj = db.session.scalar(select(models.Certification).where(
        models.Certification.id == item_id, models.Certification.staff_id == staff_id))
    if obj is None:
        abort(404, message=f"No certification period with id {item_id} for staff {staff_id}.")
    return obj


@blp.route("/staff/<int:staff_id>/registration-cancellations", endpoint="cancellation_collection")
class Cancellations(MethodView):
    @blp.response(200, CancellationSchema(many=True))
    def get(self, staff_id):
        """Cancellations (opzeggingen) of the person's VZI registration, oldest first."""
        require(*ALL_ROLES_READ)
        visible_staff(staff_id)
        return services.cancellations(db.session, staff_id)

    @blp.arguments(CancellationSchema)
    @blp.response(201, CancellationSchema)
    def post(self, data, staff_id):
        """Cancel the registration on ``cancelled_on`` with a reason: the basisregistratie ends then.

        A running certification period is cut at that date. Audited.
        """
        staff = editable_staff(staff_id)
        return services.cancel_registration(db.session, staff.id, data["cancelled_on"], data["reason"],
                                            current_user().id)


@blp.route("/staff/<int:staff_id>/evaluation")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, EvaluationSchema)
def evaluation(args, staff_id):
    """Toets aan de certificatienormen on ``as_of`` (default today): eligible, designation, unmet norms."""
    require(*ALL_ROLES_READ)
    visible_staff(staff_id)
    return services.evaluation(db.session, staff_id, args.get("as_of") or dt.date.today(), language())


@blp.route("/staff/<int:staff_id>/forecast")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, ForecastSchema)
def forecast(args, staff_id):
    """CPD still needed in the running period, per remaining month, and whether on track."""
    require(*ALL_ROLES_READ)
    visible_staff(staff_id)
    return services.forecast(db.session, staff_id, args.get("as_of") or dt.date.today())


@blp.route("/staff/<int:staff_id>/cpd-activities/<int:item_id>/review", methods=["POST"])
@blp.arguments(CpdReviewSchema)
@blp.response(200, CpdActivitySchema)
def review_cpd(data, staff_id, item_id):
    """Approve or reject a CPD entry (the person's manager or an admin, never the person)."""
    staff = editable_staff(staff_id)
    return services.review_cpd(db.session, staff.id, item_id, data["decision"], data.get("reason"), current_user())


@blp.route("/staff/<int:staff_id>/cpd-activities/import", methods=["POST"])
@blp.arguments(ImportArgs, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportReportSchema)
def import_cpd(args, files, staff_id):
    """CSV or XLSX ``date,hours,title,category`` (Dutch headers too); all-or-nothing unless ``partial``;
    ``dry_run`` writes nothing. The same import as ``/imports/cpd``, for this person."""
    staff = editable_staff(staff_id, self_service=True)
    try:
        upload = files["file"]
        report, ok = imports.import_for_person(staff, upload.stream, upload.filename or "", args["dry_run"],
                                               args["partial"])
    except FileError as exc:
        field_errors({"file": [str(exc)]})
    if not ok:
        abort(422, message=f"{report['rejected']} row(s) rejected; nothing written "
                           "(partial=true writes the good rows).",
              errors={"file": [f"Line {r['line']}: " + " ".join(r["reasons"])
                               for r in report["rows"] if r["status"] == "rejected"]},
              **report)
    return report
