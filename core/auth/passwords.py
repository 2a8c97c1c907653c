"""Password policy for new and reset passwords (NCSC / OWASP ASVS 2.1 style).

Length counts, composition rules do not: at least 12 characters, not one of
the passwords every guessing list starts with, and not built from the
user's own e-mail name. The list is bundled, so the check needs no network.
"""
from __future__ import annotations

import functools
import importlib.resources
import re

MIN_LENGTH = 12
MAX_LENGTH = 200


@functools.cache
def common_passwords() -> frozenset[str]:
    text = importlib.resources.files("core.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def problems(password: str, email: str | None = None) -> list[str]:
    """What is wrong with the password; empty when it may be used."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"A password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        found.append(f"A password has at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    # "Welkom2024!!" is as weak as "welkom2024": compare without digits and punctuation at the ends too.
    core_word = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    listed = common_passwords()
    if lowered in listed or (core_word and core_word in listed and len(core_word) < MIN_LENGTH):
        found.append("This password is on the list of common or breached passwords; choose another.")
    local = (email or "").split("@", 1)[0].lower()
    if len(local) >= 3 and local in lowered:
        found.append("A password may not contain your e-mail name.")
    return found
