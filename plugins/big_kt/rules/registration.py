"""The BIG registration (Wet BIG art. 3; Besluit klinisch technoloog, art. 6 and 7): in effect on a
day, its restrictions, and the checks of what is entered."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.contract import FieldMessage
from core.dates import within as _within
from core.dates import add_years
from core.dates import dutch_day
from plugins.big_kt.rules.vocabulary import PROFESSION_REGISTERED_SINCE, RECOGNITION_OUTCOMES, RESERVED_PROCEDURES, STATUSES, _BIG_NUMBER


def valid_big_number(s: str) -> bool:
    """A BIG number is exactly 11 digits (the BIG register publishes no check digit: format only)."""
    return isinstance(s, str) and _BIG_NUMBER.fullmatch(s) is not None


@dataclass(frozen=True)
class Registration:
    """A KT's entry in the BIG register as the hospital keeps it.

    ``restricted_procedures`` names the reserved procedures a restriction covers.
    Empty means the restriction covers *all* reserved procedures: a restriction
    whose scope was not recorded is read in the way that keeps patients safe.
    ``language_proof`` is true when sufficient Dutch has been shown by any route
    of the Besluit klinisch technoloog (art. 8 explanation): a B2+ certificate, or Dutch-language
    primary and secondary schooling.
    """

    big_number: str
    registered_on: date | None
    status: str = "registered"
    restriction: str | None = None
    restriction_from: date | None = None
    restriction_until: date | None = None
    restricted_procedures: frozenset[str] = frozenset()
    diploma_on: date | None = None
    institution: str | None = None
    track: str | None = None
    foreign_diploma: bool = False
    recognition_decision: str | None = None
    language_proof: bool = False
    recognition_outcome: str | None = None
    recognition_decided_on: date | None = None


@dataclass(frozen=True)
class ReregistrationConfig:
    """Periodic re-registration (herregistratie); configuration, not code (Besluit periodieke registratie Wet BIG)."""

    effective_date: date = date(2023, 3, 1)
    hours_norm: Decimal = Decimal("2080")
    period_years: int = 5
    warn_months: tuple[int, ...] = (12, 6)


DEFAULT_CONFIG = ReregistrationConfig()


def registration_effective_on(reg: Registration | None) -> date | None:
    """The day the registration takes effect: the registration date, but not
    before the profession existed (Besluit klinisch technoloog, art. 6: an
    earlier decision "wordt ... van kracht met ingang van de datum van
    inwerkingtreding", 1 July 2020)."""
    if reg is None or reg.registered_on is None:
        return None
    return max(reg.registered_on, PROFESSION_REGISTERED_SINCE)


def _in_effect_on(reg: Registration | None, on: date) -> bool:
    start = registration_effective_on(reg)
    return start is not None and start <= on


def is_registered_on(reg: Registration | None, on: date) -> bool:
    """In the register on ``on``: in effect by then and not suspended or struck off."""
    return _in_effect_on(reg, on) and reg.status in ("registered", "restricted")


def diploma_recognised_on(reg: Registration, on: date) -> bool:
    """A Dutch diploma, or a foreign one recognised on or before ``on``
    (Besluit klinisch technoloog, art. 7 explanation)."""
    if not reg.foreign_diploma:
        return True
    return (reg.recognition_outcome == "recognised" and reg.recognition_decided_on is not None
            and reg.recognition_decided_on <= on)


def restriction_applies(reg: Registration, on: date) -> bool:
    """A restriction (status ``restricted`` or a restriction text) in force on ``on``.

    The end date is the last day it applies: one that ended yesterday no longer
    applies today.
    """
    if reg.status != "restricted" and not reg.restriction:
        return False
    return _within(on, reg.restriction_from, reg.restriction_until)


def restriction_covers(reg: Registration, on: date, procedure: str) -> bool:
    """The restriction in force on ``on`` covers ``procedure`` (empty set = all)."""
    if not restriction_applies(reg, on):
        return False
    return not reg.restricted_procedures or procedure in reg.restricted_procedures


def effective_status(reg: Registration | None, on: date) -> str | None:
    """The status as it stands on ``on``; ``None`` when not (yet) in the register.

    A ``restricted`` entry whose restriction has ended reads as ``registered``;
    a ``registered`` entry with a restriction in force reads as ``restricted``.
    """
    if not _in_effect_on(reg, on):
        return None
    if reg.status in ("registered", "restricted"):
        return "restricted" if restriction_applies(reg, on) else "registered"
    return reg.status


def registration_errors(
    reg: Registration, today: date, config: ReregistrationConfig = DEFAULT_CONFIG
) -> dict[str, list[str]]:
    """Problems with a registration entry, per field (empty dict = acceptable)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str, message_nl: str) -> None:
        errors.setdefault(name, []).append(FieldMessage(message, message_nl))

    if not valid_big_number(reg.big_number):
        add("big_number", "A BIG number is exactly 11 digits.", "Een BIG-nummer heeft precies 11 cijfers.")
    if reg.status not in STATUSES:
        add("status", f"Unknown status; expected one of {', '.join(STATUSES)}.",
            "Onbekende status; verwacht: ingeschreven, geschorst, doorgehaald of beperkt.")
    _check_dates(reg, today, add)
    _check_diploma_age(reg, config, add)
    _check_restriction(reg, add)
    _check_foreign_diploma(reg, today, add)
    return errors


def _check_dates(reg: Registration, today: date, add) -> None:
    if reg.registered_on is None:
        add("registered_on", "The registration date is required.", "De registratiedatum is verplicht.")
    elif reg.registered_on > today:
        add("registered_on", "The registration date lies in the future.", "De registratiedatum ligt in de toekomst.")
    # An earlier date is accepted: it takes effect on 1 July 2020
    # (Besluit klinisch technoloog, art. 6; see registration_effective_on).
    if reg.diploma_on is None:
        add("diploma_on", "The diploma date is required.", "De diplomadatum is verplicht.")
    elif reg.diploma_on > today:
        add("diploma_on", "The diploma date lies in the future.", "De diplomadatum ligt in de toekomst.")
    elif reg.registered_on is not None and reg.diploma_on > reg.registered_on:
        add("diploma_on", "The diploma is dated after the registration.", "Het diploma is van na de registratie.")


def _check_diploma_age(reg: Registration, config: ReregistrationConfig, add) -> None:
    """Besluit klinisch technoloog, explanation of art. 6: once periodic registration applies to the
    KT, a diploma *older than* five years (ouder dan vijf jaar) cannot be newly
    registered (Wet BIG art. 8(6)). A diploma of exactly five years on the
    registration date is not older, so it is accepted. The seed speaks of the
    application date; the registration date is the closest date we keep.
    Registrations from before the effective date keep their entry.
    """
    if reg.registered_on is None or reg.diploma_on is None:
        return
    if reg.registered_on < config.effective_date:
        return
    if reg.registered_on > add_years(reg.diploma_on, config.period_years):
        add(
            "diploma_on",
            f"A diploma older than {config.period_years} years on the registration date "
            "cannot be newly registered since periodic registration applies "
            f"({config.effective_date.isoformat()}).",
            f"Een diploma dat op de registratiedatum ouder is dan {config.period_years} jaar, kan niet opnieuw "
            f"worden ingeschreven sinds de periodieke registratie geldt ({dutch_day(config.effective_date)}).",
        )


def _check_restriction(reg: Registration, add) -> None:
    if reg.status == "restricted" and not reg.restriction:
        add("restriction", "A restricted registration needs the text of the restriction.",
            "Een beperkte inschrijving heeft de tekst van de beperking nodig.")
    if (
        reg.restriction_from is not None
        and reg.restriction_until is not None
        and reg.restriction_until < reg.restriction_from
    ):
        add("restriction_until", "The restriction ends before it starts.", "De beperking eindigt voordat ze begint.")
    unknown = sorted(set(reg.restricted_procedures) - set(RESERVED_PROCEDURES))
    if unknown:
        add("restricted_procedures", f"Unknown reserved procedures: {', '.join(unknown)}.",
            f"Onbekende voorbehouden handelingen: {', '.join(unknown)}.")


def _check_foreign_diploma(reg: Registration, today: date, add) -> None:
    if not reg.foreign_diploma:
        if reg.recognition_outcome is not None or reg.recognition_decided_on is not None:
            add("recognition_outcome", "A recognition decision belongs to a foreign diploma only.",
                "Een erkenningsbesluit hoort alleen bij een buitenlands diploma.")
        return
    # Besluit klinisch technoloog, art. 7 explanation: KT training is not
    # harmonised internationally; the Commissie buitenslands gediplomeerden
    # volksgezondheid decides first, with a structured outcome.
    if reg.recognition_outcome not in RECOGNITION_OUTCOMES:
        add("recognition_outcome",
            f"A foreign diploma needs the recognition outcome: one of {', '.join(RECOGNITION_OUTCOMES)}.",
            "Een buitenlands diploma heeft de uitkomst van de erkenning nodig: erkend, niet voldaan aan de "
            "aanvullende eisen of geweigerd.")
    if reg.recognition_decided_on is None:
        add("recognition_decided_on", "A foreign diploma needs the date of the recognition decision.",
            "Een buitenlands diploma heeft de datum van het erkenningsbesluit nodig.")
    elif reg.recognition_decided_on > today:
        add("recognition_decided_on", "The recognition decision lies in the future.",
            "Het erkenningsbesluit ligt in de toekomst.")
    elif reg.diploma_on is not None and reg.recognition_decided_on < reg.diploma_on:
        add("recognition_decided_on", "The recognition decision predates the diploma.",
            "Het erkenningsbesluit is van vóór het diploma.")
    # Besluit klinisch technoloog, art. 8 explanation: Dutch at B2+ unless the KT programme or the
    # schooling was Dutch-language; a foreign programme is not (the accreditation report MSc Technical Medicine: the
    # Dutch master is taught in Dutch).
    if not reg.language_proof:
        add("language_proof", "A foreign diploma needs proof of Dutch at level B2+.",
            "Een buitenlands diploma vraagt een bewijs van Nederlands op niveau B2+.")


def status_since_default(reg: Registration, status_since: date | None, is_new: bool) -> date | None:
    """From which day a recorded status holds (valid time).

    A fact recorded late applies from its own date, not from the day it was
    typed in: a new entry holds from the day the registration takes effect; a
    restriction from its ``restriction_from``. Any other change needs its date
    stated (``None`` here: the caller refuses the change).
    """
    if status_since is not None:
        return status_since
    if is_new:
        return registration_effective_on(reg)
    if reg.status == "restricted" and reg.restriction_from is not None:
        return reg.restriction_from
    return None


def status_change_errors(reg: Registration, since: date | None, last_change_on: date | None) -> dict[str, list[str]]:
    """Dates of a status change that contradict each other, per field.

    ``last_change_on`` is the start of the latest recorded status (``None`` for
    a new entry); a change cannot slip in before it, since what held from then
    on was decided on that record.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str, message_nl: str) -> None:
        errors.setdefault(name, []).append(FieldMessage(message, message_nl))

    start = registration_effective_on(reg)
    if since is None:
        add("status_since", "State from which day the new status holds (a fact recorded late applies "
                            "from its own date).",
            "Geef de dag vanaf wanneer de nieuwe status geldt (een laat vastgelegd feit geldt vanaf zijn eigen "
            "datum).")
    elif start is not None and since < start:
        add("status_since", f"A status cannot take effect before the registration does ({start.isoformat()}).",
            f"Een status kan niet ingaan vóór de inschrijving ({dutch_day(start)}).")
    elif last_change_on is not None and since < last_change_on:
        add("status_since", f"A status change cannot take effect before the last one ({last_change_on.isoformat()}).",
            f"Een statuswijziging kan niet ingaan vóór de vorige ({dutch_day(last_change_on)}).")
    if reg.restriction_from is not None and start is not None and reg.restriction_from < start:
        add("restriction_from", f"A restriction cannot start before the registration takes effect "
                                f"({start.isoformat()}).",
            f"Een beperking kan niet beginnen vóór de inschrijving ingaat ({dutch_day(start)}).")
    if (reg.status == "restricted" and since is not None and reg.restriction_from is not None
            and since > reg.restriction_from):
        message = "The restriction starts before the restricted status that carries it; give the same date."
        message_nl = "De beperking begint vóór de beperkte status die haar draagt; geef dezelfde datum."
        add("status_since", message, message_nl)
        add("restriction_from", message, message_nl)
    return errors
