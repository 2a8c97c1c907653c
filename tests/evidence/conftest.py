"""A small hospital for the evidence documents: one released device type, one activity,
a person who may (role with B, a competence, a VZI certificate), a person who may not
(a role with only T, a BIG registration), a person in another department."""
from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest

from core.extensions import db

API = "/api/v1"
ON = dt.date(2026, 6, 1)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Accented letters may come out decomposed (a + combining diaeresis): compare composed text.
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def flat(text: str) -> str:
    """Text without line breaks and spaces: a hash or a long line may be wrapped anywhere."""
    return "".join(text.split())


@pytest.fixture
def hospital(app, make):
    from core.competence.models import Competence
    from core.dataio.models import StaffDeparture
    from core.devices.models import Device
    from core.tvb.models import Activity, Assignment, Cell, Role
    from plugins.big_kt.models import KtRegistration
    from plugins.vzi_mt.models import Certification

    dept_a, dept_b = make.department(code="A", name="Medische Techniek"), make.department(code="B", name="OK")
    anna = make.staff(name="Anna de Vries", employee_number="100001", department_id=dept_a.id)
    bert = make.staff(name="Bert Jansen", employee_number="100002", department_id=dept_a.id)
    carl = make.staff(name="Carl Bakker", employee_number="200001", department_id=dept_b.id)
    device_type = make.device_type(manufacturer="Dräger", model="Evita V800", name="Beademingsapparaat",
                                   lifecycle_phase=6, released_on=dt.date(2020, 1, 1))
    with app.app_context():
        long_ago = dt.date(2020, 1, 1)
        full, partial = Role(name="MT4 Beademing"), Role(name="Leerling MT")
        activity = Activity(name="Preventief onderhoud", level="operational", lifecycle_phase=6)
        activity.effective_from = long_ago  # the history records versions from this day (a fact recorded late)
        db.session.add_all([full, partial, activity])
        db.session.flush()
        cells = [Cell(role_id=full.id, activity_id=activity.id, letters="TVB"),
                 Cell(role_id=partial.id, activity_id=activity.id, letters="T")]
        for cell in cells:
            cell.effective_from = long_ago
        db.session.add_all([
            *cells,
            Assignment(staff_id=anna.id, role_id=full.id, valid_from=dt.date(2025, 1, 1)),
            Assignment(staff_id=bert.id, role_id=partial.id, valid_from=dt.date(2025, 1, 1)),
            Assignment(staff_id=carl.id, role_id=full.id, valid_from=dt.date(2025, 1, 1)),
            Competence(staff_id=anna.id, device_type_id=device_type.id, role="technician",
                       obtained_on=dt.date(2025, 6, 1), method="training_and_assessment", assessor_id=bert.id,
                       expires_on=dt.date(2027, 6, 1)),
            Competence(staff_id=carl.id, device_type_id=device_type.id, role="technician",
                       obtained_on=dt.date(2025, 6, 1), method="training", expires_on=dt.date(2026, 7, 1)),
            Certification(staff_id=anna.id, level="MT4", designation="professional", start_date=dt.date(2025, 1, 1),
                          end_date=dt.date(2028, 1, 1), dispensation_percent=0),
            StaffDeparture(staff_id=carl.id, left_on=dt.date(2026, 7, 1)),
            Device(asset_number="MT-00042", serial_number="SN-7781", device_type_id=device_type.id,
                   department_id=dept_a.id),
            KtRegistration(staff_id=bert.id, big_number="19012345678", registered_on=dt.date(2024, 1, 1),
                           status="registered", status_since=dt.date(2024, 1, 1), diploma_on=dt.date(2023, 7, 1)),
        ])
        db.session.commit()
        ids = {"activity": activity.id}
    users = {}
    for key, role, kw in [("admin", "admin", {}), ("anna", "technician", {"staff_id": anna.id}),
                          ("bert", "technician", {"staff_id": bert.id}),
                          ("manager_a", "manager", {"department_id": dept_a.id}),
                          ("manager_b", "manager", {"department_id": dept_b.id}),
                          ("tvb_admin", "tvb_admin", {}), ("auditor", "auditor", {})]:
        users[key] = make.user(role, email=f"{key}@example.org", **kw)[1]
    return {"anna": anna.id, "bert": bert.id, "carl": carl.id, "device_type": device_type.id,
            "activity": ids["activity"], "users": users, "dept_a": dept_a.id}
