"""The import page (docs/data-io.md, Imports): admin only, dry run with a per-line report, import for real, CSRF."""
from __future__ import annotations

import io
import os
import re
import time

import pytest
from sqlalchemy import func, select

from core.audit.models import AuditEntry
from core.dataio.models import ImportMapping
from core.extensions import db
from core.staff.models import Staff
from tests.web.test_pages import csrf_token

# Line 2 is good, line 3 has a date that does not exist, line 4 is empty, line 5 is good.
STAFF_CSV = (
    "Personeelsnummer;Naam;Afdeling;Soort dienstverband;In dienst\r\n"
    "7001;Jansen, Anna;IC;Intern;01-03-2015\r\n"
    "7002;Bakker, Tom;IC;Intern;31-02-2019\r\n"
    ";;;;\r\n"
    "7003;Visser, Eva;IC;Intern;2020-06-15\r\n"
).encode("utf-8")
GOOD_CSV = b"Personeelsnummer;Naam;Afdeling\r\n7001;Jansen, Anna;IC\r\n7003;Visser, Eva;IC\r\n"


@pytest.fixture(autouse=True)
def instance(app, tmp_path, monkeypatch):
    """Kept uploads land in a temporary instance folder, not in the repository's."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path


@pytest.fixture
def ic(make):
    return make.department(code="IC", name="Intensive Care")


def staff_numbers(app) -> list[str]:
    with app.app_context():
        numbers = db.session.scalars(select(Staff.employee_number).order_by(Staff.employee_number)).all()
        db.session.remove()
    return list(numbers)


def imports_audited(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
        db.session.remove()
    return n


def post(client, content=STAFF_CSV, filename="hr.csv", kind="staff", dry_run=True, partial=False, mapping=0,
         **extra):
    data = {"kind": kind, "mapping": str(mapping), "file": (io.BytesIO(content), filename), **extra}
    if dry_run:
        data["dry_run"] = "y"
    if partial:
        data["partial"] = "y"
    return client.post("/imports", data=data, content_type="multipart/form-data")


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def kept_files(instance) -> list[str]:
    folder = instance / "imports"
    return sorted(os.listdir(folder)) if folder.exists() else []


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*id="{name}"[^>]*>', html).group(0).replace("<input", "<input ")


def row_of(html: str, line: int) -> str:
    return re.search(rf'<tr class="row-(\w+)" id="line-{line}">(.*?)</tr>', html, re.S).group(0)


# ------------------------------------------------------------------ who


def test_admin_sees_the_page_and_the_nav_entry(web):
    client, _ = web("admin")
    response = client.get("/imports")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Importeren</h1>" in html  # Dutch by default
    assert 'href="/imports" aria-current="page"' in html
    assert " checked " in input_tag(html, "dry_run") and " checked " not in input_tag(html, "partial")
    for kind in ("staff", "devices", "device-types", "competences", "cpd"):  # vzi_mt is enabled in the tests
        assert f'value="{kind}"' in html, kind
    assert '<label for="file">' in html and 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("role", ["manager", "technician", "auditor", "tvb_admin"])
def test_other_roles_get_403_and_no_nav_entry(make, web, ic, role):
    links = {"manager": {"department_id": ic.id},
             "technician": {"staff_id": make.staff(department_id=ic.id).id}}.get(role, {})
    client, _ = web(role, **links)
    assert client.get("/imports").status_code == 403
    assert post(client).status_code == 403
    assert client.post("/imports/confirm", data={"token": "x" * 32}).status_code == 403
    assert 'href="/imports"' not in client.get("/").get_data(as_text=True)


def test_cpd_is_offered_only_while_the_vzi_plugin_is_enabled(app, web, ic, monkeypatch):
    from core.dataio import importers
    # As with the plugin switched off: it adds no import kind.
    monkeypatch.setattr(importers, "import_kinds", lambda: [])
    client, _ = web("admin")
    html = client.get("/imports").get_data(as_text=True)
    assert 'value="cpd"' not in html and 'value="staff"' in html
    refused = post(client, kind="cpd", content=b"Personeelsnummer;Datum;Uren;Titel\r\n7001;01-01-2025;2;x\r\n")
    assert refused.status_code == 422 and "Ongeldige keuze" in refused.get_data(as_text=True)


# ------------------------------------------------------------------ dry run, report, import for real


def test_dry_run_reports_every_line_and_writes_nothing(app, web, ic, instance):
    client, _ = web("admin")
    response = post(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="status">Er is niets opgeslagen: proefimport.' in html
    assert re.search(r"Aangemaakt: <strong>2</strong>.*Afgekeurd: <strong>1</strong>.*Overgeslagen \(leeg\): "
                     r"<strong>1</strong>", html, re.S)
    bad = row_of(html, 3)
    assert 'class="row-rejected"' in bad and '<th scope="row">3</th>' in bad
    assert "In dienst: &#39;31-02-2019&#39; is geen bestaande datum." in bad  # Dutch UI: Dutch, the file's header
    assert "row-created" in row_of(html, 2) and "row-skipped" in row_of(html, 4) and "row-created" in row_of(html, 5)
    assert '<th scope="col">Regel</th>' in html
    assert staff_numbers(app) == [] and imports_audited(app) == 0
    assert len(kept_files(instance)) == 1 and "Echt importeren" in html


def test_import_for_real_after_the_dry_run_writes_and_forgets_the_file(app, web, ic, instance):
    client, _ = web("admin")
    token = token_of(post(client).get_data(as_text=True))
    # All or nothing: the rejected line 3 stops the whole file.
    refused = client.post("/imports/confirm", data={"token": token})
    assert refused.status_code == 422
    assert ("Er is niets opgeslagen: 1 regel afgekeurd (alles-of-niets)." in refused.get_data(as_text=True))
    assert staff_numbers(app) == [] and kept_files(instance) == []
    # Used once: the token is gone, the user is asked to choose the file again.
    again = client.post("/imports/confirm", data={"token": token, "partial": "y"})
    assert again.status_code == 422 and "kies het opnieuw" in again.get_data(as_text=True)

    token = token_of(post(client).get_data(as_text=True))
    written = client.post("/imports/confirm", data={"token": token, "partial": "y"})
    assert written.status_code == 200
    html = written.get_data(as_text=True)
    assert 'role="status">Opgeslagen.' in html and "1 afgekeurde regel is weggelaten" in html
    assert staff_numbers(app) == ["7001", "7003"] and imports_audited(app) == 1
    assert kept_files(instance) == [] and 'name="token"' not in html


def test_real_run_writes_at_once(app, web, ic, instance):
    client, _ = web("admin")
    response = post(client, content=GOOD_CSV, dry_run=False)
    assert response.status_code == 200
    assert 'role="status">Opgeslagen.' in response.get_data(as_text=True)
    assert staff_numbers(app) == ["7001", "7003"] and imports_audited(app) == 1
    assert kept_files(instance) == []
    again = post(client, content=GOOD_CSV, dry_run=False).get_data(as_text=True)
    assert "Ongewijzigd: <strong>2</strong>" in again


def test_real_run_with_a_bad_row_writes_nothing(app, web, ic):
    client, _ = web("admin")
    response = post(client, dry_run=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Er is niets opgeslagen: 1 regel afgekeurd (alles-of-niets)." in html
    assert "row-rejected" in row_of(html, 3)
    assert staff_numbers(app) == [] and imports_audited(app) == 0


def test_partial_real_run_writes_the_good_rows(app, web, ic):
    client, _ = web("admin")
    response = post(client, dry_run=False, partial=True)
    assert response.status_code == 200
    assert staff_numbers(app) == ["7001", "7003"]


def test_english_with_the_language_switch(web, ic):
    client, _ = web("admin")
    client.post("/language/en")
    html = post(client).get_data(as_text=True)
    assert 'role="status">Nothing was written: dry run.' in html and "Import for real" in html
    assert '<th scope="col">Line</th>' in html


# ------------------------------------------------------------------ the kept file


def test_a_token_from_another_session_is_refused(app, web, ic, instance):
    owner, _ = web("admin")
    other, _ = web("admin")
    token = token_of(post(owner).get_data(as_text=True))
    response = other.post("/imports/confirm", data={"token": token, "partial": "y"})
    assert response.status_code == 422
    assert staff_numbers(app) == [] and len(kept_files(instance)) == 1


def test_a_new_upload_replaces_the_kept_file_and_old_files_are_removed(app, web, ic, instance):
    client, _ = web("admin")
    post(client)
    first = kept_files(instance)
    post(client)
    second = kept_files(instance)
    assert len(second) == 1 and second != first
    stale = instance / "imports" / second[0]
    hour_ago = time.time() - 3601
    os.utime(stale, (hour_ago, hour_ago))
    assert client.get("/imports").status_code == 200
    assert kept_files(instance) == []


# ------------------------------------------------------------------ files and mappings


def test_a_file_without_the_key_column_is_an_error_on_the_file_field(app, web, ic, instance):
    client, _ = web("admin")
    response = post(client, content=b"Naam;Afdeling\r\nJansen;IC\r\n")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Het bestand kan niet worden geïmporteerd: Regel 1: de kolom &#39;Personeelsnummer&#39; ontbreekt." in html
    assert 'aria-invalid="true"' in html and kept_files(instance) == []


def test_a_saved_mapping_of_the_kind_is_used_and_one_of_another_kind_refused(app, web, ic):
    with app.app_context():
        hr = ImportMapping(name="AFAS test", kind="staff", columns={"PersNr": "employee_number", "Wie": "name"})
        cmms = ImportMapping(name="Ultimo test", kind="devices", columns={"Nr": "asset_number"})
        db.session.add_all([hr, cmms])
        db.session.commit()
        ids = hr.id, cmms.id
    client, _ = web("admin")
    assert "AFAS test" in client.get("/imports").get_data(as_text=True)
    content = b"PersNr,Wie\r\n7009,Mapped Person\r\n"
    refused = post(client, content=content, mapping=ids[1], dry_run=False)
    assert refused.status_code == 422
    assert "Deze koppeling is voor een ander soort bestand." in refused.get_data(as_text=True)
    used = post(client, content=content, mapping=ids[0], dry_run=False)
    assert used.status_code == 200, used.get_data(as_text=True)
    assert staff_numbers(app) == ["7009"]


def test_xlsx_is_read_too(app, web, ic):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Personeelsnummer", "Naam"])
    sheet.append(["7011", "Uit Excel"])
    buffer = io.BytesIO()
    book.save(buffer)
    client, _ = web("admin")
    response = post(client, content=buffer.getvalue(), filename="hr.xlsx", dry_run=False)
    assert response.status_code == 200 and staff_numbers(app) == ["7011"]


# ------------------------------------------------------------------ CSRF


def test_posts_without_the_csrf_token_are_refused(app, web, ic, csrf_on):
    client, _ = web("admin")
    assert post(client).status_code == 400
    assert client.post("/imports/confirm", data={"token": "x" * 32}).status_code == 400
    token = csrf_token(client, "/imports")
    response = post(client, csrf_token=token)
    assert response.status_code == 200
    confirm = client.post("/imports/confirm", data={"token": token_of(response.get_data(as_text=True)),
                                                    "partial": "y"})
    assert confirm.status_code == 400  # the confirm form needs its own csrf_token field too
    assert staff_numbers(app) == []
    confirm = client.post("/imports/confirm", data={"token": token_of(response.get_data(as_text=True)),
                                                    "partial": "y", "csrf_token": token})
    assert confirm.status_code == 200 and staff_numbers(app) == ["7001", "7003"]
