"""A test plugin implementing every hook of core.hookspecs, recording each call."""
