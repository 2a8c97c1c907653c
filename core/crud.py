"""Generic create/read/update/delete for the core's plain resources.

Each feature's ``api.py`` describes its resource with a ``Resource`` and this
module builds the flask-smorest views, so every resource answers the same
way: pagination, filters, 404/409/422 in one shape, the role checks and the
checks that keep data whole (references exist, natural keys unique, no
delete that would orphan rows).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import request
from flask.views import MethodView
from marshmallow import Schema
from sqlalchemy import and_, func, select
from sqlalchemy import inspect as sa_inspect

from core.audit import access
from core.auth.permissions import ALL_ROLES_READ, current_user, require
from core.errors import FieldMessage, abort, conflict, field_errors  # noqa: F401 (re-exported for api modules)
from core.extensions import db

ALL_ROLES = ALL_ROLES_READ


@dataclass
class Resource:
    name: str
    path: str
    model: type
    schema: type[Schema]
    filter_schema: type[Schema] | None = None
    read_roles: tuple[str, ...] = ALL_ROLES
    write_roles: tuple[str, ...] = ("admin",)
    # Natural keys: each tuple of fields is unique (checked before the insert
    # so the user gets a 409 that names them, not an IntegrityError).
    unique: list[tuple[str, ...]] = field(default_factory=list)
    # field -> model it refers to; a missing target is a 422 on that field.
    references: dict[str, type] = field(default_factory=dict)
    # user -> WHERE clause limiting visible rows (None: all).
    scope: Callable[[Any], Any] | None = None
    # (user, obj) -> bool: may this user write this (new or changed) row?
    may_write: Callable[[Any, Any], bool] | None = None
    # Extra filters: name -> function(value) returning a WHERE clause.
    filter_clauses: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    # Called with (obj, data, is_new) after the fields are applied, before flush.
    before_save: Callable[[Any, dict, bool], None] | None = None
    order_by: Any = None
    read_only: bool = False
    # obj -> the staff id whose personal data the row is (NEN 7513 access log); None: not personal.
    person_of: Callable[[Any], int | None] | None = None


def check_references(resource: Resource, data: dict) -> None:
    errors = {}
    for name, target in resource.references.items():
        value = data.get(name)
        if value is not None and db.session.get(target, value) is None:
            errors[name] = [f"No {target.__tablename__.replace('_', ' ')} with id {value}."]
    if errors:
        field_errors(errors)


def check_unique(resource: Resource, obj) -> None:
    model = resource.model
    for fields in resource.unique:
        clause = and_(*(getattr(model, f) == getattr(obj, f) for f in fields))
        if obj.id is not None:
            clause = and_(clause, model.id != obj.id)
        existing = db.session.scalar(select(model.id).where(clause).limit(1))
        if existing is not None:
            shown = ", ".join(f"{f} '{getattr(obj, f)}'" for f in fields)
            conflict(
                f"A {resource.name.replace('-', ' ')} with {shown} already exists (id {existing}).",
                errors={f: [FieldMessage("Already in use.", "Al in gebruik.")] for f in fields},
            )


def dependents(obj) -> dict[str, int]:
    """Rows in any table (plugins' included) that refer to ``obj``."""
    table = obj.__table__
    # Rows the object owns (a delete-orphan relationship, e.g. a device type's
    # phase history) go with it and do not hold it back.
    owned = {rel.target for rel in sa_inspect(obj).mapper.relationships if rel.cascade.delete_orphan}
    found = {}
    for other in db.metadata.sorted_tables:
        if other in owned:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.name == "id":
                count = db.session.scalar(
                    select(func.count()).select_from(other).where(fk.parent == obj.id)
                )
                if count:
                    found[other.name] = found.get(other.name, 0) + count
    return found


def delete(obj) -> None:
    refs = dependents(obj)
    if refs:
        listed = ", ".join(f"{n} {k}" for k, n in sorted(refs.items()))
        conflict(f"Cannot delete {obj.__tablename__} {obj.id}: still referred to by {listed}.", dependents=refs)
    db.session.delete(obj)
    db.session.flush()


def save(resource: Resource, obj, data: dict, is_new: bool):
    check_references(resource, data)
    for key, value in data.items():
        setattr(obj, key, value)
    if resource.before_save:
        resource.before_save(obj, data, is_new)
    user = current_user()
    if resource.may_write and not resource.may_write(user, obj):
        abort(403, message="This record is outside your department or your own data.")
    check_unique(resource, obj)
    if is_new:
        db.session.add(obj)
    db.session.flush()
    return obj


def get_visible(resource: Resource, obj_id: int, for_update: bool = False):
    stmt = select(resource.model).where(resource.model.id == obj_id)
    if for_update:
        # A write reads the row locked (PostgreSQL), so an If-Match check and the
        # change it guards cannot interleave with another writer's. FOR NO KEY UPDATE:
        # another writer's foreign-key check on this row (KEY SHARE) must not wait
        # for it, or two writers pointing at each other's rows deadlock.
        stmt = stmt.with_for_update(of=resource.model, key_share=True)
    if resource.scope:
        clause = resource.scope(current_user())
        if clause is not None:
            stmt = stmt.where(clause)
    obj = db.session.scalar(stmt)
    if obj is None:
        abort(404, message=f"No {resource.name.replace('-', ' ')} with id {obj_id}.")
    return obj


ETAG_HEADER = {"ETag": {"description": "the version of the record; send it back as If-Match to write it safely",
                         "schema": {"type": "string"}}}
IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": "the ETag of the version read; a write to a record changed since is refused with 412"}


def etag(resource: Resource, obj) -> str:
    """A strong validator over the record as the API shows it."""
    body = json.dumps(resource.schema().dump(obj), sort_keys=True, default=str, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def check_if_match(resource: Resource, obj) -> None:
    """Honour If-Match when the client sends it (RFC 9110): 412 when the record has moved on."""
    wanted = request.headers.get("If-Match")
    if wanted is None:
        return
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    current = etag(resource, obj)
    if "*" not in tags and current not in tags:
        abort(412, message="The record changed since you read it: GET it again (its ETag is now "
                           f"{current}) and reapply your change.")


def list_clauses(resource: Resource, user, filters: dict) -> list:
    """The WHERE clauses of ``resource``'s list for ``user`` with ``filters``: its role scope
    and each filter. The one definition: the list endpoint and the export both use it."""
    clauses = []
    if resource.scope:
        clause = resource.scope(user)
        if clause is not None:
            clauses.append(clause)
    for name, value in filters.items():
        if value is None:
            continue
        if name in resource.filter_clauses:
            clauses.append(resource.filter_clauses[name](value))
        else:
            clauses.append(getattr(resource.model, name) == value)
    return clauses


def list_query(resource: Resource, filters: dict):
    model = resource.model
    stmt = select(model).where(*list_clauses(resource, current_user(), filters))
    return stmt.order_by(resource.order_by if resource.order_by is not None else model.id)


def paginated(stmt, pagination_parameters):
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pagination_parameters.item_count = total
    return db.session.scalars(
        stmt.offset(pagination_parameters.first_item).limit(pagination_parameters.page_size)
    ).all()


def register(blp, resource: Resource) -> None:
    """Add the collection and item views of ``resource`` to ``blp``."""
    schema, filters = resource.schema, resource.filter_schema or Schema

    @blp.arguments(filters, location="query")
    @blp.response(200, schema(many=True))
    @blp.paginate(page_size=50, max_page_size=1000)
    def list_(self, args, pagination_parameters):
        require(*resource.read_roles)
        items = paginated(list_query(resource, args), pagination_parameters)
        if resource.person_of:
            people = {resource.person_of(obj) for obj in items} - {None}
            if len(people) == 1:
                access.note(staff_id=next(iter(people)))
            elif people:
                access.note(people=len(people))
        return items

    @blp.response(200, schema, headers=ETAG_HEADER)
    def get(self, obj_id):
        require(*resource.read_roles)
        obj = get_visible(resource, obj_id)
        if resource.person_of and resource.person_of(obj) is not None:
            access.note(staff_id=resource.person_of(obj))
        return obj, {"ETag": etag(resource, obj)}

    collection, item = {"get": list_}, {"get": get}
    if not resource.read_only:
        @blp.arguments(schema)
        @blp.response(201, schema)
        def post(self, data):
            require(*resource.write_roles)
            return save(resource, resource.model(), data, is_new=True)

        @blp.arguments(schema(partial=True))
        @blp.response(200, schema, headers=ETAG_HEADER)
        @blp.alt_response(412, description="If-Match names an earlier version: the record changed since it was read.")
        @blp.doc(parameters=[IF_MATCH])
        def patch(self, data, obj_id):
            require(*resource.write_roles)
            obj = get_visible(resource, obj_id, for_update=True)
            check_if_match(resource, obj)
            obj = save(resource, obj, data, is_new=False)
            return obj, {"ETag": etag(resource, obj)}

        @blp.response(204)
        @blp.alt_response(412, description="If-Match names an earlier version: the record changed since it was read.")
        @blp.doc(parameters=[IF_MATCH])
        def delete_(self, obj_id):
            require(*resource.write_roles)
            obj = get_visible(resource, obj_id, for_update=True)
            check_if_match(resource, obj)
            if resource.may_write and not resource.may_write(current_user(), obj):
                abort(403, message="This record is outside your department or your own data.")
            delete(obj)

        collection["post"] = post
        item.update(patch=patch, delete=delete_)

    name = resource.name.replace("-", "_")
    blp.route(resource.path, endpoint=f"{name}_collection")(
        type(f"{name}_collection", (MethodView,), collection))
    blp.route(f"{resource.path}/<int:obj_id>", endpoint=f"{name}_item")(
        type(f"{name}_item", (MethodView,), item))
