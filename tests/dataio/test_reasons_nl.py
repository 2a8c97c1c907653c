"""Import reasons in Dutch: every reason carries its Dutch (``core.dataio.texts``), the API and
the CLI keep the English words of their contract, and the import page speaks the UI's language,
naming a field by the header of the user's own file."""
from __future__ import annotations

import ast
import io
import json
import pathlib
import re
from decimal import Decimal

import pytest

from core.dataio import importers, texts, values as v
from core.dataio.cli import import_command
from core.dataio.mapping import DEFAULT_HEADERS, normalise
from core.dataio.models import ImportMapping
from core.dataio.readers import FileError, open_table
from core.dataio.texts import Reason, Text
from core.extensions import db
from tests.dataio.conftest import rows_of
from tests.dataio.test_import_staff import EXPECTED as STAFF_EXPECTED, MESSY, _existing
from tests.web.conftest import login_as

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAX = Decimal("9999999.99")


def _is_dutch(text) -> bool:
    return isinstance(text, Text) and text.nl.strip() != "" and text.nl != str(text)


# ------------------------------------------------------------------ the texts themselves


def test_a_text_is_its_english_string_everywhere():
    reason = Reason("start_date", "'31-02-2026' is not an existing date.", "'31-02-2026' is geen bestaande datum.")
    english = "start_date: '31-02-2026' is not an existing date."
    assert reason == english and hash(reason) == hash(english) and f"{reason}" == english
    assert json.dumps([reason]) == json.dumps([english]) and " ".join([reason, reason]) == f"{english} {english}"
    assert reason.nl == "In dienst: '31-02-2026' is geen bestaande datum."
    assert texts.in_dutch(reason) == reason.nl
    assert (texts.in_dutch(reason, {"start_date": "Datum in dienst"})
            == "Datum in dienst: '31-02-2026' is geen bestaande datum.")
    assert texts.in_dutch(reason, {"name": "Naam"}) == reason.nl  # a field the file has no column for
    assert texts.in_dutch("plain") == "plain"


def test_copy_and_pickle_keep_the_dutch():
    import copy
    import pickle
    for text in (Text("empty row", "lege regel"), Reason("hours", "'x' is not a number.", "'x' is geen getal.")):
        for again in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
            assert again == text and type(again) is type(text) and again.nl == text.nl
            assert getattr(again, "field", None) == getattr(text, "field", None)


def test_every_field_has_a_dutch_label_and_a_required_field_is_named_by_a_header_of_its_kind(app, ctx):
    assert set(DEFAULT_HEADERS) == set(importers.CORE_KINDS)
    kinds = importers.kinds()
    assert "cpd" in kinds  # a plugin's kind is held to the same rule
    for kind in kinds.values():
        for field in kind.headers:
            assert field in texts.FIELD_LABELS_NL, field
        known = {normalise(w) for f, words in kind.headers.items() for w in (f, *words)}
        for name, spec in kind.importer.fields.items():
            if spec.required:  # "Regel 1: de kolom 'Type' ontbreekt" must name a header that works
                assert normalise(texts.label_nl(name)) in known, (kind.name, name)


# ------------------------------------------------------------------ values.py: every parser error


PARSER_ERRORS = [
    (v.parse_date, "31-02-2026", "'31-02-2026' is geen bestaande datum."),
    (v.parse_date, "gisteren", "'gisteren' is geen datum (gebruik dd-mm-jjjj, jjjj-mm-dd of een Excel-datum)."),
    (v.parse_date, 3000000, "'3000000' is geen datum (gebruik dd-mm-jjjj, jjjj-mm-dd of een Excel-datum)."),
    (v.parse_day, "31-12-1949", "31-12-1949 moet tussen 01-01-1950 en 31-12-2100 liggen."),
    (v.parse_bool, "misschien", "'misschien' is geen ja of nee."),
    (lambda raw: v.parse_int(raw, 1, 7), "drie", "'drie' is geen geheel getal."),
    (lambda raw: v.parse_int(raw, 1, 7), "9", "9 ligt niet tussen 1 en 7."),
    (lambda raw: v.parse_hours(raw, MAX), "veel", "'veel' is geen aantal uren."),
    (lambda raw: v.parse_hours(raw, MAX), "-1", "-1 moet meer dan 0 en hoogstens 9999999,99 zijn."),
    (lambda raw: v.parse_hours(raw, MAX), "1,5555", "1,5555 heeft meer dan twee decimalen."),
    (lambda raw: v.parse_hours(raw, MAX), "1,555", "'1,555' is geen aantal uren. '1,555' is dubbelzinnig: "
     "schrijf een decimale komma met één of twee decimalen (7,5), of het hele getal zonder scheidingsteken (1234)."),
    (v.parse_email, "e.visser", "'e.visser' is geen e-mailadres."),
    (v.EMPLOYMENT_TYPE, "Stagiair", "'Stagiair' is geen bekende soort dienstverband (kies uit: intern of extern)."),
    (v.DEVICE_STATUS, "Kapot", "'Kapot' is geen bekende status (kies uit: in gebruik, in reparatie, in opslag of "
                               "afgevoerd)."),
    (v.COMPETENCE_ROLE, "Chef", "'Chef' is geen bekende rol (kies uit: gebruiker, key user, technicus of trainer)."),
    (v.METHOD, "Lezen", "'Lezen' is geen bekende methode (kies uit: instructie, training of training en toetsing)."),
    (v.parse_mdr_class, "IV", "'IV' is geen MDR-klasse (I, IIa, IIb, III) en geen IVDR-klasse (A, B, C, D)."),
]


@pytest.mark.parametrize("parse, raw, dutch", PARSER_ERRORS)
def test_every_parser_error_has_its_dutch(parse, raw, dutch):
    with pytest.raises(ValueError) as caught:
        parse(raw)
    assert _is_dutch(caught.value.args[0]), str(caught.value)
    assert texts.of_error(caught.value).nl == dutch


def test_every_raise_in_values_py_is_covered_above():
    """A new ``raise`` in values.py needs a row in PARSER_ERRORS (and so its Dutch)."""
    tree = ast.parse(pathlib.Path(v.__file__).read_text("utf-8"))
    raises = [(node.lineno, node.end_lineno) for node in ast.walk(tree)
              if isinstance(node, ast.Raise) and ast.unparse(node.exc or ast.Constant()).startswith("ValueError(")]
    reached = set()
    for parse, raw, _ in PARSER_ERRORS:
        tb = _error(parse, raw).__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        assert tb.tb_frame.f_code.co_filename == v.__file__
        reached |= {span for span in raises if span[0] <= tb.tb_lineno <= span[1]}
    assert len(raises) == 13 and reached == set(raises)


def _error(parse, raw) -> ValueError:
    try:
        parse(raw)
    except ValueError as exc:
        return exc
    raise AssertionError(f"{raw!r} was accepted")


@pytest.mark.parametrize("parse", [v.EMPLOYMENT_TYPE, v.DEVICE_STATUS, v.COMPETENCE_ROLE, v.METHOD])
def test_the_dutch_words_a_choice_suggests_are_accepted_one_per_code(parse):
    codes = [parse(word) for word in parse.allowed_nl]
    allowed = re.search(r"\(([^)]*)\)\.$", str(_error(parse, "?"))).group(1).split(", ")
    assert sorted(codes) == sorted(allowed)


# ------------------------------------------------------------------ the API and the CLI keep their English


def test_api_report_is_the_english_of_before(app, make, upload):
    _existing(make)
    response = upload("staff", MESSY, dry_run=True)
    assert response.status_code == 200
    assert rows_of(response.json) == STAFF_EXPECTED
    body = response.get_data()
    for _, _, reasons in STAFF_EXPECTED:
        for reason in reasons:
            assert json.dumps(reason).encode() in body
    assert b"geen bestaande" not in body and b"lege regel" not in body and b"Dubbel" not in body

    refused = upload("staff", MESSY)  # all or nothing: the 422 carries the reasons twice
    assert refused.status_code == 422
    assert refused.json["errors"]["line 7"] == ["start_date: '31-02-2019' is not an existing date."]
    assert refused.json["errors"]["line 6"] == ["duplicate: the same key as line 2."]
    assert b"geen" not in refused.get_data()


def test_the_json_of_a_report_is_byte_for_byte_that_of_plain_strings(app, ctx, make):
    _existing(make)
    report = importers.run("staff", open_table(io.BytesIO(MESSY), "hr.csv"), dry_run=True)
    assert any(_is_dutch(r) for row in report.rows for r in row.reasons)
    plain = report.as_dict()
    plain["rows"] = [{**row, "reasons": [str(r) for r in row["reasons"]]} for row in plain["rows"]]
    assert app.json.dumps(report.as_dict()) == app.json.dumps(plain)
    assert (json.dumps(report.as_dict(), ensure_ascii=False, indent=1)
            == json.dumps(plain, ensure_ascii=False, indent=1))  # the CLI's --report


def test_cli_report_file_and_output_stay_english(app, make, tmp_path):
    _existing(make)
    source, out = tmp_path / "hr.csv", tmp_path / "report.json"
    source.write_bytes(MESSY)
    result = app.test_cli_runner().invoke(import_command, ["staff", str(source), "--dry-run", "--report", str(out)])
    assert result.exit_code == 1
    assert "line 7: rejected: start_date: '31-02-2019' is not an existing date." in result.output
    assert rows_of(json.loads(out.read_text("utf-8"))) == STAFF_EXPECTED
    assert "geen" not in out.read_text("utf-8")


# ------------------------------------------------------------------ the import page


STAFF_NL = (
    "Personeelsnr;Naam;Datum in dienst;Begin <dienst>;Leidinggevende\r\n"
    "7001;Jansen, Anna;01-03-2015;;\r\n"
    ";Zonder nummer;01-03-2015;;\r\n"            # 3: Personeelsnr empty
    "7002;Bakker, Tom;31-02-2026;morgen;X9\r\n"  # 4: two dates (one column by a saved mapping), unknown manager
).encode("utf-8")


@pytest.fixture
def page(app, make, tmp_path, monkeypatch):
    """A logged-in admin client on the import page (uploads kept in a temporary folder)."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    user_id, _ = make.user("admin")
    client = app.test_client()
    login_as(client, user_id)
    return client


def _post(client, content, kind="staff", mapping=0, dry_run=True):
    data = {"kind": kind, "mapping": str(mapping), "file": (io.BytesIO(content), "hr.csv")}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/imports", data=data, content_type="multipart/form-data")


def _line(html, line) -> str:
    return re.search(rf'<tr class="row-\w+" id="line-{line}">(.*?)</tr>', html, re.S).group(1)


def _mapping(app) -> int:
    with app.app_context():
        mapping = ImportMapping(name="Eigen", kind="staff", columns={"Begin <dienst>": "left_on"})
        db.session.add(mapping)
        db.session.commit()
        return mapping.id


def test_dutch_page_shows_dutch_reasons_with_the_files_own_headers(app, page):
    html = _post(page, STAFF_NL, mapping=_mapping(app)).get_data(as_text=True)
    assert "Personeelsnr: leeg, maar verplicht." in _line(html, 3)
    bad = _line(html, 4)
    assert "Datum in dienst: &#39;31-02-2026&#39; is geen bestaande datum." in bad
    assert ("Begin &lt;dienst&gt;: &#39;morgen&#39; is geen datum (gebruik dd-mm-jjjj, jjjj-mm-dd of een "
            "Excel-datum).") in bad  # the user's header, escaped
    assert ("Leidinggevende: geen medewerker met personeelsnummer &#39;X9&#39; (niet in de database en niet in "
            "dit bestand).") in bad
    assert "is not" not in html and "start_date" not in bad


def test_english_page_shows_the_english_reasons(app, page):
    page.post("/language/en")
    html = _post(page, STAFF_NL, mapping=_mapping(app)).get_data(as_text=True)
    assert "employee_number: empty, but required." in _line(html, 3)
    bad = _line(html, 4)
    assert "start_date: &#39;31-02-2026&#39; is not an existing date." in bad
    assert "manager_employee_number: no staff member with number &#39;X9&#39;" in bad
    assert "geen" not in bad


def test_a_reason_about_a_column_the_file_lacks_uses_the_dutch_label(app, page):
    content = "Personeelsnummer;Naam;Soort dienstverband\r\n7001;Extern, Piet;ZZP\r\n".encode()
    html = _post(page, content).get_data(as_text=True)
    assert "Bedrijf: bij een externe medewerker is het bedrijf verplicht." in _line(html, 2)


def test_the_file_error_is_dutch_on_the_dutch_page_and_english_on_the_english_one(page):
    content = b"Naam;Afdeling\r\nJansen;IC\r\n"
    dutch = _post(page, content).get_data(as_text=True)
    assert "Het bestand kan niet worden geïmporteerd: Regel 1: de kolom &#39;Personeelsnummer&#39; ontbreekt." in dutch
    page.post("/language/en")
    english = _post(page, content).get_data(as_text=True)
    assert "Line 1: no column for employee_number (e.g. &#39;personeelsnummer&#39;)." in english


# ------------------------------------------------------------------ meta: every reason an import can give


BAD_FILES = {
    "staff": (
        "Personeelsnr;Naam;E-mail;Afdeling;Soort dienstverband;Actief;In dienst;Uit dienst;Leidinggevende\n"
        "1001;Jansen, Anna;a@zkh.nl;IC;Intern;ja;01-03-2015;;\n"
        ";Geen nummer;;;;;;;\n"
        "1002;de Vries;geen-mail;XX;Stagiair;misschien;31-02-2026;gisteren;1002\n"
        "1003;Extern, Piet;;IC;Extern;;;;X9\n"
        "1001;Dubbel;;;;;;;\n"
        "1004;Volgt;;;;;;;1003\n"
        ";;;;;;;;\n"
        "1005;" + "x" * 201 + ";;;;;;;\n"
        "1006;Nieuw;;;;;;;Y8\n"
    ),
    "devices": (
        "Inventarisnummer;Serienummer;Fabrikant;Type;Afdeling;Status\n"
        "MT-1;SN1;Dräger;Onbekend;XX;Kapot\n"
        ";;Dräger;;;\n"
    ),
    "device-types": (
        "Fabrikant;Model;Omschrijving;Technologiegroep;MDR-klasse;Levensfase;Vrijgegeven op\n"
        "Philips;Nieuw;Iets;99;IV;9;\n"
        "Philips;Half;Iets;1;IIa;drie;\n"
        "Philips;Zonder;;;;;\n"
        "Philips;Fase6;Iets;1;IIa;6;\n"
        "Dräger;Bestaand;;;;;01-01-2025\n"
    ),
    "competences": (
        "Personeelsnummer;Fabrikant;Type;Rol;Behaald op;Methode;Beoordelaar;Bewijs;Verloopt op\n"
        "9999;Dräger;Evita XL;Chef;2024-13-01;Lezen;8888;;\n"
        "1001;Dräger;Evita V500;Gebruiker;12-01-2024;Instructie;1001;;\n"
        "1001;Dräger;Evita V500;Technicus;12-01-2024;Instructie;;;01-01-2024\n"
        "1001;Dräger;Evita V500;Trainer;12-01-2024;Instructie;;;\n"
        "1001;Dräger;Evita V500;Trainer;12-01-2024;Instructie;;;\n"
    ),
    "cpd": (
        "Personeelsnummer;Datum;Uren;Titel;Categorie\n"
        "9999;2025-02-30;veel;x;99\n"
        "1001;2025-02-01;0;x;1\n"
        "1001;2025-02-01;1,5555;x;1\n"
        "1001;;;;\n"
    ),
}

# Every kind of reason the files above must reach (the English start of each).
REACHED = {
    "staff": ["employee_number: empty", "email: ", "department_code: no department", "employment_type: ",
              "active: ", "start_date: ", "left_on: ", "manager_employee_number: a person cannot",
              "company: ", "manager_employee_number: no staff member", "duplicate: ",
              "manager_employee_number: '1003' is the person on line 5", "name: longer than",
              "partial import: "],
    "devices": ["model: no device type", "department_code: ", "status: ", "asset_number: empty", "model: empty"],
    "device-types": ["technology_group: '99'", "mdr_class: ", "lifecycle_phase: 9 is not between",
                     "lifecycle_phase: 'drie'", "technology_group: needed", "released_on: a device type in phase",
                     "released_on: only the release procedure"],
    "competences": ["employee_number: no staff member", "model: no device type", "role: ", "obtained_on: ",
                    "method: ", "assessor_number: no staff member", "assessor_number: a person cannot",
                    "expires_on: ", "duplicate: "],
    "cpd": ["employee_number: no staff member", "date: ", "hours: 'veel'", "hours: 0 must be", "hours: 1,5555 has",
            "category: ", "date: empty", "hours: empty", "title: empty"],
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_every_reason_of_a_bad_file_has_its_dutch(app, ctx, make, monkeypatch, kind):
    make.department(code="IC")
    make.staff(employee_number="1001")
    make.device_type(manufacturer="Dräger", model="Evita V500")
    make.device_type(manufacturer="Dräger", model="Bestaand")
    # Without a plugin owning the expiry, the file's own "Verloopt op" is checked.
    monkeypatch.setattr("core.dataio.importers.competence_expiry", lambda competence: None)
    table = open_table(io.BytesIO(BAD_FILES[kind].encode()), "bad.csv")
    report = importers.run(kind, table, dry_run=True, partial=True)
    reasons = [r for row in report.rows for r in row.reasons]
    for start in REACHED[kind]:
        assert any(r.startswith(start) for r in reasons), (start, reasons)
    for row in report.rows:
        for reason in row.reasons:
            assert _is_dutch(reason), reason
            assert "is not" not in reason.nl and " no " not in reason.nl, reason.nl
            if isinstance(reason, Reason):
                assert texts.in_dutch(reason, report.headers()).startswith(report.headers().get(
                    reason.field, texts.label_nl(reason.field)) + ": ")


def test_every_release_blocker_of_the_leidraad_plugin_has_its_dutch():
    from plugins.leidraad import rules

    codes = {value for name, value in vars(rules).items() if name.startswith("NO_") and isinstance(value, str)}
    everything = rules.release_missing(False, True, False, False, False, 0, 0)
    assert {m.code for m in everything} == codes
    assert all(m.message_nl and m.message_nl != m.message for m in everything)
    assert importers._blocker_nl({"code": "other", "message": "Not yet.", "message_nl": "Nog niet."}) == "Nog niet."
    assert importers._blocker_nl({"code": "other", "message": "Not yet."}) == "Not yet."  # unknown: as given


def _file_error(content: bytes, kind="staff", filename="f.csv", saved=None) -> FileError:
    with pytest.raises(FileError) as caught:
        report = importers.run(kind, open_table(io.BytesIO(content), filename), dry_run=True, saved_columns=saved)
        list(report.rows)
    return caught.value


def test_every_file_error_has_its_dutch(app, ctx, monkeypatch):
    errors = [
        _file_error(b""),
        _file_error(b"Personeelsnummer;Naam\n1;" + b"x" * 200_000 + b"\n"),  # csv: field larger than the limit
        _file_error(b"not a workbook", filename="f.xlsx"),
        _file_error(b"Naam\nJansen\n"),
        _file_error(b"Fabrikant\nx\n", kind="devices"),
        _file_error(b"Personeelsnummer;Naam\n1;x\n", kind="shoes"),
        _file_error(b"Personeelsnummer;Naam\n1;x\n", saved={"Maat": "shoe_size"}),
    ]
    from openpyxl import Workbook
    book, buffer = Workbook(), io.BytesIO()
    book.save(buffer)
    errors.append(_file_error(buffer.getvalue(), filename="f.xlsx"))
    from core.plugins import build_manager
    monkeypatch.setitem(app.extensions, "bekwaam_plugins", build_manager(disabled=["vzi_mt"]))
    errors.append(_file_error(b"Personeelsnummer;Datum;Uren;Titel\n1;2025-01-01;1;x\n", kind="cpd"))
    for error in errors:
        assert _is_dutch(error.args[0]), str(error)
    assert str(errors[4]) == "Line 1: no column for asset_number (e.g. 'inventarisnummer'); model (e.g. 'type')."
    assert errors[4].args[0].nl == "Regel 1: de kolommen 'Inventarisnummer', 'Type' ontbreken."


# ------------------------------------------------------------------ meta: no reason is built without its Dutch


SOURCES = ["core/dataio/importers.py", "core/dataio/readers.py", "plugins/vzi_mt/imports.py"]


@pytest.mark.parametrize("source", SOURCES)
def test_no_reason_or_file_error_is_a_bare_string(source):
    """``reasons.append("…")``, ``reasons=["…"]`` or ``raise FileError(f"…")`` would have no Dutch."""
    tree = ast.parse((ROOT / source).read_text("utf-8"))
    bare = (ast.Constant, ast.JoinedStr, ast.BinOp)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("append",
                                                                                                     "extend"):
            target = ast.unparse(node.func.value)
            if target.endswith("reasons") and node.args and isinstance(node.args[0], bare):
                found.append(ast.unparse(node))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                "FileError", "PluginDisabled") and node.args and isinstance(node.args[0], bare):
            found.append(ast.unparse(node))
        if isinstance(node, ast.keyword) and node.arg == "reasons" and isinstance(node.value, ast.List):
            found += [ast.unparse(e) for e in node.value.elts if isinstance(e, bare)]
        if isinstance(node, ast.List) and any(isinstance(e, ast.Starred) and ast.unparse(e) == "*reasons"
                                              for e in node.elts):
            found += [ast.unparse(e) for e in node.elts if isinstance(e, bare)]
    assert found == []
