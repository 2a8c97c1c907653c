"""Forecast for the running period: hours still needed, per remaining month, on track."""
import datetime as dt

import pytest

from tests.plugins.vzi_mt.conftest import insert_period


@pytest.fixture
def running(app, vzi):
    vzi.education()
    vzi.position("MT4", "2022-01-01")
    insert_period(app, vzi.staff_id, "MT4", "in_training", dt.date(2023, 1, 1))  # [2023-01-01, 2026-01-01)
    return vzi


def forecast(vzi, as_of):
    return vzi.client.get(vzi.url(f"forecast?as_of={as_of}"), headers=vzi.headers)


def test_forecast_numbers_on_track(running):
    running.cpd("20", 1)
    running.cpd("15.93")
    body = forecast(running, "2024-07-01").get_json()
    assert body["period_start"] == "2023-01-01"
    assert body["period_end"] == "2026-01-01"
    assert body["required_hours"] == "72.00"
    assert body["done_hours"] == "35.93"
    assert body["hours_needed"] == "36.07"
    assert body["technical_hours_needed"] == "16.00"
    assert body["months_remaining"] == 18
    assert body["hours_needed_per_month"] == "2.00"
    assert body["technical_hours_needed_per_month"] == "0.89"
    assert body["elapsed_fraction"] == "0.4991"
    assert body["on_track"] is True


def test_forecast_behind_by_one_cent(running):
    # 547 of 1096 days elapsed: 72 x 0.4991 = 35.93 h due by now
    running.cpd("20", 1)
    running.cpd("15.92")
    assert forecast(running, "2024-07-01").get_json()["on_track"] is False


def test_forecast_without_running_period_is_409(vzi):
    vzi.position("MT4", "2022-01-01")
    response = forecast(vzi, "2024-07-01")
    assert response.status_code == 409


def test_forecast_after_the_period_end_is_409(running):
    assert forecast(running, "2026-01-01").status_code == 409
    assert forecast(running, "2025-12-31").status_code == 200
