"""The API reference at /api/v1/docs/, for people: built from the OpenAPI
schema (operations grouped by tag, who may call each, parameters, bodies,
answers and data types) for the template ``api/docs.html``."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from innoclub.api.api import api
from innoclub.api.auth import BearerToken, anonymous
from innoclub.api.common import Page

# --- The reference at /api/v1/docs/ ---------------------------------------------
# Everything below reads the OpenAPI schema, so the page cannot drift from the API.


@dataclass
class Text:
    """A text from the schema: English unless the catalogue translates it,
    and marked as such so that screen readers pronounce it right."""

    text: str
    lang: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(part.split()) for part in re.split(r"\n\s*\n", self.text) if part.strip()]


def text_of(value: Any) -> Text:
    source = str(value or "").strip()
    if not source:
        return Text("")
    translated = _(source)
    english = translated == source and not (get_language() or "").startswith("en")
    return Text(translated, "en" if english else "")


@dataclass
class Shape:
    """A type as the page shows it: a JSON type or the name of a data type
    described further down, optionally as a list, with allowed values and limits."""

    label: str
    link: str = ""
    is_list: bool = False
    is_page: bool = False  # one page of a list (innoclub.api.common.Page), described once
    nullable: bool = False
    values: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class FieldDoc:
    name: str
    shape: Shape
    required: bool
    description: Text
    where: str = ""


@dataclass
class ResponseDoc:
    status: str
    description: Text
    content_type: str
    shape: Shape | None


@dataclass
class OperationDoc:
    anchor: str
    method: str
    path: str
    summary: Text
    description: Text
    callers: str
    parameters: list[FieldDoc]
    body_content_type: str
    body_shape: Shape | None
    body_fields: list[FieldDoc]
    responses: list[ResponseDoc]
    problems: bool


@dataclass
class TagDoc:
    name: str
    anchor: str
    operations: list[OperationDoc]


@dataclass
class TypeDoc:
    anchor: str
    title: str
    description: Text
    fields: list[FieldDoc]
    values: list[str]


_PAGE_FIELDS = set(Page.model_fields)


def _callers_by_operation() -> dict[str, str]:
    """Who each operation accepts, from the auth callbacks behind its security
    (``PUBLIC``, ``SIGNED_IN``, ``WRITE`` in ``innoclub.api.auth``): the schema
    names token and session for all three alike."""
    callers: dict[str, str] = {}
    # django-ninja has no public way to list operations; the schema generator uses this one.
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                checks = list(operation.auth_callbacks)
                if anonymous in checks or not checks:
                    kind = "public"
                elif any(isinstance(check, BearerToken) and check.write for check in checks):
                    kind = "write"
                else:
                    kind = "signed_in"
                callers[operation.operation_id or api.get_openapi_operation_id(operation)] = kind
    return callers


def _caller_text(kind: str) -> str:
    return {
        "public": _(
            "Anyone, without signing in. With a token or a session the answer also "
            "contains what your account may see."
        ),
        "signed_in": _("Signed in: an API token (either scope) or the browser session."),
        "write": _(
            "An API token with the scope “read and write”, or the browser session with its "
            "CSRF token."
        ),
    }[kind]


def _anchor(method: str, path: str) -> str:
    """``get-municipalities-ags`` for GET /api/v1/municipalities/{ags}: stable and readable."""
    words = re.sub(r"[^a-z0-9]+", "-", path.lower().removeprefix("/api/v1")).strip("-")
    return f"{method.lower()}-{words}"


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# Bounds that only guard the database's integer range say nothing to a reader.
_NO_REAL_BOUND = 2**31


def _limits(node: dict[str, Any]) -> list[str]:
    notes = []
    low, high = node.get("minimum"), node.get("maximum")
    if high is not None and abs(high) >= _NO_REAL_BOUND:
        high = None
    if low is not None and high is not None:
        notes.append(_("from %(low)s to %(high)s") % {"low": low, "high": high})
    elif low is not None:
        notes.append(_("at least %(low)s") % {"low": low})
    elif high is not None:
        notes.append(_("at most %(high)s") % {"high": high})
    if node.get("minLength") == 1:
        notes.append(_("not empty"))
    elif node.get("minLength"):
        notes.append(_("at least %(count)s characters") % {"count": node["minLength"]})
    if node.get("maxLength") is not None:
        notes.append(_("at most %(count)s characters") % {"count": node["maxLength"]})
    if "default" in node and node["default"] not in (None, "", [], {}):
        notes.append(_("default: %(value)s") % {"value": json.dumps(node["default"])})
    return notes


class Reference:
    """Turns the OpenAPI schema into the parts of the page."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
        self.linked: list[str] = []  # data types the operations refer to, in order of use

    # Built only when the template asks: a cached page fragment does not need them.
    @cached_property
    def groups(self) -> list[TagDoc]:
        return self.tags()

    @cached_property
    def data_types(self) -> list[TypeDoc]:
        self.groups  # noqa: B018 -- the operations name the types first
        return self.types()

    @cached_property
    def callers(self) -> dict[str, str]:
        return _callers_by_operation()

    def shape(self, node: dict[str, Any]) -> Shape:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            target = self.components.get(name, {})
            if "enum" in target:
                return Shape(
                    label=target.get("type", "string"), values=[_show(v) for v in target["enum"]]
                )
            if set(target.get("properties", {})) == _PAGE_FIELDS:
                page = self.shape(target["properties"]["items"])
                page.is_list, page.is_page = False, True
                return page
            if name not in self.linked:
                self.linked.append(name)
            return Shape(label=target.get("title", name), link=f"typ-{slugify(name)}")
        if "anyOf" in node:
            options = [option for option in node["anyOf"] if option.get("type") != "null"]
            if len(options) == 1:
                shape = self.shape(options[0])
            else:
                parts = [self.shape(option) for option in options]
                shape = Shape(label=" | ".join(part.label for part in parts))
            shape.nullable = len(options) < len(node["anyOf"])
            shape.notes = _limits(node) + shape.notes
            return shape
        if node.get("type") == "array":
            inner = self.shape(node.get("items", {}))
            inner.is_list = True
            inner.notes += _limits(node)
            return inner
        label = str(node.get("type", "any"))
        if node.get("format"):
            label += f" ({node['format']})"
        values = [_show(v) for v in node.get("enum", [])]
        if "const" in node:
            values = [_show(node["const"])]
        return Shape(label=label, values=values, notes=_limits(node))

    def fields(self, node: dict[str, Any]) -> list[FieldDoc]:
        if "$ref" in node:
            node = self.components.get(node["$ref"].rsplit("/", 1)[-1], {})
        required = set(node.get("required", []))
        return [
            FieldDoc(
                name=name,
                shape=self.shape(prop),
                required=name in required,
                description=text_of(prop.get("description")),
            )
            for name, prop in node.get("properties", {}).items()
        ]

    def operation(self, path: str, method: str, details: dict[str, Any]) -> OperationDoc:
        where = {"query": _("query"), "path": _("path"), "header": _("header")}
        parameters = [
            FieldDoc(
                name=parameter["name"],
                where=where.get(parameter["in"], parameter["in"]),
                shape=self.shape(parameter.get("schema", {})),
                required=bool(parameter.get("required")),
                description=text_of(parameter.get("description")),
            )
            for parameter in details.get("parameters", [])
        ]
        for parameter in parameters:
            # An optional parameter is left out, never sent as null.
            parameter.shape.nullable = False
        body_type, body_shape, body_fields = "", None, []
        for content_type, body in details.get("requestBody", {}).get("content", {}).items():
            body_type = content_type
            body_shape = self.shape(body.get("schema", {}))
            body_fields = self.fields(body.get("schema", {}))
        responses: list[ResponseDoc] = []
        problems = False
        for status, answer in details.get("responses", {}).items():
            content: dict[str, Any] = answer.get("content", {})
            first: dict[str, Any] = next(iter(content.values()), {})
            schema: dict[str, Any] = first.get("schema", {})
            if schema.get("$ref", "").endswith("/Problem"):
                problems = True
                continue
            responses.append(
                ResponseDoc(
                    status=status,
                    description=text_of(answer.get("description")),
                    content_type=next(iter(content), ""),
                    shape=self.shape(schema) if schema else None,
                )
            )
        if problems:
            self.shape({"$ref": "#/components/schemas/Problem"})
        kind = self.callers.get(details.get("operationId", ""))
        if kind is None:  # not found among the operations: judge by the schema alone
            kind = "signed_in" if details.get("security") else "public"
        return OperationDoc(
            anchor=_anchor(method, path),
            method=method.upper(),
            path=path,
            summary=text_of(details.get("summary")),
            description=text_of(details.get("description")),
            callers=_caller_text(kind),
            parameters=parameters,
            body_content_type=body_type,
            body_shape=body_shape,
            body_fields=body_fields,
            responses=sorted(responses, key=lambda response: response.status),
            problems=problems,
        )

    def tags(self) -> list[TagDoc]:
        groups: dict[str, list[OperationDoc]] = {}
        for path, methods in self.schema.get("paths", {}).items():
            for method, details in methods.items():
                for tag in details.get("tags") or [_("Other")]:
                    groups.setdefault(tag, []).append(self.operation(path, method, details))
        return [
            TagDoc(name=name, anchor=f"bereich-{slugify(name)}", operations=operations)
            for name, operations in groups.items()
        ]

    def types(self) -> list[TypeDoc]:
        """Every data type the operations use, and the ones those use in turn."""
        done: list[TypeDoc] = []
        index = 0
        while index < len(self.linked):  # fields() may link further types
            name = self.linked[index]
            index += 1
            node = self.components.get(name, {})
            done.append(
                TypeDoc(
                    anchor=f"typ-{slugify(name)}",
                    title=node.get("title", name),
                    description=text_of(node.get("description")),
                    fields=self.fields(node),
                    values=[_show(v) for v in node.get("enum", [])],
                )
            )
        return sorted(done, key=lambda doc: doc.title.lower())


def rate_text(text: str) -> str:
    number, _slash, period = text.partition("/")
    per = {
        "s": _("%(number)s calls a second"),
        "m": _("%(number)s calls a minute"),
        "h": _("%(number)s calls an hour"),
        "d": _("%(number)s calls a day"),
    }.get(period[:1], "%(number)s/" + period)
    return per % {"number": number}


@functools.cache
def schema_and_fingerprint() -> tuple[dict[str, Any], str]:
    """The schema and a short fingerprint of it. Generating it takes a good
    second; it only changes with the code, so once per process is enough."""
    schema = api.get_openapi_schema()
    fingerprint = hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]
    return schema, fingerprint
