"""A separate process running one day's alert job (started with the "spawn" method)."""
from __future__ import annotations

import time


def run_job(url: str, config: dict, as_of, manual: bool, start, results) -> None:
    from core import create_app
    from core.alerts import services
    from core.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "worker", **config})
    with app.app_context():
        db.session.execute(db.select(1))  # connect before the start signal
        db.session.rollback()
        start.wait(60)
        began = time.monotonic()
        try:
            results.put({**services.run_day(as_of, manual=manual), "seconds": round(time.monotonic() - began, 2)})
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results.put({"error": repr(exc)})
        finally:
            db.engine.dispose()
