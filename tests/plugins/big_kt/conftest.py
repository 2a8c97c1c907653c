"""Fixtures for the big_kt API tests: a KT, a reserved-procedure activity, can-perform."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

API = "/api/v1"
BIG = "/api/v1/big"
_numbers = itertools.count(1)


def next_big_number() -> str:
    return f"{19000000000 + next(_numbers):011d}"


class Big:
    """Builds KT data through the API as an admin."""

    def __init__(self, client, make, admin):
        self.client, self.make, self.admin = client, make, admin

    def ok(self, response, status=200):
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def staff(self, **kw):
        return self.make.staff(**kw).id

    def registration_body(self, **overrides) -> dict:
        body = {"big_number": next_big_number(), "registered_on": "2021-09-01", "status": "registered",
                "diploma_on": "2021-06-30", "institution": "Universiteit Twente", "track": "Imaging & Intervention"}
        body.update(overrides)
        return body

    def put(self, staff_id, headers=None, **overrides):
        return self.client.put(f"{BIG}/staff/{staff_id}/registration", json=self.registration_body(**overrides),
                               headers=headers or self.admin)

    def register(self, staff_id=None, **overrides) -> int:
        staff_id = staff_id or self.staff()
        self.ok(self.put(staff_id, **overrides))
        return staff_id

    def subdomain(self, name=None) -> int:
        name = name or f"Deelgebied {next(_numbers)}"
        return self.ok(self.client.post(f"{BIG}/subdomains", json={"name": name}, headers=self.admin), 201)["id"]

    def give_subdomain(self, staff_id, subdomain_id, valid_from="2020-07-01", **extra):
        body = {"subdomain_id": subdomain_id, **extra}
        if valid_from is not None:
            body["valid_from"] = str(valid_from)
        return self.ok(self.client.post(f"{BIG}/staff/{staff_id}/subdomains", json=body, headers=self.admin), 201)

    def work_hours(self, staff_id, start, end, hours):
        return self.ok(self.client.post(f"{BIG}/staff/{staff_id}/work-hours", headers=self.admin, json={
            "period_start": str(start), "period_end": str(end), "hours": str(hours)}), 201)

    def evaluation(self, staff_id, as_of=None, headers=None):
        query = f"?as_of={as_of}" if as_of else ""
        return self.ok(self.client.get(f"{BIG}/staff/{staff_id}/evaluation{query}", headers=headers or self.admin))

    def activity(self, procedure="puncture", subdomain_id=None, protocol="IR-07 Echogeleide punctie") -> dict:
        """A reserved-procedure activity with a role that has B for it (no scope)."""
        subdomain_id = subdomain_id or self.subdomain()
        n = next(_numbers)
        activity = self.ok(self.client.post(f"{API}/tvb/activities", headers=self.admin, json={
            "name": f"Voorbehouden handeling {n}", "requirements": {"big_kt": {
                "reserved_procedure": procedure, "subdomain_id": subdomain_id, "protocol": protocol}}}), 201)
        role = self.ok(self.client.post(f"{API}/tvb/roles", json={"name": f"KT rol {n}"}, headers=self.admin), 201)
        self.ok(self.client.post(f"{API}/tvb/cells", headers=self.admin, json={
            "role_id": role["id"], "activity_id": activity["id"], "letters": "B"}), 201)
        return {"id": activity["id"], "role_id": role["id"], "subdomain_id": subdomain_id}

    def assign(self, staff_id, role_id, valid_from="2020-01-01"):
        return self.ok(self.client.post(f"{API}/tvb/assignments", headers=self.admin, json={
            "staff_id": staff_id, "role_id": role_id, "valid_from": valid_from}), 201)

    @property
    def assessor(self) -> int:
        """The supervising specialist who signs competences off."""
        if not hasattr(self, "_assessor"):
            self._assessor = self.staff()
        return self._assessor

    def competence(self, staff_id, activity_id, obtained_on="2022-01-10", expires_on="2099-01-10",
                   method="training_and_assessment", assessor_id="specialist"):
        """A competence for the procedure, by default signed off by the specialist with its own expiry."""
        assessor_id = self.assessor if assessor_id == "specialist" else assessor_id
        return self.ok(self.client.post(f"{API}/competences", headers=self.admin, json={
            "staff_id": staff_id, "activity_id": activity_id, "role": "user", "obtained_on": str(obtained_on),
            "method": method, "assessor_id": assessor_id,
            "expires_on": str(expires_on) if expires_on else None}), 201)

    def full_kt(self, activity, **registration) -> int:
        """A KT who meets every condition for ``activity``."""
        staff_id = self.register(**registration)
        self.give_subdomain(staff_id, activity["subdomain_id"])
        self.assign(staff_id, activity["role_id"])
        self.competence(staff_id, activity["id"])
        return staff_id

    def can(self, staff_id, activity_id, on=None, headers=None) -> dict:
        query = f"activity_id={activity_id}" + (f"&on={on}" if on else "")
        return self.ok(self.client.get(f"{API}/staff/{staff_id}/can-perform?{query}", headers=headers or self.admin))


def big_reasons(decision: dict) -> dict[str, bool]:
    return {r["code"]: r["ok"] for r in decision["reasons"] if r["source"] == "big_kt"}


@pytest.fixture
def big(client, make, admin):
    return Big(client, make, admin)


@pytest.fixture
def day():
    return dt.date.today()
