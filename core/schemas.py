"""Shared marshmallow bases: unknown fields are refused, ids are read-only."""
from marshmallow import RAISE, Schema, fields


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.Integer(dump_only=True)


class Filters(Schema):
    """Query-string filters; unknown parameters are ignored (pagination shares the query)."""
