"""The klinisch technoloog's vocabulary: the BIG statuses and dates of the law, the reserved
procedures (Wet BIG art. 36) and the tracks of the master's programme, each with its source."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal


TWO_PLACES = Decimal("0.01")


# The title is a BIG article-3 profession since 1 July 2020 (Wet van 24 april
# 2019, Stb. 2019, 182). Besluit klinisch technoloog, art. 6: "Indien Onze
# Minister in dat geval besluit tot inschrijving, wordt de inschrijving van
# kracht met ingang van de datum van inwerkingtreding van artikel I, onderdeel
# A" -- a registration decided earlier takes effect on that date.
PROFESSION_REGISTERED_SINCE = date(2020, 7, 1)


# Besluit klinisch technoloog, art. 7 and its explanation: a foreign diploma is
# compared by the Commissie buitenslands gediplomeerden volksgezondheid first;
# only a recognition lets the person be registered, further requirements
# (stage, examination) or a refusal do not.
RECOGNITION_OUTCOMES: tuple[str, ...] = ("recognised", "conditions_not_met", "refused")


# Besluit klinisch technoloog, art. 5 explanation (Wet BIG art. 36(15)):
# individual competence for a reserved procedure, assessed -- the only method
# that includes an assessment by the supervising specialist.
SIGNED_OFF_METHOD = "training_and_assessment"


# Wet BIG art. 36: the 9 of the 14 reserved procedures (voorbehouden
# handelingen) a KT may perform independently. Code -> (Dutch, English).
RESERVED_PROCEDURES: dict[str, tuple[str, str]] = {
    "surgical": ("heelkundige handelingen", "surgical procedures"),
    "endoscopy": ("endoscopieën", "endoscopies"),
    "catheterisation": ("catheterisaties", "catheterisations"),
    "injection": ("injecties", "injections"),
    "puncture": ("puncties", "punctures"),
    "elective_cardioversion": ("electieve cardioversie", "elective cardioversion"),
    "defibrillation": ("defibrillatie", "defibrillation"),
    "radiation": (
        "toepassen van radioactieve stoffen en ioniserende straling",
        "radioactive substances and ionising radiation",
    ),
    "lithotripsy": ("steenvergruizing", "lithotripsy"),
}


STATUSES: tuple[str, ...] = ("registered", "suspended", "struck_off", "restricted")


# the accreditation report MSc Technical Medicine: the two tracks (afstudeerrichtingen) of the Twente master. Other
# universities name theirs differently, so the track stays free text.
KNOWN_TRACKS: tuple[str, ...] = ("Imaging & Intervention", "Sensing & Stimulation")


_BIG_NUMBER = re.compile(r"[0-9]{11}")
