"""The plugin manager, built per app in a fixed order (as tox does).

add specs → register entry points (built-ins too) → register extra plugins
(tests) → block the disabled ones → ``check_pending`` so a misspelt hook
fails loudly.
"""
from __future__ import annotations

import sys
from importlib import metadata
from typing import Iterable

import pluggy

from core import hookspecs
from core.alerts import core_events
from core.markers import hookimpl  # noqa: F401 - plugins import the marker from here

GROUP = "bekwaam.plugins"


def build_manager(disabled: Iterable[str] = (), extra: Iterable[tuple[str, object]] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("bekwaam")
    pm.add_hookspecs(hookspecs)
    # The core's own alert events flow through the same hook as every plugin's.
    pm.register(core_events, name="core")
    pm.load_setuptools_entrypoints(GROUP)
    for name, plugin in extra:
        pm.register(plugin, name=name)
    for name in disabled:
        pm.set_blocked(name)
    pm.check_pending()
    return pm


def describe(pm: pluggy.PluginManager, disabled: Iterable[str] = ()) -> list[dict]:
    """Name, version and enabled state of every installed plugin."""
    disabled = set(disabled)
    rows = {}
    for ep in metadata.entry_points(group=GROUP):
        rows[ep.name] = {"name": ep.name, "version": _version(ep.value), "enabled": ep.name not in disabled}
    for name, plugin in pm.list_name_plugin():
        if name not in rows and plugin is not None and name != "core":
            rows[name] = {"name": name, "version": _version(getattr(plugin, "__name__", "")), "enabled": True}
    return sorted(rows.values(), key=lambda r: r["name"])


def _version(module_path: str) -> str:
    package = module_path.split(":")[0].rsplit(".", 1)[0] if "." in module_path else module_path
    try:
        __import__(package)
        return getattr(sys.modules[package], "__version__", "?")
    except ImportError:
        return "?"


def enabled_names(pm: pluggy.PluginManager) -> set[str]:
    return {name for name, plugin in pm.list_name_plugin() if plugin is not None}


def by_plugin(pm: pluggy.PluginManager, hook_name: str, **kwargs) -> list[tuple[str, object]]:
    """(plugin name, answer) of each enabled plugin implementing ``hook_name``, in registration order.

    For hooks whose answer must be checked against the plugin that gave it (a
    blueprint must carry its plugin's name): pluggy's own hook implementations,
    so a blocked plugin never answers and a misspelt hook fails ``check_pending``.
    """
    impls = {impl.plugin_name: impl for impl in getattr(pm.hook, hook_name).get_hookimpls()}
    answers = []
    for name, plugin in pm.list_name_plugin():
        impl = impls.get(name)
        if plugin is None or impl is None:
            continue
        answers.append((name, impl.function(**{arg: kwargs[arg] for arg in impl.argnames})))
    return answers
