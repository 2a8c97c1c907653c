"""``/api/v1/users``: user administration for admins (the same operations as ``bekwaam users``)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from core.auth import admin
from core.auth.models import ROLES, User
from core.auth.permissions import require
from core.auth.services import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, UserError, issue_token
from core.errors import abort, conflict, field_errors
from core.schemas import Filters

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Users and their API tokens (admins)")


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.String()
    role = fields.String()
    staff_id = fields.Integer(allow_none=True)
    department_id = fields.Integer(allow_none=True)
    locale = fields.String()
    active = fields.Boolean()
    created_at = fields.AwareDateTime()


class UserFilters(Filters):
    active = fields.Boolean()
    role = fields.String(validate=validate.OneOf(ROLES))


class PasswordSchema(Schema):
    password = fields.String(load_default=None, validate=validate.Length(min=12, max=200),
                             metadata={"description": "omit to have one generated (returned once)"})


class PasswordResultSchema(Schema):
    password = fields.String(allow_none=True, metadata={"description": "the generated password, or null"})


class TokenSchema(Schema):
    id = fields.Integer()
    created_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime(allow_none=True)
    revoked = fields.Boolean()
    state = fields.Function(admin.token_state, metadata={"description": "active, expired or revoked"})


class NewTokenArgs(Schema):
    expires_in_days = fields.Integer(load_default=DEFAULT_TOKEN_DAYS, validate=validate.Range(1, MAX_TOKEN_DAYS))


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "shown once; only its hash is stored"})


def _user(user_id: int) -> User:
    require("admin")
    try:
        return admin.user_by_key(user_id)
    except UserError:
        abort(404, message=f"No user with id {user_id}.")


@blp.route("/users")
@blp.arguments(UserFilters, location="query")
@blp.response(200, UserSchema(many=True))
def user_list(args):
    """Every user (filter on ``active`` and ``role``)."""
    require("admin")
    return admin.users(active=args.get("active"), role=args.get("role"))


@blp.route("/users/<int:user_id>")
@blp.response(200, UserSchema)
def user_get(user_id):
    return _user(user_id)


@blp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@blp.response(200, UserSchema)
def user_deactivate(user_id):
    """Block the user's web login and every token; nothing is deleted."""
    user = _user(user_id)
    try:
        return admin.deactivate(user)
    except UserError as exc:
        conflict(str(exc))


@blp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@blp.response(200, UserSchema)
def user_reactivate(user_id):
    try:
        return admin.reactivate(_user(user_id))
    except UserError as exc:
        conflict(str(exc))


@blp.route("/users/<int:user_id>/password", methods=["POST"])
@blp.arguments(PasswordSchema)
@blp.response(200, PasswordResultSchema)
def user_password(args, user_id):
    """Set a password, or generate one (then it is in the answer, once)."""
    user = _user(user_id)
    try:
        new = admin.reset_password(user, args["password"])
    except UserError as exc:
        field_errors({"password": str(exc)})
    return {"password": None if args["password"] else new}


@blp.route("/users/<int:user_id>/tokens")
class UserTokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self, user_id):
        """The user's tokens (never the tokens themselves)."""
        return admin.tokens(_user(user_id))

    @blp.arguments(NewTokenArgs)
    @blp.response(201, NewTokenSchema)
    def post(self, args, user_id):
        """Issue a token that expires after ``expires_in_days`` (default 90)."""
        secret, row = issue_token(_user(user_id), args["expires_in_days"])
        row.token = secret  # a plain attribute for this answer only; the row keeps the hash
        return row


@blp.route("/users/<int:user_id>/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def user_token_revoke(user_id, token_id):
    """Revoke a token at once."""
    user = _user(user_id)
    try:
        admin.revoke_token(token_id, user)
    except UserError as exc:
        abort(404, message=str(exc))
