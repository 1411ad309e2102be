"""A Schemathesis check of our own, loaded by tests/api/test_openapi.py (SCHEMATHESIS_HOOKS).

schemathesis.toml lets a schema-valid request be answered 422 when a body breaks a rule no JSON
Schema states (a consultation that closes before it opens, a CSV with an unknown column). That
must not hide the disagreement the document exists to prevent: the server's own checks of a
request's *shape* — its JSON Schema validation, its query parameters, its headers, the body's
syntax — refusing something the document allows. Those refusals carry their own problem types, so
any of them in answer to a schema-valid request is a failure here; and an operation without a body
has no rule to break beyond its parameters, so a 422 there is a failure too.
"""
from __future__ import annotations

import json

import schemathesis

# Problem types (urn:townhall:problem:…) the server gives when a request's shape is wrong.
SHAPE_PROBLEMS = {
    "schema-violation",
    "invalid-query",
    "invalid-path",
    "invalid-header",
    "invalid-json",
    "invalid-utf8",
    "unsupported-media-type",
    "body-too-large",
    "invalid-idempotency-key",
    "invalid-language-tag",
    "invalid-if-match",
}


@schemathesis.check
def server_and_document_agree_on_shape(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code < 400 or response.status_code >= 500:
        return None
    kind = ""
    if response.headers.get("content-type", [""])[0].startswith("application/problem+json"):
        try:
            kind = json.loads(response.content).get("type", "")
        except ValueError:
            kind = ""
    kind = kind.removeprefix("urn:townhall:problem:")
    if kind in SHAPE_PROBLEMS:
        raise AssertionError(
            f"The document allows this request but the server refused its shape ({response.status_code} {kind}): "
            f"{response.content[:300]!r}")
    if response.status_code == 422 and len(case.operation.body) == 0:
        raise AssertionError(f"422 for a request without a body that the document allows: {response.content[:300]!r}")
    return None
