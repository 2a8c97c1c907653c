"""The hook-implementation marker, alone so that anything may import it.

Plugins and the core's own hook modules (``core.alerts.core_events``) mark
their hooks with it; ``core.plugins`` builds the manager from those modules.
Kept apart from ``core.plugins`` so that building the manager and implementing
a hook never import each other.
"""
from __future__ import annotations

import pluggy

hookimpl = pluggy.HookimplMarker("bekwaam")
