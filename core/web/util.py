"""Small helpers shared by the pages: paging and query-string parsing."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select

from core.extensions import db

PAGE_SIZE = 50


@dataclass
class Page:
    items: list
    page: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)


def page_number(param: str = "page") -> int:
    return max(1, arg_int(param) or 1)


def paginate_query(stmt, size: int = PAGE_SIZE, scalars: bool = True) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = min(page_number(), max(1, math.ceil(total / size)))
    query = stmt.offset((page - 1) * size).limit(size)
    items = db.session.scalars(query).all() if scalars else db.session.execute(query).all()
    return Page(list(items), page, size, total)


def paginate_list(items: list, size: int = PAGE_SIZE, param: str = "page") -> Page:
    """``param``: the query parameter of the page number (two lists paged on one page)."""
    page = min(page_number(param), max(1, math.ceil(len(items) / size)))
    return Page(items[(page - 1) * size:page * size], page, size, len(items))


def arg_int(name: str, source=None) -> int | None:
    raw = (source or request.args).get(name, "")
    try:
        return int(raw) if str(raw).strip() else None
    except ValueError:
        return None


def arg_date(name: str, source=None, default: dt.date | None = None) -> dt.date | None:
    raw = (source or request.args).get(name, "")
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def page_url_args(**changes) -> dict:
    """The current query string with some values replaced (for paging links)."""
    args = {k: v for k, v in request.args.items() if v != ""}
    args.update({k: v for k, v in changes.items()})
    return args
