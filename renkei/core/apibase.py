"""The NinjaAPI class of /api/v1/: the shared error schemas, the number rule every operation's input
passes, and an OpenAPI document that lists the errors every operation can answer.

Routers declare only their own answers (`response={200: X, 409: Detail}`); what any operation may
answer (400 bad input, 401 without a valid token, 403, 404, 422 invalid input, 429 too many
attempts, 503 database unreachable) is added to the document here, so it never drifts per endpoint.
"""
import functools
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias, TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from pydantic import BaseModel

# PostgreSQL's bigint: ids, limit, offset and every other integer of the API fit in it.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INTEGER_MESSAGE = f"整数は {INT64_MIN}〜{INT64_MAX} の範囲で指定してください。"
FINITE_MESSAGE = "数値は有限の値で指定してください（NaN や Infinity は使えません）。"

# Where a value is in an input: ("payload", "days"), ("items", 0, "amount").
Loc: TypeAlias = tuple[str | int, ...]
# A JSON object of the OpenAPI document or of an error answer.
JSONObject: TypeAlias = dict[str, Any]
SchemaT = TypeVar("SchemaT", bound=JSONObject)


class Detail(Schema):
    """Every error of the API except 422: one message for people."""

    detail: str


class FieldError(Schema):
    """One problem of a 422: where it is (e.g. ["body", "payload", "days"]; [] for the whole request) and what."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    """The 422 answer: always a list of problems, also when there is only one."""

    detail: list[FieldError]


def invalid(*messages: object, loc: Iterable[str | int] = ()) -> ValidationError:
    """A 422 with one FieldError per message (raise it from an endpoint)."""
    return ValidationError([{"loc": list(loc), "msg": str(m), "type": "value_error"} for m in messages])


def _as_field_errors(detail: object) -> list[JSONObject]:
    items = detail if isinstance(detail, list) else [detail]
    errors: list[JSONObject] = []
    for item in items:
        if isinstance(item, dict) and "msg" in item:
            errors.append({"loc": list(item.get("loc", ())), "type": item.get("type", "value_error"), **item})
        else:
            errors.append({"loc": [], "msg": str(item), "type": "value_error"})
    return errors


def _number_problems(value: object, path: Loc) -> Iterator[tuple[Loc, str]]:
    """(path, message) for each integer beyond 64 bits or non-finite float inside a validated input value."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            yield path, INTEGER_MESSAGE
    elif isinstance(value, float):
        if not math.isfinite(value):
            yield path, FINITE_MESSAGE
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _number_problems(getattr(value, name, None), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _number_problems(item, (*path, key))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _number_problems(item, (*path, index))


def _locations(view_func: Callable[..., Any]) -> dict[str, tuple[str, dict[Loc, Loc]]]:
    """For each argument of an operation: its source ("query", "path", "body"...) and ninja's flattening."""
    operation = getattr(view_func, "_ninja_operation", None)
    places: dict[str, tuple[str, dict[Loc, Loc]]] = {}
    for model in getattr(operation, "models", ()):
        for name in model.model_fields:
            places[name] = (model.__ninja_param_source__, model.__ninja_flatten_map_reverse__)
    return places


def bounded_numbers(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator: 422 when an input integer does not fit 64 bits or a float is NaN/Infinity.

    Python and pydantic accept any integer; the database does not (PostgreSQL answers OFFSET or an
    INSERT beyond bigint with an error, SQLite with OverflowError).
    """
    places = _locations(view_func)

    @functools.wraps(view_func)
    def checked(request: HttpRequest, **values: Any) -> Any:
        errors: list[JSONObject] = []
        for name, value in values.items():
            source, reverse = places.get(name, ("body", {}))
            for path, message in _number_problems(value, (name,)):
                loc = reverse.get(path, path) if source != "body" else path
                errors.append({"loc": [source, *loc], "msg": message, "type": "number_range"})
        if errors:
            raise ValidationError(errors)
        return view_func(request, **values)

    return checked


def _response(description: str, ref: str, *, retry_after: bool = False) -> JSONObject:
    answer: JSONObject = {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}
    if retry_after:
        answer["headers"] = {"Retry-After": {"description": "再試行までの秒数", "schema": {"type": "integer"}}}
    return answer


DETAIL_REF = REF_TEMPLATE.format(model="Detail")
ERRORS_REF = REF_TEMPLATE.format(model="ValidationErrors")
COMMON_ERRORS = {
    "400": _response("入力の誤り（使えない文字、解析できない本文、範囲外の値）", DETAIL_REF),
    "403": _response("この操作の権限がない", DETAIL_REF),
    "404": _response("見つからない（見る権限のない対象も同じ答え）", DETAIL_REF),
    "422": _response("入力の検証エラー（detail は常に問題のリスト）", ERRORS_REF),
    "429": _response("試行が多すぎる（しばらく待ってから再試行）", DETAIL_REF, retry_after=True),
    "503": _response("一時的に利用できない（データベースに接続できない）", DETAIL_REF, retry_after=True),
}
UNAUTHENTICATED = _response("認証が必要（有効な Bearer トークンがない）", DETAIL_REF)
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def _bound_integers(node: object) -> None:
    """Give every integer of the document the 64-bit bounds the API enforces (where none is narrower)."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("minimum", INT64_MIN)
            node.setdefault("maximum", INT64_MAX)
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)


def document_errors(schema: SchemaT) -> SchemaT:
    """Add the shared error schemas and, to every operation, the error answers it can give."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Detail, ValidationErrors):
        definition = model.model_json_schema(ref_template=REF_TEMPLATE)
        components.update(definition.pop("$defs", {}))
        components[model.__name__] = definition
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, answer in COMMON_ERRORS.items():
                if status == "422" or status not in responses:
                    responses[status] = answer
            if operation.get("security"):
                responses.setdefault("401", UNAUTHENTICATED)
    _bound_integers(schema)
    return schema


class RenkeiAPI(NinjaAPI):
    """NinjaAPI with one error shape per status, the number rule on every operation and a complete OpenAPI."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_decorator(bounded_numbers, mode="operation")

    def create_response(self, request: HttpRequest, data: Any, *args: Any, status: int | None = None,
                        **kwargs: Any) -> HttpResponse:
        """Every 422 leaves in one shape, {"detail": [FieldError, ...]}, whoever raised it."""
        if status == 422 and isinstance(data, dict) and "detail" in data:
            data = {**data, "detail": _as_field_errors(data["detail"])}
        return super().create_response(request, data, *args, status=status, **kwargs)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        return document_errors(super().get_openapi_schema(*args, **kwargs))
