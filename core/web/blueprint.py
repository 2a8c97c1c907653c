"""The core's web blueprint; the page modules in ``views/`` add their routes to it."""
from __future__ import annotations

from flask import Blueprint

blp = Blueprint("web", __name__, template_folder="templates")
