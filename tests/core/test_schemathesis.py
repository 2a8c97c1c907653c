"""Property-based fuzzing of the whole REST API from its OpenAPI document: no 5xx, ever,
and every answer matches the schema the document gives for it.

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid
(positive) and invalid (negative) ones, sent in-process to the Flask app with
an admin token. Any 5xx is a defect: bad input must be a 4xx naming each field. The
run is bounded (a few examples per operation and mode, derandomised).
"""
from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")  # listed in setup.cfg [test] extras

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.core.errors import SchemathesisError  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from core.extensions import db  # noqa: E402
from tests.conftest import Factory, create_pg_database, migrated_app, require_postgres  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("BEKWAAM_FUZZ_EXAMPLES", "5"))


@pytest.fixture
def fuzz_app(tmp_path):
    """A fresh database: the fuzzer writes whatever it likes."""
    if os.environ.get("BEKWAAM_TEST_DATABASE_URL", "").startswith("postgres"):
        require_postgres()
        url, drop = create_pg_database()
    else:
        url, drop = "sqlite:///" + str(tmp_path / "fuzz.sqlite"), lambda: None
    app = migrated_app(url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


def _seed(make):
    """A little data so that generated ids sometimes name a row."""
    dept = make.department()
    make.department(parent_id=dept.id)
    person = make.staff(department_id=dept.id)
    make.device_type()
    return person


def test_no_operation_answers_5xx_or_off_schema(fuzz_app):
    make = Factory(fuzz_app)
    _seed(make)
    _, headers = make.user("admin")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    server_errors: list[str] = []
    nonconforming: list[str] = []
    bad_definitions: dict[str, str] = {}

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate],
                      # Generating bodies for strict schemas discards many candidates; that is expected.
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                             HealthCheck.data_too_large])
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                # The WSGI transport does not undo a content coding as an HTTP client does:
                # ask for the plain body (gzip itself is tested in tests/core/test_matrix.py).
                response = case.call(headers={**headers, "Accept-Encoding": "identity"})
                if response.status_code >= 500:
                    server_errors.append(
                        f"{operation.method.upper()} {operation.path} ({mode}) -> {response.status_code}: "
                        f"path={case.path_parameters} query={case.query} body={case.body!r}"[:600])
                    return
                try:
                    case.validate_response(response, checks=[response_schema_conformance])
                except FailureGroup as group:
                    first = " ".join(" ".join(f"{e.title}: {getattr(e, 'message', '')}".split())
                                     for e in group.exceptions)[:400]
                    nonconforming.append(f"{operation.method.upper()} {operation.path} -> {response.status_code}: "
                                         f"{first}")
            try:
                run()
            except SchemathesisError as exc:
                # The document itself is wrong here; note it and fuzz the rest.
                bad_definitions[f"{operation.method.upper()} {operation.path}"] = " ".join(line.strip() for line in str(exc).splitlines()[:8] if line.strip())
                break

    problems = ["5xx answers:", *dict.fromkeys(server_errors)] if server_errors else []
    if nonconforming:
        problems += ["answers that do not match the documented schema:", *dict.fromkeys(nonconforming)]
    if bad_definitions:
        problems += ["invalid OpenAPI definitions:", *(f"{k}: {v}" for k, v in bad_definitions.items())]
    assert not problems, "\n".join(problems)
