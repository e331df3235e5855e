"""The OpenAPI document lists, for every operation, the errors it can give, in their one shape each."""
import pytest

from renkei.api import api
from renkei.core.apibase import INT64_MAX

METHODS = {"get", "post", "put", "delete", "patch"}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema(path_prefix="/api/v1/")


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_documents_the_common_errors(document):
    missing = [name for name, op in _operations(document)
               if not {"400", "403", "404", "422", "429", "503"} <= set(op["responses"])]
    assert missing == []


def test_operations_with_a_token_document_401(document):
    missing = [name for name, op in _operations(document) if op.get("security") and "401" not in op["responses"]]
    assert missing == []


def test_422_is_documented_as_a_list_of_field_errors(document):
    refs = {op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"] for _, op in _operations(document)}
    errors = document["components"]["schemas"]["ValidationErrors"]
    assert refs == {"#/components/schemas/ValidationErrors"} and errors["properties"]["detail"]["type"] == "array"


def test_other_errors_share_one_detail_schema(document):
    refs = {op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            for _, op in _operations(document) for code in ("400", "403", "404", "503")}
    assert refs == {"#/components/schemas/Detail"}


def test_there_is_only_one_detail_schema_in_the_code():
    import pathlib

    copies = [p for p in pathlib.Path("renkei").rglob("*.py") if "class Detail(Schema)" in p.read_text()]
    assert [str(p) for p in copies] == ["renkei/core/apibase.py"]


def test_integer_parameters_are_documented_within_64_bits(document):
    unbounded = [(name, p["name"]) for name, op in _operations(document) for p in op.get("parameters", [])
                 if p["schema"].get("type") == "integer" and p["schema"].get("maximum", INT64_MAX + 1) > INT64_MAX]
    assert unbounded == []


def test_a_string_422_leaves_as_a_list(client, db):
    from tests.factories import UserFactory
    from tests.network.test_api import _auth

    r = client.post("/api/v1/consultations", {"received_on": "2025-05-01", "channel": "nope", "asker_profession": "family",
                                             "category": "other", "summary": "x"},
                    content_type="application/json", **_auth(UserFactory(is_municipal_staff=True)))
    assert r.status_code == 422 and "受付方法" in r.json()["detail"][0]["msg"]
