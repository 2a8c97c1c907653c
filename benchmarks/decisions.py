"""How long does can_perform take for 1,000 people on one device type?

Builds a temporary SQLite database (migrated, every plugin enabled) with 1,000
staff, each holding a role with B for "Klinisch gebruik" (which needs a user
competence, Leidraad) and most of them a competence for one screened, released
device type; then times ``core.decision.services.decide_many`` for all of them
(median of 5 runs) and prints the figure.

    python benchmarks/decisions.py [--staff 1000] [--runs 5] [--database-url URL]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))


def build(n_staff: int):
    from sqlalchemy import delete, select

    from core.competence.models import Competence
    from core.devices.models import DeviceType, TechnologyGroup
    from core.extensions import db
    from core.staff.models import Department, Staff
    from core.tvb.models import Activity, Assignment, Cell, Role
    from plugins.leidraad.models import Screening

    db.session.execute(delete(Activity))  # the default set of leidraad_0002 is not needed here
    group = db.session.scalar(select(TechnologyGroup.id).order_by(TechnologyGroup.id).limit(1))
    department = Department(code="IC", name="Intensive care")
    device_type = DeviceType(manufacturer="Hamilton", model="C6", name="Beademingstoestel", technology_group_id=group,
                             mdr_class="IIb", lifecycle_phase=6, released_on=dt.date(2020, 1, 1))
    activity = Activity(name="Klinisch gebruik", level="operational", lifecycle_phase=6,
                        requirements={"leidraad": {"competence_role": "user", "approval": None}})
    roles = [Role(name=f"IC-verpleegkundige {i}") for i in range(5)]
    db.session.add_all([department, device_type, activity, *roles])
    db.session.flush()
    db.session.add_all([Cell(role_id=role.id, activity_id=activity.id, letters="TB",
                             technology_group_id=group if i % 2 else None) for i, role in enumerate(roles)])
    db.session.add(Screening(device_type_id=device_type.id, screened_on=dt.date(2020, 1, 1), product_risk="high",
                             usage_context="high", novelty="medium", impact="medium", score_sum=10,
                             risk_class="high", pri_required=True))
    people = [Staff(employee_number=f"B{i:05d}", name=f"Medewerker {i}", department_id=department.id,
                    employment_type="internal", active=True) for i in range(n_staff)]
    db.session.add_all(people)
    db.session.flush()
    today = dt.date.today()
    for i, person in enumerate(people):
        db.session.add(Assignment(staff_id=person.id, role_id=roles[i % len(roles)].id,
                                  valid_from=dt.date(2020, 1, 1), valid_to=None if i % 7 else today))
        if i % 10:  # one in ten has no competence
            obtained = today - dt.timedelta(days=30 + (i % 500))
            method = "training" if i % 13 == 0 else "training_and_assessment"
            db.session.add(Competence(staff_id=person.id, device_type_id=device_type.id, role="user",
                                      obtained_on=obtained, method=method))
    db.session.commit()
    return [p.id for p in people], activity.id, device_type.id


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from core.decision.services import decide_many
    from core.devices.models import DeviceType
    from core.extensions import db
    from core.tvb.models import Activity
    from tests.conftest import migrated_app

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or "sqlite:///" + os.path.join(tmp, "bench.sqlite")
        app = migrated_app(url)
        with app.app_context():
            staff_ids, activity_id, device_type_id = build(args.staff)
            activity, device_type = db.session.get(Activity, activity_id), db.session.get(DeviceType, device_type_id)
            on = dt.date.today()
            statements = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
            timings = []
            for _ in range(args.runs):
                statements.clear()
                start = time.perf_counter()
                decisions = decide_many(staff_ids, activity, device_type, on)
                timings.append(time.perf_counter() - start)
            allowed = sum(d.allowed for d in decisions.values())
            median = statistics.median(timings)
            print(f"decide_many: {len(decisions)} staff, {allowed} allowed, {len(statements)} SQL statements per call; "
                  f"median of {args.runs} runs {median * 1000:.1f} ms "
                  f"(min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms)")
            db.session.remove()
            db.engine.dispose()
    return median


if __name__ == "__main__":
    main()
