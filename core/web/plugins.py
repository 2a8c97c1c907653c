"""Which plugins are switched on (kept for templates and older imports: see ``core.plugins_runtime.enabled``)."""
from __future__ import annotations

from core.plugins_runtime import enabled

__all__ = ["enabled"]
