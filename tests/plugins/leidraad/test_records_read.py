"""A decision's competence records (plugins.leidraad.services.competent_records) are the same
whichever way they are read: one person's, the named people's, or all the type's records for the
role with only the asked people's kept (from ALL_OF_THE_TYPE_FROM people on)."""
from __future__ import annotations

import datetime as dt

from core.competence.models import Competence
from core.extensions import db
from plugins.leidraad import rules, services

ON = dt.date(2026, 6, 1)


def test_reading_all_of_the_type_keeps_only_the_asked_people_and_equals_the_named_read(app, make, monkeypatch):
    device_type = make.device_type()
    other_type = make.device_type()
    people = [make.staff().id for _ in range(services.ALL_OF_THE_TYPE_FROM + 3)]
    outsiders = [make.staff().id for _ in range(2)]
    with app.app_context():
        for index, staff_id in enumerate(people[:10] + outsiders):
            db.session.add(Competence(staff_id=staff_id, device_type_id=device_type.id, role="technician",
                                      obtained_on=dt.date(2025, 1, 1 + index), method="training_and_assessment"))
        # records that must not be read: another role, another type, obtained after the day asked
        db.session.add(Competence(staff_id=people[11], device_type_id=device_type.id, role="user",
                                  obtained_on=dt.date(2025, 1, 1), method="training_and_assessment"))
        db.session.add(Competence(staff_id=people[12], device_type_id=other_type.id, role="technician",
                                  obtained_on=dt.date(2025, 1, 1), method="training_and_assessment"))
        db.session.add(Competence(staff_id=people[13], device_type_id=device_type.id, role="technician",
                                  obtained_on=dt.date(2026, 7, 1), method="training_and_assessment"))
        db.session.commit()
        policy = rules.DEFAULT_POLICY
        read = lambda ids: services.competent_records(ids, device_type.id, "technician", ON, None, policy, None)  # noqa: E731

        all_of_type, _ = read(people)  # as many as ALL_OF_THE_TYPE_FROM + 3: every record of the type read
        monkeypatch.setattr(services, "ALL_OF_THE_TYPE_FROM", 10_000)
        named, _ = read(people)
        one = {staff_id: read([staff_id])[0][staff_id] for staff_id in people[:12]}

    assert all_of_type == named
    assert set(all_of_type) == set(people)  # nobody else's records, everyone asked present
    assert [len(all_of_type[p]) for p in people[:14]] == [1] * 10 + [0] * 4
    assert all(one[p] == all_of_type[p] for p in one)
    assert all_of_type[people[0]][0].obtained_on == dt.date(2025, 1, 1)
