"""A CMMS asset export (Ultimo-style column names) through a saved mapping: the dry run
writes nothing and names every bad row by its line number; then the import for real."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from core.extensions import db

EXPORT = ("Objectcode;Serienummer;Fabrikant;Type;Kostenplaats;Status\n"
          "MT-10001;SN-1;Dräger;Evita V800;A;in_use\n"
          "MT-10002;SN-2;Dräger;Onbekend 9000;A;in_use\n"       # line 3: no such device type
          ";SN-3;Dräger;Evita V800;A;in_use\n"                  # line 4: no asset number
          "MT-10004;SN-4;Dräger;Evita V800;ZZ;kapot\n")          # line 5: unknown department, bad status


def _upload(client, headers, content: bytes, **query):
    return client.post("/api/v1/imports/devices", query_string=query, headers=headers,
                       data={"file": (io.BytesIO(content), "ultimo-export.csv")}, content_type="multipart/form-data")


def test_dry_run_reports_every_bad_row_by_line_then_imports(app, client, hospital):
    from core.devices.models import Device
    admin = hospital["users"]["admin"]
    mapping = {"name": "Ultimo", "kind": "devices", "columns": {
        "Objectcode": "asset_number", "Serienummer": "serial_number", "Fabrikant": "manufacturer", "Type": "model",
        "Kostenplaats": "department_code", "Status": "status"}}
    assert client.post("/api/v1/import-mappings", json=mapping, headers=admin).status_code == 201
    report = _upload(client, admin, EXPORT.encode(), dry_run="true", mapping="Ultimo").json
    assert report["dry_run"] is True
    rejected = {row["line"] for row in report["rows"] if row["status"] == "rejected"}
    assert rejected == {3, 4, 5}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Device)) == 1  # the fixture's only
    good = "\n".join(EXPORT.splitlines()[:2]) + "\n"
    real = _upload(client, admin, good.encode(), mapping="Ultimo").json
    assert real["counts"]["created"] == 1
    with app.app_context():
        assert db.session.scalar(select(Device.serial_number).where(Device.asset_number == "MT-10001")) == "SN-1"
