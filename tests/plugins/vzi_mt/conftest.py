"""Helpers for the VZI API tests: build a portfolio through the API."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db

AS_OF = dt.date(2025, 6, 1)  # window (2022-06-01, 2025-06-01], as in test_rules.py
IN_WINDOW = "2024-01-15"


def group_id(app, code: int) -> int:
    from core.devices.models import TechnologyGroup
    with app.app_context():
        return db.session.scalar(select(TechnologyGroup.id).where(TechnologyGroup.code == code))


class Vzi:
    """Adds portfolio rows for one person through the REST API (as admin)."""

    def __init__(self, app, client, headers, staff_id):
        self.app, self.client, self.headers, self.staff_id = app, client, headers, staff_id

    def url(self, part: str) -> str:
        return f"/api/v1/vzi/staff/{self.staff_id}/{part}"

    def add(self, part: str, **body):
        response = self.client.post(self.url(part), json=body, headers=self.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def education(self, level="MBO4", fields=("electrical",), components=("project_management",), **kw):
        return self.add("educations", level=level, fields=list(fields), components=list(components), **kw)

    def position(self, level, start, end=None):
        return self.add("positions", level=level, start_date=str(start), end_date=end and str(end))

    def certificates(self, *codes):
        return [self.add("certificates", code=code) for code in codes]

    def cpd(self, hours, code=None, on=IN_WINDOW, title="Scholing"):
        group = group_id(self.app, code) if code else None
        return self.add("cpd-activities", date=str(on), hours=str(hours), title=title, technology_group_id=group)

    def work(self, code, hours, start="2022-07-01", end="2025-05-31"):
        return self.add("work-experience", technology_group_id=group_id(self.app, code),
                        period_start=start, period_end=end, hours=str(hours))

    def evaluation(self, as_of=AS_OF, headers=None):
        response = self.client.get(self.url(f"evaluation?as_of={as_of}"), headers=headers or self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def grant(self, as_of=AS_OF, headers=None):
        return self.client.post(self.url("certifications"), json={"as_of": str(as_of)}, headers=headers or self.headers)

    def example(self, position_start):
        """The worked MT4 example (expert with 7 years, not eligible with 5): MT4, MBO 4 electrical + project management, MTA + MTB,
        70 h CPD of which 40 h technical, group 1 with 650 h work + 14 h CPD."""
        self.education()
        self.certificates("MTA", "MTB")
        self.position("MT4", position_start)
        self.cpd("14", 1)
        self.cpd("26", 7)
        self.cpd("30")
        self.work(1, "650")
        return self


@pytest.fixture
def person(make):
    return make.staff()


@pytest.fixture
def vzi(app, client, admin, person):
    return Vzi(app, client, admin, person.id)


def insert_period(app, staff_id, level, designation, start, end=None):
    """A certification period put straight into the database (state for hook tests)."""
    from plugins.vzi_mt import rules
    from plugins.vzi_mt.models import Certification
    with app.app_context():
        period = Certification(staff_id=staff_id, level=level, designation=designation, start_date=start,
                               end_date=end or rules.add_years(start, 3), dispensation_percent=0)
        db.session.add(period)
        db.session.commit()
        return period.id
