"""The server-drawn pictures: numbers in, accessible SVG with the right bar sizes and labels out."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from markupsafe import Markup

from core.web.charts import (BAR_WIDTH, COLUMN_HEIGHT, Column, Target, bar_width, column_chart, column_height,
                             percent, progress_chart, target_chart)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def columns_of(root):
    return [g.find(f"{SVG}rect") for g in root.iter(f"{SVG}g") if g.get("class") == "column"]


def test_column_heights_are_proportional_to_the_tallest():
    root = parse(column_chart([Column("jan 2027", 4), Column("feb 2027", 2), Column("mrt 2027", 0)],
                              ident="t", title="Verlopen", desc="6 in totaal"))
    heights = [float(r.get("height")) for r in columns_of(root)]
    assert heights == [COLUMN_HEIGHT, COLUMN_HEIGHT / 2, 0]
    # each column stands on the same base line: y + height is equal
    bottoms = {float(r.get("y")) + float(r.get("height")) for r in columns_of(root)}
    assert len(bottoms) == 1


def test_each_column_says_its_number_and_month_in_text():
    root = parse(column_chart([Column("jan 2027", 1234, "1.234"), Column("feb 2027", 7)], ident="t", title="T", desc="D"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1.234" in texts and "7" in texts  # the reader's number, not only a height
    assert "jan" in texts and "2027" in texts and "feb" in texts


def test_the_picture_is_an_image_with_a_title_and_a_description():
    root = parse(column_chart([Column("jan", 1)], ident="exp", title="Verlopen per maand", desc="1 in januari"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "exp-title exp-desc"
    assert root.find(f"{SVG}title").text == "Verlopen per maand" and root.find(f"{SVG}title").get("id") == "exp-title"
    assert root.find(f"{SVG}desc").text == "1 in januari"


def test_all_zero_columns_draw_no_bar_and_do_not_divide_by_zero():
    root = parse(column_chart([Column("jan", 0), Column("feb", 0)], ident="z", title="T", desc="D"))
    assert [float(r.get("height")) for r in columns_of(root)] == [0, 0]
    assert column_height(5, 0) == 0 and column_height(0, 10) == 0


def test_text_is_escaped():
    markup = column_chart([Column("<script>", 1)], ident="x", title="a & <b>", desc='"quote"')
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "a &amp; &lt;b&gt;" in markup
    parse(markup)  # still well-formed


def test_target_bars_against_their_minimum():
    root = parse(target_chart([Target("Anesthesie", 3, 7), Target("IC", 9, 7)], ident="cov",
                              title="Dekking", desc="1 van 2 onder het minimum", short_text="onder het minimum"))
    rows = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("row")]
    assert [g.get("class") for g in rows] == ["row short", "row"]
    scale = 9  # the longest of values and targets
    bars = [g.findall(f"{SVG}rect")[1] for g in rows]
    assert float(bars[0].get("width")) == bar_width(3, scale) == round(BAR_WIDTH * 3 / 9, 2)
    assert float(bars[1].get("width")) == BAR_WIDTH
    # short: hatched (a pattern, not only a colour) and said in words; the target is a drawn line
    assert bars[0].get("fill") == "url(#cov-short)" and bars[1].get("fill").startswith("#")
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == "cov-short"
    texts = "".join(t.text or "" for g in rows for t in g.iter(f"{SVG}text"))
    assert "3 / 7 – onder het minimum" in texts and "9 / 7" in texts and "9 / 7 –" not in texts
    lines = [float(line.get("x1")) for g in rows for line in g.iter(f"{SVG}line")]
    assert lines[0] == lines[1] == pytest.approx(190 + bar_width(7, scale))  # LABEL_WIDTH + the minimum


def test_exactly_at_the_minimum_is_not_short():
    root = parse(target_chart([Target("IC", 7, 7)], ident="c", title="T", desc="D", short_text="te weinig"))
    assert "te weinig" not in ET.tostring(root, encoding="unicode")


def test_progress_bar_width_and_words():
    markup = progress_chart(Decimal("18.00"), Decimal("72.00"), ident="vzi-1", title="Uren", desc="18 van 72",
                            text="18,00 van 72,00 uur (25 %)")
    root = parse(markup)
    bar = root.findall(f"{SVG}rect")[-1]
    assert float(bar.get("width")) == BAR_WIDTH / 4 and bar.get("class") == "short"
    assert "18,00 van 72,00 uur (25 %)" in markup
    done = parse(progress_chart("80.00", "72.00", ident="v", title="U", desc="d", text="t")).findall(f"{SVG}rect")[-1]
    assert float(done.get("width")) == BAR_WIDTH and done.get("class") == "done"  # capped at the end


def test_percent_boundaries():
    assert percent(0, 72) == 0 and percent(71.9, 72) == 99 and percent(72, 72) == 100 and percent(100, 72) == 100
    assert percent(5, 0) == 100  # nothing required: done


def test_ids_are_made_safe():
    markup = column_chart([Column("a", 1)], ident='x" onload="alert(1)', title="T", desc="D")
    assert "onload=" not in markup and re.search(r'id="x--onload--alert-1-"', str(markup))


def test_profile_shows_the_cpd_progress_bar(app, web, make):
    """The VZI panel draws its bar with the core's macro: an image, its numbers in words beside it."""
    import datetime as dt

    from core.extensions import db
    from plugins.vzi_mt.models import CpdActivity, Position
    person = make.staff(name="Progress Person")
    with app.app_context():
        db.session.add_all([Position(staff_id=person.id, level="MT4", start_date=dt.date(2020, 1, 1)),
                            CpdActivity(staff_id=person.id, date=dt.date.today(), hours=Decimal("6.00"),
                                        title="Cursus", status="approved")])
        db.session.commit()
    client, _ = web("admin")
    page = client.get(f"/staff/{person.id}").get_data(as_text=True)
    assert f'id="vzi-cpd-{person.id}"' in page or f'id="vzi-progress-{person.id}"' in page
    assert 'role="img"' in page and "6,00 van " in page


def test_profile_shows_the_big_reregistration_progress_bar(app, web, make):
    """The BIG panel draws the re-registration hours with the same macro; the technician's home
    shows their BIG standing as a tile that opens the panel."""
    person = make.staff(name="Klinisch Technoloog Bar")
    _uid, admin = make.user("admin")
    api = app.test_client()
    answer = api.put(f"/api/v1/big/staff/{person.id}/registration", headers=admin, json={
        "big_number": "19999000123", "registered_on": "2021-09-01", "status": "registered",
        "diploma_on": "2021-06-30", "institution": "Universiteit Twente", "track": "Imaging & Intervention"})
    assert answer.status_code == 200, answer.get_json()
    answer = api.post(f"/api/v1/big/staff/{person.id}/work-hours", headers=admin, json={
        "period_start": "2024-01-01", "period_end": "2024-12-31", "hours": "1000.00"})
    assert answer.status_code == 201, answer.get_json()
    client, _ = web("admin")
    page = client.get(f"/staff/{person.id}").get_data(as_text=True)
    panel = page[page.index('id="big"'):]
    assert f'id="big-progress-{person.id}"' in panel and 'role="img"' in panel
    assert "1.000,00 van " in panel  # the hours done, in words, beside the bar
    own, _ = web("technician", staff_id=person.id)
    home = own.get("/").get_data(as_text=True)
    assert "BIG-registratie" in home and f'href="/staff/{person.id}#big"' in home
