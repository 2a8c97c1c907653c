"""VZI portfolios for eight people of the demo hospital (bekwaam demo)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.devices.models import TechnologyGroup
from core.staff.models import Staff
from plugins.vzi_mt import models, rules

D = Decimal
MBO4_EL_PM = dict(level="MBO4", name="MBO Elektrotechniek", fields=["electrical"], components=["project_management"])
MBO4_MECH_WV = dict(level="MBO4", name="MBO Werktuigbouwkunde", fields=["mechanical"], components=["work_preparation"])
MBO3_ICT = dict(level="MBO3", name="MBO ICT-beheer", fields=["ict"], components=[])
HBO_MT = dict(level="HBO", name="HBO Medische Technologie", fields=["medical_technology"],
              components=["risk_management", "project_management"])


def _years_ago(today: dt.date, years: float) -> dt.date:
    return today - dt.timedelta(days=round(years * 365))


def _period(staff_id, level, designation, start, dispensation=0):
    return models.Certification(staff_id=staff_id, level=level, designation=designation, start_date=start,
                                end_date=rules.add_years(start, rules.PERIOD_YEARS),
                                dispensation_percent=dispensation)


def load(session: Session, today: dt.date) -> None:
    people = session.scalars(select(Staff).order_by(Staff.id).limit(8)).all()
    if not people:
        return
    group = {code: gid for gid, code in session.execute(select(TechnologyGroup.id, TechnologyGroup.code))}

    def cpd(staff_id, items):
        """items: (days ago, hours, title, group code or None)."""
        for ago, hours, title, code in items:
            session.add(models.CpdActivity(staff_id=staff_id, date=today - dt.timedelta(days=ago), hours=D(hours),
                                           title=title, technology_group_id=group.get(code) if code else None))

    def work(staff_id, code, hours, years=2.5):
        session.add(models.WorkExperience(staff_id=staff_id, technology_group_id=group[code],
                                          period_start=_years_ago(today, years),
                                          period_end=today - dt.timedelta(days=1),
                                          hours=D(hours)))

    full_cpd_72 = [(900, "16", "Update beademing Hamilton", 1), (600, "12", "Infuuspompen service", 9),
                   (400, "10", "Elektrische veiligheid NEN 3140", 27), (300, "18", "Communicatie en feedback", None),
                   (120, "16", "Teamleiderschap", None)]
    profiles = [
        # 0: MT4 expert (the worked MT4 expert example in spirit): 7+ years, expertise area anesthesia
        dict(education=[MBO4_EL_PM], certificates=["MTA", "MTB"], positions=[("MT4", 7.4, None)],
             cpd=[(800, "14", "Anesthesietoestellen Dräger Perseus", 1), (500, "26", "Hartlong-machines", 7),
                  (200, "30", "Projectmatig werken", None)],
             work=[(1, "650")], period=("MT4", "expert", 400, 7)),
        # 1: MT3 in opleiding, first certification, CPD waived
        dict(education=[MBO3_ICT], certificates=[], positions=[("MT3", 0.67, None)], cpd=[],
             work=[], period=("MT3", "in_training", 60, 0)),
        # 2: MT4 professional, period ending within 180 days and behind on CPD
        dict(education=[MBO4_EL_PM], certificates=["MTA", "MTB"], positions=[("MT4", 4.2, None)],
             cpd=[(700, "8", "Bewakingsmonitoren Philips", 19), (350, "6", "Veilig werken", None),
                  (90, "16", "Storingsanalyse", 19)],
             work=[(19, "420")], period=("MT4", "professional", 3 * 365 - 100, 0)),
        # 3: MT5 professional, earlier MT4 years
        dict(education=[HBO_MT], certificates=["MTA", "MTB", "MTC"],
             positions=[("MT4", 8, 4.5), ("MT5", 4.5, None)],
             cpd=full_cpd_72, work=[(13, "500")], period=("MT5", "professional", 500, 8)),
        # 4: MT3 professional, two years
        dict(education=[MBO3_ICT], certificates=[], positions=[("MT3", 2.1, None)],
             cpd=[(500, "8", "Steriele hulpmiddelen", 24), (200, "8", "Reiniging en desinfectie", 23),
                  (100, "8", "Klantgericht werken", None)],
             work=[], period=("MT3", "professional", 30, 0)),
        # 5: basisregistratie: MT4 position for a year, not (yet) certified
        dict(education=[MBO4_MECH_WV], certificates=["MTA"], positions=[("MT4", 1.0, None)],
             cpd=[(100, "6", "Introductie medische technologie", 14)], work=[], period=None),
        # 6: period expired a month ago, fell back to basisregistratie
        dict(education=[MBO4_EL_PM], certificates=["MTA", "MTB"], positions=[("MT4", 5, None)],
             cpd=[(400, "12", "Dialyse waterbehandeling", 4)], work=[],
             period=("MT4", "professional", 3 * 365 + 30, 0)),
        # 7: MT4 professional, on track
        dict(education=[MBO4_EL_PM], certificates=["MTA", "MTB"], positions=[("MT4", 3.5, None)],
             cpd=full_cpd_72[2:], work=[(26, "300")], period=("MT4", "professional", 200, 0)),
    ]
    for person, profile in zip(people, profiles):
        sid = person.id
        for education in profile["education"]:
            session.add(models.Education(staff_id=sid, obtained_on=_years_ago(today, 12), **education))
        for code in profile["certificates"]:
            session.add(models.Certificate(staff_id=sid, code=code, obtained_on=_years_ago(today, 9), equivalent=False))
        for level, started, ended in profile["positions"]:
            session.add(models.Position(staff_id=sid, level=level, start_date=_years_ago(today, started),
                                        end_date=_years_ago(today, ended) if ended else None))
        cpd(sid, profile["cpd"])
        for code, hours in profile["work"]:
            work(sid, code, hours)
        if profile["period"]:
            level, designation, days_ago, dispensation = profile["period"]
            session.add(_period(sid, level, designation, today - dt.timedelta(days=days_ago), dispensation))
    session.flush()


# --- the synthetic university hospital (bekwaam demo --size large) ----------------------

LARGE_TECHNICIANS = 500
LEVEL_PLANS = (  # (levels of successive positions, weight)
    (("MT3",), 2), (("MT4",), 5), (("MT3", "MT4"), 3), (("MT4", "MT5"), 2), (("MT5",), 1),
)
EDUCATIONS = {
    "MT3": (MBO3_ICT, dict(level="MBO3", name="MBO Elektronica", fields=["electrical"], components=[])),
    "MT4": (MBO4_EL_PM, MBO4_MECH_WV),
    "MT5": (HBO_MT, dict(level="WO", name="MSc Biomedical Engineering", fields=["medical_technology"],
                         components=["risk_management", "technical_business_administration"])),
}
CERTIFICATES = {"MT3": (), "MT4": ("MTA", "MTB"), "MT5": ("MTA", "MTB", "MTC")}
CPD_TITLES = ("Update beademing", "Infuuspompen service", "Elektrische veiligheid NEN 3140", "Storingsanalyse",
              "Bewakingsmonitoren", "Dialyse waterbehandeling", "Communicatie en feedback", "Projectmatig werken")


def _insert(session: Session, model, rows: list[dict]) -> None:
    from sqlalchemy import insert
    if rows:
        session.execute(insert(model.__table__), rows)


def load_large(session: Session, today: dt.date, seed: int = 2026) -> dict:
    """Complete portfolios for the first 500 staff (the medical-technology division of core/demo_large).

    Deterministic per seed; one executemany per table. Returns the row counts.
    """
    import random
    rng = random.Random(f"vzi_mt-{seed}")
    staff_ids = list(session.scalars(select(Staff.id).order_by(Staff.id).limit(LARGE_TECHNICIANS)))
    group = {code: gid for gid, code in session.execute(select(TechnologyGroup.id, TechnologyGroup.code))}
    codes = sorted(group)
    plans = [plan for plan, weight in LEVEL_PLANS for _ in range(weight)]
    rows: dict[str, list[dict]] = {name: [] for name in
                                   ("education", "certificate", "position", "cpd", "work", "certification")}
    for sid in staff_ids:
        levels = rng.choice(plans)
        career_days = rng.randint(200, 15 * 365)
        # successive positions, the last one running
        start = today - dt.timedelta(days=career_days)
        for index, level in enumerate(levels):
            last = index == len(levels) - 1
            end = None if last else start + dt.timedelta(days=max(career_days // len(levels), 30))
            rows["position"].append({"staff_id": sid, "level": level, "start_date": start, "end_date": end})
            if end is not None:
                start = end + dt.timedelta(days=1)
        top = levels[-1]
        education = rng.choice(EDUCATIONS[top]) if rng.random() < 0.92 else rng.choice(EDUCATIONS["MT3"])
        rows["education"].append({"staff_id": sid, "obtained_on": today - dt.timedelta(days=career_days + 200),
                                  "equivalence_accepted_for": None, **education})
        if rng.random() < 0.3:
            rows["education"].append({"staff_id": sid, "obtained_on": today - dt.timedelta(days=career_days + 900),
                                      "equivalence_accepted_for": None, **MBO3_ICT})
        for code in CERTIFICATES[top]:
            if rng.random() < 0.9:
                rows["certificate"].append({"staff_id": sid, "code": code, "equivalent": False,
                                            "obtained_on": today - dt.timedelta(days=rng.randint(100, career_days + 300))})
        for _ in range(rng.randint(4, 30)):
            code = rng.choice(codes) if rng.random() < 0.7 else None
            rows["cpd"].append({
                "staff_id": sid, "date": today - dt.timedelta(days=rng.randint(1, 4 * 365)),
                "hours": D(rng.choice(("2", "4", "6", "8", "12", "16", "3.5"))),
                "title": rng.choice(CPD_TITLES), "technology_group_id": group[code] if code else None,
                "status": models.CPD_APPROVED if rng.random() < 0.95 else models.CPD_PENDING})
        for code in rng.sample(codes, rng.randint(0, 4)):
            first = today - dt.timedelta(days=rng.randint(400, 5 * 365))
            rows["work"].append({"staff_id": sid, "technology_group_id": group[code], "period_start": first,
                                 "period_end": min(today - dt.timedelta(days=1), first + dt.timedelta(days=rng.randint(200, 1400))),
                                 "hours": D(rng.randint(100, 1500))})
        if rng.random() < 0.85 and career_days > 120:
            # the latest period started between 3 years + 1 year ago (expired) and a month ago
            begin = today - dt.timedelta(days=rng.randint(30, min(career_days, 4 * 365)))
            designation = rng.choice(("in_training", "professional", "professional", "expert"))
            if rng.random() < 0.4 and (begin - today).days + career_days > 3 * 365:
                before = rules.add_years(begin, -rules.PERIOD_YEARS)
                rows["certification"].append(_period_row(sid, top, designation, before, begin))
            rows["certification"].append(_period_row(sid, top, designation, begin,
                                                     rules.add_years(begin, rules.PERIOD_YEARS)))
    targets = {"education": models.Education, "certificate": models.Certificate, "position": models.Position,
               "cpd": models.CpdActivity, "work": models.WorkExperience, "certification": models.Certification}
    for name, model in targets.items():
        _insert(session, model, rows[name])
    return {f"vzi_{name}": len(found) for name, found in rows.items()}


def _period_row(staff_id, level, designation, start, end) -> dict:
    return {"staff_id": staff_id, "level": level, "designation": designation, "start_date": start, "end_date": end,
            "dispensation_percent": 0, "granted_at": dt.datetime.combine(start, dt.time(9), dt.timezone.utc)}
