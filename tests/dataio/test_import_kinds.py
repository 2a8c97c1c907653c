"""CMMS (devices, device types), LMS (competences), VZI CPD, saved mappings and the CLI."""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy import select

from core.competence.models import Competence
from core.dataio.cli import import_command
from core.devices.models import Device, DeviceType
from core.extensions import db
from tests.dataio.conftest import rows_of


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_device_types_from_a_spreadsheet(app, upload):
    content = _xlsx([
        ["Fabrikant", "Model", "Omschrijving", "Technologiegroep", "MDR-klasse", "Levensfase", "Vrijgegeven op"],
        ["Dräger", "Evita V500", "Beademingstoestel", 1, "IIb", 6, dt.datetime(2019, 5, 1)],
        ["Philips", "IntelliVue MX800", None, "1", "Klasse IIb", 6, 43466],
        ["Philips", "Nieuw", "Iets", 99, "IV", 6, None],
        ["B. Braun", "Perfusor Space", "Spuitpomp", None, "IIb", 1, None],
    ])
    report = upload("device-types", content, filename="types.xlsx", partial=True).json
    assert report["format"] == "xlsx"
    assert rows_of(report) == [
        (2, "created", []), (3, "created", []),
        (4, "rejected", ["mdr_class: 'IV' is not an MDR class (I, IIa, IIb, III) or IVDR class (A, B, C, D).",
                         "technology_group: '99' is no technology group (a code 1-27 or its name).",
                         "released_on: a device type in phase 6 or 7 needs the date it was released."]),
        (5, "rejected", ["technology_group: needed for a new device type."]),
    ]
    with app.app_context():
        mx = db.session.scalar(select(DeviceType).where(DeviceType.model == "IntelliVue MX800"))
        assert (mx.name, mx.mdr_class, mx.released_on) == ("Philips IntelliVue MX800", "IIb", dt.date(2019, 1, 1))


def test_devices_from_the_cmms_upsert_on_asset_number(app, make, upload):
    make.department(code="IC")
    evita = make.device_type(manufacturer="Dräger", model="Evita V500")
    content = ("Inventarisnummer;Serienummer;Fabrikant;Type;Afdeling;Status\n"
               "MT-0001;SN1;Dräger;Evita V500;IC;In gebruik\n"
               "MT-0002;SN2;Dräger;Evita XL;IC;In gebruik\n"
               "MT-0003;;Dräger;Evita V500;;Afgevoerd\n").encode()
    report = upload("devices", content, partial=True).json
    assert rows_of(report) == [(2, "created", []),
                               (3, "rejected", ["model: no device type 'Dräger Evita XL' (import the device types first)."]),
                               (4, "created", [])]
    again = upload("devices", content.replace(b"MT-0003;;Dr\xc3\xa4ger;Evita V500;;Afgevoerd",
                                               b"MT-0003;SN3;Dr\xc3\xa4ger;Evita V500;;In reparatie"), partial=True).json
    assert [(r["line"], r["status"], r.get("changed")) for r in again["rows"]] == [
        (2, "unchanged", None), (3, "rejected", None), (4, "updated", ["serial_number", "status"])]
    with app.app_context():
        devices = {d.asset_number: d for d in db.session.scalars(select(Device))}
        assert devices["MT-0003"].status == "in_repair" and devices["MT-0001"].device_type_id == evita.id


def test_lms_completions_become_competences(app, make, upload):
    anna = make.staff(employee_number="1001")
    piet = make.staff(employee_number="2001")
    evita = make.device_type(manufacturer="Dräger", model="Evita V500")
    content = ("Personeelsnummer;Fabrikant;Type;Rol;Behaald op;Methode;Beoordelaar;Bewijs\n"
               "1001;Dräger;Evita V500;Gebruiker;12-01-2024;Instructie;2001;LMS-77\n"
               "1001;Dräger;Evita V500;Gebruiker;12-01-2024;Training;2001;LMS-78\n"
               "1001;Dräger;Evita V500;Chef;2024-13-01;Instructie;1001;\n"
               "9999;Dräger;Evita V500;Technicus;45000;Training en toetsing;;\n").encode()
    report = upload("competences", content, partial=True).json
    assert rows_of(report) == [
        (2, "created", []),
        (3, "rejected", ["duplicate: the same key as line 2."]),
        (4, "rejected", ["role: 'Chef' is not a known role (key_user, technician, trainer, user).",
                         "obtained_on: '2024-13-01' is not an existing date.",
                         "assessor_number: a person cannot assess their own competence."]),
        (5, "rejected", ["employee_number: no staff member with number '9999'."]),
    ]
    with app.app_context():
        competence = db.session.scalar(select(Competence))
        assert (competence.staff_id, competence.device_type_id, competence.role, competence.obtained_on,
                competence.method, competence.assessor_id, competence.evidence) == (
            anna.id, evita.id, "user", dt.date(2024, 1, 12), "instruction", piet.id, "LMS-77")
        # The Leidraad plugin owns the expiry (the plugin that owns a requirement computes it): an unscreened type has none.
        assert competence.expiry_source == "leidraad" and competence.expires_on is None
    # The LMS corrects the method of the same completion: an update, not a second record.
    fixed = upload("competences", content.split(b"\n")[0] + b"\n" +
                   "1001;Dräger;Evita V500;user;2024-01-12;training_and_assessment;2001;LMS-77\n".encode()).json
    assert fixed["rows"][0]["status"] == "updated" and fixed["rows"][0]["changed"] == ["method"]


def test_cpd_activities_for_many_people(app, make, upload):
    make.staff(employee_number="1001")
    content = ("Personeelsnummer;Datum;Uren;Titel;Categorie\n"
               "1001;03-02-2025;7,5;Symposium beademing;1\n"
               "1001;2025-02-04;2;Ethiek;Algemene niet-technische scholing\n"
               "1001;2025-02-05;-1;Fout;1\n").encode()
    report = upload("cpd", content, partial=True).json
    assert rows_of(report) == [(2, "created", []), (3, "created", []),
                               (4, "rejected", ["hours: -1 must be more than 0 and at most 10000.00."])]
    again = upload("cpd", content, partial=True).json
    assert [r["status"] for r in again["rows"]] == ["unchanged", "unchanged", "rejected"]
    from plugins.vzi_mt.models import CpdActivity
    with app.app_context():
        assert sorted(str(a.hours) for a in db.session.scalars(select(CpdActivity))) == ["2.00", "7.50"]


def test_cpd_is_refused_cleanly_when_the_vzi_plugin_is_disabled(app, make, upload, monkeypatch):
    from core.plugins import build_manager
    monkeypatch.setitem(app.extensions, "bekwaam_plugins", build_manager(disabled=["vzi_mt"]))
    response = upload("cpd", b"Personeelsnummer;Datum;Uren;Titel\n1;2025-01-01;1;x\n")
    assert response.status_code == 422
    assert response.json["errors"] == {"kind": ["CPD activities belong to the plugin vzi_mt, which is disabled here."]}
    result = app.test_cli_runner().invoke(import_command, ["cpd", _tmp(b"Personeelsnummer\n1\n")])
    assert result.exit_code == 0 and result.output.startswith("Skipped: CPD activities belong to the plugin vzi_mt")
    assert upload("shoes", b"Personeelsnummer\n1\n").status_code == 404  # no plugin owns it: unknown


def _tmp(content: bytes, suffix=".csv") -> str:
    import tempfile
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    handle.write(content)
    handle.close()
    return handle.name


def test_a_saved_mapping_for_an_afas_export(app, client, admin, make, upload):
    make.department(code="IC")
    body = {"name": "AFAS", "kind": "staff", "columns": {"Medewerker": "employee_number", "Roepnaam": "name",
                                                           "Kostenplaats": "department_code"}}
    created = client.post("/api/v1/import-mappings", json=body, headers=admin)
    assert created.status_code == 201, created.json
    bad = client.post("/api/v1/import-mappings", json={**body, "name": "x", "columns": {"A": "shoe_size"}}, headers=admin)
    assert bad.status_code == 422 and "shoe_size" in bad.json["errors"]["columns"][0]
    content = "Medewerker;Roepnaam;Kostenplaats\n7001;Fleur;IC\n".encode()
    report = upload("staff", content, mapping="AFAS").json
    assert report["mapping"] == "AFAS" and report["counts"]["created"] == 1
    assert upload("staff", content, mapping="Nope").json["errors"] == {"mapping": ["No saved mapping named 'Nope'."]}
    assert upload("devices", content, mapping="AFAS").json["errors"] == {"mapping": ["Mapping 'AFAS' is for staff, not devices."]}


def test_cli_import_dry_run_and_real(app, make):
    make.department(code="IC")
    runner = app.test_cli_runner()
    path = _tmp("Personeelsnummer;Naam;Afdeling\n1;Een;IC\n2;Twee;XX\n".encode())
    dry = runner.invoke(import_command, ["staff", path, "--dry-run"])
    assert dry.exit_code == 1
    assert "line 3: rejected: department_code: no department with code 'XX'." in dry.output
    assert "a real run would write nothing" in dry.output
    partial = runner.invoke(import_command, ["staff", path, "--partial"])
    assert partial.exit_code == 0 and "1 created, 1 rejected (written" in partial.output
    from core.staff.models import Staff
    with app.app_context():
        assert db.session.scalars(select(Staff.employee_number)).all() == ["1"]
