"""Each plugin's staff summary is filed under the plugin's name: two plugins cannot overwrite each other."""
from __future__ import annotations

import datetime as dt

from core.extensions import db
from core.plugins import hookimpl


class Summariser:
    def __init__(self, status):
        self.status = status

    @hookimpl
    def bekwaam_staff_summary(self, staff_id, on):
        return {"status": self.status, "on": on.isoformat()}


class Silent:
    @hookimpl
    def bekwaam_staff_summary(self, staff_id, on):
        return None  # nothing to say about this person


def test_summaries_with_the_same_keys_are_kept_apart(database_url):
    from core import create_app
    from core.plugins_runtime import staff_summaries
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t", "TESTING": True,
                      "BEKWAAM_DISABLED_PLUGINS": ["leidraad", "vzi_mt", "big_kt"],
                      "BEKWAAM_EXTRA_PLUGINS": [("first", Summariser("registered")), ("second", Summariser("struck off")),
                                                ("quiet", Silent())]})
    with app.app_context():
        summaries = staff_summaries(1, dt.date(2026, 11, 30))
        db.engine.dispose()
    assert summaries == {"first": {"status": "registered", "on": "2026-11-30"},
                         "second": {"status": "struck off", "on": "2026-11-30"}}


class Counted(Summariser):
    """A summariser that counts how often it is asked."""

    def __init__(self, status):
        super().__init__(status)
        self.asked = 0

    @hookimpl
    def bekwaam_staff_summary(self, staff_id, on):
        self.asked += 1
        return super().bekwaam_staff_summary(staff_id, on)


def test_a_plugin_that_is_skipped_is_not_asked(database_url):
    from core import create_app
    from core.plugins_runtime import staff_summaries
    first, second = Counted("registered"), Counted("struck off")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t", "TESTING": True,
                      "BEKWAAM_DISABLED_PLUGINS": ["leidraad", "vzi_mt", "big_kt"],
                      "BEKWAAM_EXTRA_PLUGINS": [("first", first), ("second", second)]})
    with app.app_context():
        summaries = staff_summaries(1, dt.date(2026, 11, 30), skip={"first"})
        db.engine.dispose()
    assert list(summaries) == ["second"]
    assert (first.asked, second.asked) == (0, 1)
