"""A realistic demo hospital for `bekwaam demo` (deterministic: same data every time)."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from core.alerts.models import CoverageMinimum
from core.auth.models import User
from core.auth.services import create_user, new_token
from core.competence.models import Competence
from core.competence.services import prepare as prepare_competence
from core.devices.models import Device, DeviceType
from core.extensions import db
from core.plugins_runtime import manager
from core.staff.models import Department, Staff
from core.tvb.models import Activity, Assignment, Cell, Role

ADMIN_EMAIL = "admin@bekwaam.demo"
DEMO_PASSWORD = "bekwaam-demo"  # demo only; printed by `bekwaam demo`

DEPARTMENTS = [  # code, name, parent code
    ("MTKF", "Medische Technologie & Klinische Fysica", None),
    ("MT-ACUUT", "Medische Technologie Acute zorg (OK/IC)", "MTKF"),
    ("MT-BEELD", "Medische Technologie Beeldvorming", "MTKF"),
    ("MT-ALG", "Medische Technologie Algemeen", "MTKF"),
    ("ZORG", "Zorgeenheden", None),
    ("IC", "Intensive Care", "ZORG"),
    ("OK", "Operatiecentrum", "ZORG"),
    ("RAD", "Radiologie", "ZORG"),
    ("DIA", "Dialysecentrum", "ZORG"),
    ("NEO", "Neonatologie", "ZORG"),
]

# manufacturer, model, name, technology group code, MDR/IVDR class
DEVICE_TYPES = [
    ("Dräger", "Perseus A500", "Anesthesietoestel", 1, "IIb"),
    ("GE HealthCare", "Aisys CS2", "Anesthesietoestel", 1, "IIb"),
    ("Hamilton Medical", "Hamilton-C6", "IC-beademingstoestel", 1, "IIb"),
    ("Dräger", "Evita V800", "IC-beademingstoestel", 1, "IIb"),
    ("Medtronic", "Valleylab FT10", "Elektrochirurgie-generator", 3, "IIb"),
    ("Erbe", "VIO 3", "Elektrochirurgie-generator", 3, "IIb"),
    ("Fresenius Medical Care", "5008S CorDiax", "Hemodialysetoestel", 4, "IIb"),
    ("Baxter", "PrisMax", "CRRT-systeem", 4, "IIb"),
    ("Olympus", "EVIS X1 CV-1500", "Endoscopie-videoprocessor", 5, "IIa"),
    ("Getinge", "Servo-u", "Beademingstoestel", 1, "IIb"),
    ("Philips", "IntelliVue MX750", "Patiëntmonitor", 19, "IIb"),
    ("GE HealthCare", "CARESCAPE B650", "Patiëntmonitor", 19, "IIb"),
    ("B. Braun", "Space Infusomat", "Infuuspomp", 9, "IIb"),
    ("BD", "Alaris CC Plus", "Spuitpomp", 9, "IIb"),
    ("Fresenius Kabi", "Agilia SP MC", "Spuitpomp", 9, "IIb"),
    ("ZOLL", "R Series", "Defibrillator", 22, "IIb"),
    ("Philips", "HeartStart FR3", "AED", 22, "III"),
    ("Stryker", "LIFEPAK 15", "Monitor/defibrillator", 22, "IIb"),
    ("Siemens Healthineers", "MAGNETOM Vida", "MRI-scanner 3T", 15, "IIa"),
    ("Philips", "Ingenia Ambition 1.5T", "MRI-scanner 1.5T", 15, "IIa"),
    ("Siemens Healthineers", "SOMATOM Force", "CT-scanner", 21, "IIb"),
    ("GE HealthCare", "Vivid E95", "Echocardiografiesysteem", 26, "IIa"),
    ("Philips", "EPIQ Elite", "Echografiesysteem", 26, "IIa"),
    ("Getinge", "HS6613", "Stoomsterilisator", 23, "IIb"),
    ("Miele", "PG 8536", "Instrumentenwasmachine", 23, "IIa"),
    ("Dräger", "Babyleo TN500", "Couveuse", 16, "IIb"),
    ("Natus", "Nicolet EEG v32", "EEG-systeem", 17, "IIa"),
    ("Medtronic", "LifePak CR2", "AED", 22, "III"),
    ("Radiometer", "ABL90 FLEX PLUS", "Bloedgasanalyser", 10, "C"),
    ("Roche", "cobas pulse", "Glucosemeter", 10, "C"),
    ("Karl Storz", "IMAGE1 S", "Laparoscopietoren", 5, "IIa"),
    ("Stryker", "1688 AIM 4K", "Laparoscopietoren", 5, "IIa"),
]

FIRST = ["Anouk", "Bram", "Charlotte", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ilse", "Jeroen", "Kim",
         "Lars", "Maud", "Niels", "Olivia", "Pieter", "Quinten", "Roos", "Sander", "Tessa", "Ugur", "Vera",
         "Wouter", "Yara", "Zoë", "Fatima", "Mohamed", "Sanne", "Thijs", "Lotte"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
        "Dijkstra", "Yilmaz", "El Amrani", "Kok", "Verhoeven", "van Dijk"]
EXTERNAL_COMPANIES = ["Philips Field Service", "Dräger Service Nederland", "GE HealthCare Service",
                      "Siemens Healthineers Service"]

ROLES = [  # name, description, (activity, letters, technology group codes or None)
    ("MT3 Algemene medische techniek", "Medisch technicus niveau 3",
     [("Preventief onderhoud", "TB", [9, 14, 19, 20, 22]), ("Veiligheidsinspectie", "TB", None)]),
    ("MT4 Anesthesie en IC", "Medisch technicus niveau 4, acute zorg",
     [("Preventief onderhoud", "TVB", [1, 3, 4, 9, 16, 19, 22]), ("Reparatie", "TVB", [1, 3, 4, 9, 16, 19, 22]),
      ("Veiligheidsinspectie", "TVB", None), ("Software-update", "TB", [1, 19])]),
    ("MT5 Medisch technoloog", "Medisch technoloog, niveau 5",
     [("Reparatie", "TVB", None), ("Software-update", "TVB", None), ("Technische vrijgave", "VB", None),
      ("Risicoscreening en PRI", "TVB", None), ("Implementatie", "TVB", None)]),
    ("MT4 Beeldvorming", "Medisch technicus niveau 4, beeldvorming",
     [("Preventief onderhoud", "TVB", [15, 21, 26]), ("Reparatie", "TB", [15, 21, 26])]),
    ("Externe servicemonteur", "Servicemonteur van de leverancier",
     [("Preventief onderhoud", "TB", None), ("Reparatie", "TB", None)]),
    ("Verpleegkundige IC", "Gebruiker IC-apparatuur",
     [("Klinisch gebruik", "TB", [1, 9, 19, 22])]),
    ("Key user IC", "Aandachtsvelder apparatuur IC",
     [("Klinisch gebruik", "TVB", [1, 9, 19, 22]), ("Gebruikersinstructie geven", "TVB", [1, 9, 19, 22])]),
    ("OK-assistent", "Gebruiker OK-apparatuur", [("Klinisch gebruik", "TB", [1, 3, 5])]),
    ("Hoofd Medische Technologie", "Eindverantwoordelijk medische technologie",
     [("Beleid medische technologie vaststellen", "TV", None), ("Klinische vrijgave", "V", None),
      ("Technische vrijgave", "VB", None), ("Buitengebruikstelling en afvoer", "VB", None)]),
    ("Medisch manager IC", "Klinisch eindverantwoordelijke", [("Klinische vrijgave", "VB", None)]),
]


def load_demo(with_data: bool = True) -> dict:
    """Load the demo hospital unless it is there; always return the admin login."""
    if with_data and db.session.scalar(select(Department.id).where(Department.code == "MTKF")) is None:
        _load(random.Random(2026), dt.date.today())
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    if admin is None:
        admin = create_user(ADMIN_EMAIL, "admin", DEMO_PASSWORD)
    token = new_token(admin)
    db.session.commit()
    return {"email": ADMIN_EMAIL, "password": DEMO_PASSWORD, "token": token}


def _load(rng: random.Random, today: dt.date) -> None:
    departments = {}
    for code, name, parent in DEPARTMENTS:
        dept = Department(code=code, name=name, parent_id=departments[parent].id if parent else None)
        db.session.add(dept)
        db.session.flush()
        departments[code] = dept

    staff = _staff(rng, departments, today)
    device_types = []
    for manufacturer, model, name, tg, cls in DEVICE_TYPES:
        device_types.append(DeviceType(manufacturer=manufacturer, model=model, name=name,
                                       technology_group_id=tg, mdr_class=cls, lifecycle_phase=4))
    db.session.add_all(device_types)
    db.session.flush()
    _devices(rng, device_types, departments)
    _tvb(rng, staff, today)
    _competences(rng, staff, device_types, today)
    _users(staff, departments)
    # A 24/7 rota needs seven competent technicians per type of anaesthesia/ventilation and
    # neonatology equipment: some demo types fall short now or within the horizons.
    db.session.add_all([CoverageMinimum(technology_group_id=1, role="technician", minimum=7),
                        CoverageMinimum(technology_group_id=16, role="technician", minimum=7)])
    db.session.flush()
    manager().hook.bekwaam_demo_data(session=db.session, today=today, size="small")
    db.session.commit()


def _staff(rng, departments, today) -> dict[str, list[Staff]]:
    groups = {  # group -> (department code, count, employment)
        "mt": ("MT-ACUUT", 10, "internal"), "beeld": ("MT-BEELD", 5, "internal"),
        "alg": ("MT-ALG", 6, "internal"), "ic": ("IC", 10, "internal"), "ok": ("OK", 6, "internal"),
        "rad": ("RAD", 3, "internal"), "dia": ("DIA", 3, "internal"), "ext": ("MTKF", 6, "external"),
    }
    people: dict[str, list[Staff]] = {}
    head = Staff(employee_number="100001", name="Ingrid Hoekstra", email="i.hoekstra@demo-ziekenhuis.nl",
                 department_id=departments["MTKF"].id, employment_type="internal", active=True,
                 start_date=dt.date(2009, 3, 1))
    db.session.add(head)
    db.session.flush()
    people["head"] = [head]
    number = 100002
    for group, (dept, count, employment) in groups.items():
        people[group] = []
        for _ in range(count):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            company = rng.choice(EXTERNAL_COMPANIES) if employment == "external" else None
            local = name.lower().replace(" ", ".").replace("ë", "e")
            person = Staff(employee_number=str(number) if employment == "internal" else f"EXT-{number}",
                           name=name, email=f"{local}.{number}@demo-ziekenhuis.nl",
                           department_id=departments[dept].id, manager_id=head.id,
                           employment_type=employment, company=company, active=True,
                           start_date=today - dt.timedelta(days=rng.randint(200, 6000)))
            db.session.add(person)
            people[group].append(person)
            number += 1
    db.session.flush()
    return people


def _devices(rng, device_types, departments) -> None:
    homes = {1: "IC", 3: "OK", 4: "DIA", 5: "OK", 9: "IC", 10: "IC", 15: "RAD", 16: "NEO", 17: "MT-ALG",
             19: "IC", 21: "RAD", 22: "IC", 23: "MT-ALG", 26: "RAD"}
    number = 10000
    for device_type in device_types:
        for _ in range(rng.randint(2, 8)):
            db.session.add(Device(asset_number=f"MT-{number}", serial_number=f"SN{rng.randint(10**7, 10**8 - 1)}",
                                  device_type_id=device_type.id,
                                  department_id=departments[homes.get(device_type.technology_group_id, "MT-ALG")].id,
                                  status=rng.choice(["in_use"] * 8 + ["in_repair", "in_storage"])))
            number += 1


def _tvb(rng, staff, today) -> None:
    activities = {a.name: a for a in db.session.scalars(select(Activity))}
    roles = {}
    for name, description, cells in ROLES:
        role = Role(name=name, description=description)
        db.session.add(role)
        db.session.flush()
        roles[name] = role
        for activity_name, letters, groups in cells:
            activity = activities.get(activity_name)
            if activity is None:  # the institution removed a default activity
                continue
            for tg in groups or [None]:
                cell = Cell(role_id=role.id, activity_id=activity.id, letters=letters, technology_group_id=tg)
                cell.effective_from = today - dt.timedelta(days=6 * 365)  # the matrix has been in force for years
                db.session.add(cell)
    holders = {
        "MT3 Algemene medische techniek": staff["alg"], "MT4 Anesthesie en IC": staff["mt"][:8],
        "MT5 Medisch technoloog": staff["mt"][8:], "MT4 Beeldvorming": staff["beeld"],
        "Externe servicemonteur": staff["ext"], "Verpleegkundige IC": staff["ic"][2:],
        "Key user IC": staff["ic"][:2], "OK-assistent": staff["ok"], "Hoofd Medische Technologie": staff["head"],
        "Medisch manager IC": staff["ic"][:1],
    }
    for role_name, people in holders.items():
        for person in people:
            start = today - dt.timedelta(days=rng.randint(100, 2000))
            end = today + dt.timedelta(days=rng.choice([20, 60, 400])) if person.employment_type == "external" else None
            db.session.add(Assignment(staff_id=person.id, role_id=roles[role_name].id, valid_from=start, valid_to=end))


def _competences(rng, staff, device_types, today) -> None:
    by_group: dict[int, list[DeviceType]] = {}
    for device_type in device_types:
        by_group.setdefault(device_type.technology_group_id, []).append(device_type)
    plan = [  # people, technology groups, role, methods
        (staff["mt"], [1, 3, 4, 9, 16, 19, 22], "technician", ["training_and_assessment", "training"]),
        (staff["beeld"], [15, 21, 26], "technician", ["training_and_assessment"]),
        (staff["alg"], [9, 19, 22, 23, 17, 10], "technician", ["training", "training_and_assessment"]),
        (staff["ext"], [1, 15, 19, 21], "technician", ["training_and_assessment"]),
        (staff["ic"], [1, 9, 19, 22], "user", ["training_and_assessment", "training", "instruction"]),
        (staff["ic"][:2], [1, 9, 19, 22], "key_user", ["training_and_assessment"]),
        (staff["ok"], [1, 3, 5], "user", ["training_and_assessment", "training"]),
        (staff["rad"], [15, 21, 26], "user", ["training", "instruction"]),
        (staff["dia"], [4], "user", ["training_and_assessment"]),
    ]
    assessor = staff["head"][0]
    for people, groups, role, methods in plan:
        for person in people:
            for tg in groups:
                for device_type in by_group.get(tg, []):
                    if rng.random() < 0.25:
                        continue  # not everybody knows every model: gaps for the matrix
                    competence = Competence(
                        staff_id=person.id, device_type_id=device_type.id, role=role,
                        obtained_on=today - dt.timedelta(days=rng.randint(30, 1400)),
                        method=rng.choice(methods), assessor_id=assessor.id if person.id != assessor.id else None,
                        evidence=f"LMS-{rng.randint(100000, 999999)}")
                    prepare_competence(competence, {}, True)
                    db.session.add(competence)


def _users(staff, departments) -> None:
    create_user(ADMIN_EMAIL, "admin", DEMO_PASSWORD, locale="nl")
    create_user("tvb@bekwaam.demo", "tvb_admin", DEMO_PASSWORD)
    create_user("mt@bekwaam.demo", "mt_manager", DEMO_PASSWORD)  # manager medische technologie
    create_user("manager@bekwaam.demo", "manager", DEMO_PASSWORD, staff_id=staff["head"][0].id,
                department_id=departments["MTKF"].id)
    create_user("technicus@bekwaam.demo", "technician", DEMO_PASSWORD, staff_id=staff["mt"][0].id, locale="en")
    create_user("auditor@bekwaam.demo", "auditor", DEMO_PASSWORD)
