"""Shared marshmallow bases: unknown fields are refused, ids are read-only.

Both bases refuse values no database column can hold, naming the field: an
integer outside PostgreSQL's ``integer`` range and text with a NUL character
(PostgreSQL refuses it, SQLite would truncate it).
"""
from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

import datetime as dt

from core.errors import INT_MAX, INT_MIN

# The days a hospital's records can mean: no diploma before 1950, no plan past
# 2100. Outside them a typo (year 2 or 9999) would reach date arithmetic.
FIRST_DAY = dt.date(1950, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


class Day(fields.Date):
    """An ISO date between ``FIRST_DAY`` and ``LAST_DAY``; others are refused naming the field."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(f"Must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}.")
        return day


class _Storable(Schema):
    @validates_schema(skip_on_field_errors=False)
    def _storable(self, data, **kwargs):
        errors = {}
        for name, field in self.fields.items():
            if field.dump_only:
                continue
            value = data.get(field.attribute or name)
            if isinstance(field, fields.Integer) and isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                errors[field.data_key or name] = [f"Must be between {INT_MIN} and {INT_MAX}."]
            elif isinstance(field, fields.String) and isinstance(value, str) and "\x00" in value:
                errors[field.data_key or name] = ["Must not contain a NUL character."]
        if errors:
            raise ValidationError(errors)


class StrictSchema(_Storable):
    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.Integer(dump_only=True)


class Filters(_Storable):
    """Query-string filters; unknown parameters are ignored (pagination shares the query)."""
