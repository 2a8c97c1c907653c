"""Which plugins are switched on, for the pages that show a plugin's part when it is there."""
from __future__ import annotations

from core.plugins_runtime import manager


def enabled(name: str) -> bool:
    pm = manager()
    return not pm.is_blocked(name) and pm.get_plugin(name) is not None
