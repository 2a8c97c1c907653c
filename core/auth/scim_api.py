"""``/scim/v2``: the SCIM 2.0 endpoints the identity system provisions users through.

Authenticated by the token from ``bekwaam scim token`` only (never a user's
session or API token). Parsing, patching and serialising are scim2-models';
every answer, errors included, is ``application/scim+json``.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, Response, json, request, url_for
from pydantic import ValidationError
from scim2_models import (
    Context, EnterpriseUser, Error, ListResponse, PatchOp, ResourceType, SCIMException, SearchRequest,
    ServiceProviderConfig, User as ScimUser,
)
from sqlalchemy import func, select

from core.audit.services import set_actor
from core.auth import scim
from core.auth.models import User
from core.extensions import db

blp = Blueprint("scim", __name__, url_prefix="/scim/v2")
MEDIA_TYPE = "application/scim+json"
MAX_PAGE = 200
# The attributes a filter may compare (Entra asks "userName eq ..." before it creates anyone).
FILTERABLE = {"username": User.email, "externalid": User.scim_id}


def _answer(payload: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(payload), status=status, mimetype=MEDIA_TYPE, headers=headers)


def _error(status: int, detail: str, scim_type: str | None = None) -> Response:
    return _answer(Error(status=status, detail=detail, scim_type=scim_type).model_dump(), status)


@blp.before_request
def authenticate():
    scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or not scim.token_valid(token.strip()):
        return _error(401, "A valid SCIM bearer token is required (bekwaam scim token).")
    set_actor(SimpleNamespace(id=None, email="scim"))
    return None


@blp.errorhandler(scim.ScimProblem)
def problem(exc):
    db.session.rollback()
    return _error(exc.status, exc.detail, exc.scim_type)


@blp.errorhandler(ValidationError)
def invalid(exc):
    db.session.rollback()
    fields = ", ".join(".".join(str(p) for p in err["loc"]) or "body" for err in exc.errors())
    return _error(400, f"Invalid SCIM document ({fields}).", "invalidValue")


@blp.errorhandler(SCIMException)
def scim_exception(exc):
    db.session.rollback()
    return _error(400, str(exc), getattr(exc, "scim_type", None))


def _body() -> dict:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise scim.ScimProblem(400, "The body must be a JSON object.", "invalidSyntax")
    return body


def _location(user: User) -> str:
    return url_for("scim.user_item", user_id=str(user.id), _external=True)


def _user(user_id: str) -> User:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None:
        raise scim.ScimProblem(404, f"No user {user_id}.")
    return user


def _dump(user: User, context) -> dict:
    return scim.to_scim(user, _location(user)).model_dump(scim_ctx=context)


@blp.route("/Users", methods=["GET"])
def user_list():
    search = SearchRequest.model_validate(
        {k: v for k, v in request.args.items() if k in ("filter", "startIndex", "count")},
        scim_ctx=Context.SEARCH_REQUEST)
    stmt = select(User)
    if search.filter:
        comparison = search.filter.ast
        column = FILTERABLE.get(str(getattr(comparison, "attr_path", "")).lower())
        if column is None or str(getattr(comparison, "op", "")).lower() != "eq":
            raise scim.ScimProblem(400, "Only 'userName eq \"...\"' and 'externalId eq \"...\"' filters are supported.",
                                   "invalidFilter")
        value = str(comparison.value)
        stmt = stmt.where(column == (value.lower() if column is User.email else value))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    start = max(search.start_index or 1, 1)
    count = min(search.count if search.count is not None else MAX_PAGE, MAX_PAGE)
    users = db.session.scalars(stmt.order_by(User.id).offset(start - 1).limit(count)).all()
    page = ListResponse[scim.Resource](total_results=total, start_index=start, items_per_page=len(users),
                                       resources=[scim.to_scim(u, _location(u)) for u in users])
    return _answer(page.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


@blp.route("/Users", methods=["POST"])
def user_create():
    resource = scim.Resource.model_validate(_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    user = scim.create(resource)
    return _answer(_dump(user, Context.RESOURCE_CREATION_RESPONSE), 201, {"Location": _location(user)})


@blp.route("/Users/<user_id>", methods=["GET"])
def user_item(user_id):
    return _answer(_dump(_user(user_id), Context.RESOURCE_QUERY_RESPONSE))


@blp.route("/Users/<user_id>", methods=["PUT"])
def user_replace(user_id):
    user = _user(user_id)
    resource = scim.Resource.model_validate(_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    scim.replace(user, resource)
    return _answer(_dump(user, Context.RESOURCE_REPLACEMENT_RESPONSE))


@blp.route("/Users/<user_id>", methods=["PATCH"])
def user_patch(user_id):
    user = _user(user_id)
    patch = PatchOp[scim.Resource].model_validate(_body(), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    resource = scim.to_scim(user, _location(user))
    patch.patch(resource)
    scim.replace(user, resource)
    return _answer(_dump(user, Context.RESOURCE_PATCH_RESPONSE))


@blp.route("/Users/<user_id>", methods=["DELETE"])
def user_delete(user_id):
    """Deactivates: the account stays, so the audit trail keeps pointing at who did what."""
    scim.set_active(_user(user_id), False)
    db.session.flush()
    return Response(status=204)


@blp.route("/ServiceProviderConfig", methods=["GET"])
def service_provider_config():
    config = ServiceProviderConfig.model_validate({
        "patch": {"supported": True}, "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_PAGE}, "changePassword": {"supported": False},
        "sort": {"supported": False}, "etag": {"supported": False},
        "authenticationSchemes": [{"type": "oauthbearertoken", "name": "OAuth Bearer Token",
                                   "description": "The token from `bekwaam scim token`.", "primary": True}],
    })
    return _answer(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _schemas() -> list:
    return [ScimUser.to_schema(), EnterpriseUser.to_schema()]


def _resource_types() -> list:
    return [ResourceType.from_resource(scim.Resource)]


def _listing(items) -> Response:
    page = ListResponse[type(items[0])](total_results=len(items), start_index=1, items_per_page=len(items),
                                        resources=items)
    return _answer(page.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


def _one(items, key: str) -> Response:
    for item in items:
        if item.id == key:
            return _answer(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise scim.ScimProblem(404, f"No {key}.")


@blp.route("/Schemas", methods=["GET"])
def schema_list():
    return _listing(_schemas())


@blp.route("/Schemas/<path:schema_id>", methods=["GET"])
def schema_item(schema_id):
    return _one(_schemas(), schema_id)


@blp.route("/ResourceTypes", methods=["GET"])
def resource_type_list():
    return _listing(_resource_types())


@blp.route("/ResourceTypes/<type_id>", methods=["GET"])
def resource_type_item(type_id):
    return _one(_resource_types(), type_id)


@blp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything):
    """SCIM clients expect a SCIM Error for a path that does not exist, not an HTML page.

    A known endpoint asked with a method it does not serve lands here too
    (this rule takes every method): that is a 405, not a 404.
    """
    if anything.split("/", 1)[0] in ("Users", "Schemas", "ResourceTypes", "ServiceProviderConfig"):
        raise scim.ScimProblem(405, f"{request.method} is not supported on /{anything}.")
    raise scim.ScimProblem(404, f"No SCIM endpoint /{anything}.")
