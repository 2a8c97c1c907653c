"""The page modules; importing them adds their routes to ``core.web.blueprint.blp``."""
from core.web import access, context, errors  # noqa: F401 - guard, template helpers, error pages
from core.web.views import (  # noqa: F401
    alerts, audit, auth, dashboard, device_types, imports, matrix, sso, staff, tvb, users,
)
