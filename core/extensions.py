"""Unbound extension objects; ``create_app`` binds them to an app.

The flask-smorest ``Api`` is not here: it holds per-app state, so each app builds its own.
"""
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login = LoginManager()
csrf = CSRFProtect()
babel = Babel()
