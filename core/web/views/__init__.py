"""The page modules; importing them adds their routes to ``core.web.blueprint.blp``."""
from core.web import access, context, errors  # noqa: F401 - guard, template helpers, error pages
from core.web.views import (  # noqa: F401
    alerts, audit, auth, competence_forms, dashboard, device_type_forms, device_types, imports, matrix, sso, staff,
    staff_forms, tvb, users,
)
