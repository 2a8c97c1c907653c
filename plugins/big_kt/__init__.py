"""Plugin big_kt."""
__version__ = "0.1.0"
