"""The plugin manager: disabling a plugin, the `bekwaam plugins` listing, namespace rules."""
from __future__ import annotations

from importlib import metadata

import pytest
from flask_smorest import Blueprint

from core import create_app
from core.cli import cli
from core.plugins import GROUP, enabled_names, hookimpl

BUILT_INS = {"leidraad", "vzi_mt", "big_kt"}


def _app(tmp_path, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "p.sqlite"), "TESTING": True,
                       "SECRET_KEY": "x", "BEKWAAM_DISABLED_PLUGINS": [], **config})


def test_built_in_plugins_are_entry_points():
    assert BUILT_INS <= {ep.name for ep in metadata.entry_points(group=GROUP)}


def test_all_plugins_enabled_by_default(tmp_path):
    app = _app(tmp_path)
    assert BUILT_INS <= enabled_names(app.extensions["bekwaam_plugins"])


def test_a_disabled_plugin_is_not_loaded(tmp_path):
    app = _app(tmp_path, BEKWAAM_DISABLED_PLUGINS=["leidraad"])
    pm = app.extensions["bekwaam_plugins"]
    assert "leidraad" not in enabled_names(pm)
    assert all(plugin is None for name, plugin in pm.list_name_plugin() if name == "leidraad")
    assert {"vzi_mt", "big_kt"} <= enabled_names(pm)
    assert "leidraad" not in app.blueprints
    assert not any(rule.rule.startswith("/api/v1/leidraad") for rule in app.url_map.iter_rules())
    result = app.test_cli_runner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    assert lines["leidraad"][-1] == "disabled"
    assert lines["vzi_mt"][-1] == "enabled" and lines["big_kt"][-1] == "enabled"
    assert lines["leidraad"][1] == "0.1.0"


def test_disabled_plugins_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BEKWAAM_DISABLED_PLUGINS", " big_kt , vzi_mt ")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "e.sqlite"), "SECRET_KEY": "s"})
    assert not {"big_kt", "vzi_mt"} & enabled_names(app.extensions["bekwaam_plugins"])
    assert "leidraad" in enabled_names(app.extensions["bekwaam_plugins"])


class _OutsidePlugin:
    """A plugin whose API blueprint claims a path outside /api/v1/<its own>."""

    def __init__(self, blp):
        self.blp = blp

    @hookimpl
    def bekwaam_api_blueprints(self):
        return [self.blp]


@pytest.mark.parametrize("name, url_prefix", [
    ("rogue", "/api/v1"),          # the bare API root: could shadow core paths
    ("rogue", "/rogue"),           # outside the API
    ("someone_else", "/api/v1/rogue"),  # a blueprint named after another plugin
])
def test_plugin_blueprint_outside_its_namespace_is_refused(tmp_path, name, url_prefix):
    plugin = _OutsidePlugin(Blueprint(name, __name__, url_prefix=url_prefix))
    with pytest.raises(RuntimeError, match="must be named 'rogue'"):
        _app(tmp_path, BEKWAAM_EXTRA_PLUGINS=[("rogue", plugin)])


def test_a_misspelt_hook_fails_loudly(tmp_path):
    from pluggy import PluginValidationError

    class Misspelt:
        @hookimpl
        def bekwaam_alert_event(self, session, as_of):  # no such hook
            return []
    with pytest.raises(PluginValidationError):
        _app(tmp_path, BEKWAAM_EXTRA_PLUGINS=[("misspelt", Misspelt())])
