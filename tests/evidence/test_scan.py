"""Scan to check: a device found by asset number or by its UDI (GS1), and who may use or
maintain it today, as the decision says."""
from __future__ import annotations

import pytest

from tests.evidence.test_pages import _login

GS = "\x1d"  # the GS1 group separator a scanner sends after a variable-length field


@pytest.fixture
def scanner(app, client, hospital):
    _login(app, client, "admin@example.org")
    return lambda code: client.get("/scan", query_string={"code": code})


def _page(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_empty_page_has_a_field_with_autofocus_for_the_scanner(scanner):
    page = _page(scanner(""))
    assert 'name="code"' in page and "autofocus" in page and "scan.js" in page
    assert "Scan en controleer" in page


@pytest.mark.parametrize("code", [
    "MT-00042",                                  # the asset label
    "010401234567890121SN-7781" + GS + "10LOT1",  # GS1 element string with a separator
    "]d2010401234567890121SN-7781",              # with the DataMatrix symbology identifier
    "(01)04012345678901(21)SN-7781",             # the bracketed form printed under the code
])
def test_found_by_asset_number_or_udi_and_who_may_today(scanner, code):
    page = _page(scanner(code))
    assert "MT-00042" in page and "Evita V800" in page and "Preventief onderhoud" in page
    # today Anna holds the role with B; Carl has left (uit dienst), Bert has only T
    assert "Anna de Vries" in page
    assert "Carl Bakker" not in page and "Bert Jansen" not in page


def test_a_gtin_without_serial_names_no_device(scanner):
    page = _page(scanner("0104012345678901"))
    assert "GTIN 04012345678901" in page and "geen serienummer" in page


def test_unknown_code(scanner):
    assert "Geen apparaat gevonden bij deze code." in _page(scanner("NOPE-1"))
    assert "te lang" in _page(scanner("X" * 300))


def test_a_manager_sees_only_their_own_people(app, client, hospital):
    _login(app, client, "manager_b@example.org")
    page = _page(client.get("/scan", query_string={"code": "MT-00042"}))
    assert "Anna de Vries" not in page and "Niemand mag dit vandaag." in page
