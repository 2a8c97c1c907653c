"""Unbound extension objects; ``create_app`` binds them to an app."""
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from core.db import Base
from core.errors import BekwaamApi

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = BekwaamApi()
login = LoginManager()
csrf = CSRFProtect()
babel = Babel()
