"""Plugin vzi_mt."""
__version__ = "0.1.0"
