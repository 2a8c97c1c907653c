"""Operating the alert job: a dry run stores and sends nothing; each run is one structured log line."""
from __future__ import annotations

import logging

from core.alerts.cli import alerts as alerts_group
from core.alerts.models import AlertDelivery
from tests.alerts.conftest import days
from tests.alerts.helpers import AS_OF, alerts, competence, device_type, staff


def test_dry_run_shows_what_would_be_sent_and_stores_nothing(actx, alerts_app, webhook):
    from sqlalchemy import func, select

    from core.extensions import db

    person = staff()
    competence(person, device_type().id, AS_OF + days(20))
    result = alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", AS_OF.isoformat(), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "competence_expiring" in result.output and "-> webhook" in result.output
    assert "Dry run as of " + AS_OF.isoformat() + ": 1 new alert(s), 1 message(s) would be sent" in result.output
    assert alerts() == [] and db.session.scalar(select(func.count()).select_from(AlertDelivery)) == 0
    # The real run afterwards finds the same alert new.
    real = alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", AS_OF.isoformat()])
    assert "1 new" in real.output and len(alerts()) == 1
    again = alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", AS_OF.isoformat(), "--dry-run"])
    assert ": 0 new alert(s)" in again.output


def test_each_run_logs_one_structured_line(actx, alerts_app, caplog):
    competence(staff(), device_type().id, AS_OF + days(20))
    with caplog.at_level(logging.INFO, logger="core.alerts.cli"):
        alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", AS_OF.isoformat()])
    (line,) = [r.getMessage() for r in caplog.records if r.name == "core.alerts.cli"]
    fields = dict(part.split("=", 1) for part in line.split(" "))
    assert fields["event"] == "alert_run" and fields["trigger"] == "manual" and fields["as_of"] == AS_OF.isoformat()
    assert fields["events"] == "1" and fields["failures"] == "0" and "deliveries" in fields
    assert fields["started"].endswith("+00:00") and float(fields["seconds"]) >= 0
