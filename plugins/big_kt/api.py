"""REST resources ``/api/v1/big/...`` (README, Using the API).

Reads: admin, tvb_admin and auditor everyone; a manager their department
tree; a technician themself. Writes: admin, and a manager in their own tree.
The sub-domain list is written by the admin only.
"""
from __future__ import annotations

import datetime as dt

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from core import crud
from core.auth import routes, visibility
from core.auth.permissions import ALL_ROLES_READ, STAFF_WRITERS, current_user, require
from core.errors import abort, conflict
from core.extensions import db
from core.staff.models import Staff
from plugins.big_kt import services
from plugins.big_kt.models import KtQualityActivity, KtQualityEntry, KtStaffSubdomain, KtSubdomain, KtWorkHours
from plugins.big_kt.schemas import (BigEvaluationArgs, BigQualityActivitySchema, BigQualityEntrySchema, BigRegistrationSchema,
                                    BigStaffSubdomainSchema, BigStatusChangeSchema, BigSubdomainSchema, BigVerificationSchema,
                                    BigVerifyResultSchema, BigWorkHoursSchema)

blp = Blueprint("big_kt", __name__, url_prefix="/api/v1/big",
                description="Klinisch technoloog: BIG registration, reserved procedures, re-registration")

WRITE_ROLES = STAFF_WRITERS
# Who may call which route, checked before any view (core/auth/routes.py); the views narrow to a
# manager's own department.
blp.bekwaam_access = {
    "RegistrationView": {"GET": routes.READ, "PUT": routes.STAFF_DATA},
    "RegistrationHistoryView": {"GET": routes.READ},
    "QualityRegisterView": {"GET": routes.READ, "PUT": routes.STAFF_DATA, "DELETE": routes.STAFF_DATA},
    **routes.portfolio("quality_activities"), **routes.portfolio("work_hours"),
    "subdomains_collection": {"GET": routes.READ, "POST": routes.STAFF_DATA},
    "subdomains_item": {"GET": routes.READ, "PATCH": routes.STAFF_DATA, "DELETE": routes.STAFF_DATA},
    "EvaluationView": {"GET": routes.READ}, "VerificationsView": {"GET": routes.READ},
    "SubdomainsView": {"GET": routes.READ, "POST": routes.ADMIN},
    "SubdomainView": {"GET": routes.READ, "PATCH": routes.ADMIN, "DELETE": routes.ADMIN},
    "VerifyView": {"POST": routes.ADMIN},
}


def _staff(staff_id: int, write: bool = False) -> Staff:
    require(*(WRITE_ROLES if write else ALL_ROLES_READ))
    if write:
        return visibility.editable_staff(current_user(), staff_id,
                                         "This record is outside your department or your own data.")
    return visibility.visible_staff(current_user(), staff_id)


# ----------------------------------------------------------------- registration


@blp.route("/staff/<int:staff_id>/registration")
class RegistrationView(MethodView):
    @blp.response(200, BigRegistrationSchema)
    def get(self, staff_id):
        """The person's entry in the BIG register as the hospital keeps it."""
        _staff(staff_id)
        row = services.get_registration(staff_id)
        if row is None:
            abort(404, message=f"Staff {staff_id} has no BIG registration.")
        return row

    @blp.arguments(BigRegistrationSchema)
    @blp.response(200, BigRegistrationSchema)
    def put(self, data, staff_id):
        """Create or replace the entry; a status or restriction change goes into the history."""
        _staff(staff_id, write=True)
        return services.put_registration(staff_id, data, dt.date.today())


@blp.route("/staff/<int:staff_id>/registration/history")
class RegistrationHistoryView(MethodView):
    @blp.response(200, BigStatusChangeSchema(many=True))
    def get(self, staff_id):
        """Status changes, oldest first; each holds until the next one's effective date."""
        _staff(staff_id)
        return services.history(staff_id)


# -------------------------------------------------------------- sub-domains


@blp.route("/subdomains")
class SubdomainsView(MethodView):
    @blp.response(200, BigSubdomainSchema(many=True))
    def get(self):
        """Technical-medical sub-domains (technisch-medische deelgebieden)."""
        require(*ALL_ROLES_READ)
        return db.session.scalars(select(KtSubdomain).order_by(KtSubdomain.name)).all()

    @blp.arguments(BigSubdomainSchema)
    @blp.response(201, BigSubdomainSchema)
    def post(self, data):
        require("admin")
        return _save_subdomain(KtSubdomain(), data)


@blp.route("/subdomains/<int:subdomain_id>")
class SubdomainView(MethodView):
    @blp.response(200, BigSubdomainSchema)
    def get(self, subdomain_id):
        require(*ALL_ROLES_READ)
        return _subdomain(subdomain_id)

    @blp.arguments(BigSubdomainSchema(partial=True))
    @blp.response(200, BigSubdomainSchema)
    def patch(self, data, subdomain_id):
        require("admin")
        return _save_subdomain(_subdomain(subdomain_id), data)

    @blp.response(204)
    def delete(self, subdomain_id):
        require("admin")
        subdomain = _subdomain(subdomain_id)
        used = services.subdomain_in_use(subdomain_id)
        if used:
            conflict(f"Sub-domain {subdomain_id} is named by activities: {', '.join(used)}.", activities=used)
        crud.delete(subdomain)


def _subdomain(subdomain_id: int) -> KtSubdomain:
    subdomain = db.session.get(KtSubdomain, subdomain_id)
    if subdomain is None:
        abort(404, message=f"No sub-domain with id {subdomain_id}.")
    return subdomain


_SUBDOMAIN = crud.Resource(name="sub-domain", path="/subdomains", model=KtSubdomain, schema=BigSubdomainSchema,
                           unique=[("name",)])


def _save_subdomain(subdomain: KtSubdomain, data: dict) -> KtSubdomain:
    return crud.save(_SUBDOMAIN, subdomain, data, is_new=subdomain.id is None)


# ------------------------------------------------- per-person lists (one helper)


def _child_views(path: str, name: str, model, schema, check=None, create=None, update=None, remove=None) -> None:
    """List/add at ``/staff/{id}/<path>``, read/change/remove at ``.../<path>/{item_id}``."""

    def item(staff_id, item_id):
        row = db.session.get(model, item_id)
        if row is None or row.staff_id != staff_id:
            abort(404, message=f"No {name} with id {item_id} for staff {staff_id}.")
        return row

    def save(row, data):
        for key, value in data.items():
            setattr(row, key, value)
        if check:
            check(row)
        db.session.add(row)
        db.session.flush()
        return row

    class Collection(MethodView):
        @blp.response(200, schema(many=True))
        def get(self, staff_id):
            _staff(staff_id)
            return db.session.scalars(select(model).where(model.staff_id == staff_id).order_by(model.id)).all()

        @blp.arguments(schema)
        @blp.response(201, schema)
        def post(self, data, staff_id):
            _staff(staff_id, write=True)
            if create:
                return create(staff_id, data)
            return save(model(staff_id=staff_id), data)

    class Item(MethodView):
        @blp.response(200, schema)
        def get(self, staff_id, item_id):
            _staff(staff_id)
            return item(staff_id, item_id)

        @blp.response(204)
        def delete(self, staff_id, item_id):
            _staff(staff_id, write=True)
            if remove:
                remove(item(staff_id, item_id))
                return
            db.session.delete(item(staff_id, item_id))
            db.session.flush()

    if create is None or update is not None:
        @blp.arguments(schema(partial=True))
        @blp.response(200, schema)
        def patch(self, data, staff_id, item_id):
            _staff(staff_id, write=True)
            return (update or save)(item(staff_id, item_id), data)
        Item.patch = patch

    key = path.replace("-", "_")
    blp.route(f"/staff/<int:staff_id>/{path}", endpoint=f"{key}_collection")(
        type(f"{key}_collection", (Collection,), {}))
    blp.route(f"/staff/<int:staff_id>/{path}/<int:item_id>", endpoint=f"{key}_item")(
        type(f"{key}_item", (Item,), {}))


_child_views("subdomains", "sub-domain link", KtStaffSubdomain, BigStaffSubdomainSchema,
             create=lambda staff_id, data: services.add_staff_subdomain(staff_id, data, dt.date.today()),
             update=services.change_staff_subdomain,
             remove=lambda link: services.end_staff_subdomain(link, dt.date.today()))
_child_views("work-hours", "work-hours record", KtWorkHours, BigWorkHoursSchema,
             check=lambda row: services.check_work_hours(row, dt.date.today()))
_child_views("quality-activities", "quality activity", KtQualityActivity, BigQualityActivitySchema,
             check=lambda row: services.check_quality_activity(row, dt.date.today()))


# ------------------------------------------------------------ quality register


@blp.route("/staff/<int:staff_id>/quality-register")
class QualityRegisterView(MethodView):
    @blp.response(200, BigQualityEntrySchema)
    def get(self, staff_id):
        """Entry in the NVvTG quality register (optional)."""
        _staff(staff_id)
        row = db.session.scalar(select(KtQualityEntry).where(KtQualityEntry.staff_id == staff_id))
        if row is None:
            abort(404, message=f"Staff {staff_id} is not in the NVvTG quality register.")
        return row

    @blp.arguments(BigQualityEntrySchema)
    @blp.response(200, BigQualityEntrySchema)
    def put(self, data, staff_id):
        _staff(staff_id, write=True)
        return services.put_quality_entry(staff_id, data["entry_date"])

    @blp.response(204)
    def delete(self, staff_id):
        _staff(staff_id, write=True)
        row = db.session.scalar(select(KtQualityEntry).where(KtQualityEntry.staff_id == staff_id))
        if row is None:
            abort(404, message=f"Staff {staff_id} is not in the NVvTG quality register.")
        db.session.delete(row)
        db.session.flush()


# ------------------------------------------------------ evaluation and verify


@blp.route("/staff/<int:staff_id>/evaluation")
class EvaluationView(MethodView):
    @blp.arguments(BigEvaluationArgs, location="query")
    @blp.response(200)
    def get(self, args, staff_id):
        """Status, independence, re-registration and what is unmet, as of a date (default today)."""
        _staff(staff_id)
        return services.evaluate(staff_id, args.get("as_of") or dt.date.today())


@blp.route("/staff/<int:staff_id>/verifications")
class VerificationsView(MethodView):
    @blp.response(200, BigVerificationSchema(many=True))
    def get(self, staff_id):
        """Checks against the public BIG register, newest first."""
        _staff(staff_id)
        return services.verifications(staff_id)


@blp.route("/verify")
class VerifyView(MethodView):
    @blp.response(200, BigVerifyResultSchema)
    def post(self):
        """Compare every KT's local entry with the public BIG register now."""
        require("admin")
        return services.verify_all()
