"""Plugin tests decide past dates against TVB matrices set up during the test."""
import pytest


@pytest.fixture(autouse=True)
def _tvb_configured_long_ago(tvb_since_long_ago):
    """See ``tvb_since_long_ago`` in tests/conftest.py."""
