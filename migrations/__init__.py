"""Alembic migrations of the core; each plugin keeps its own branch in plugins/<name>/migrations."""
