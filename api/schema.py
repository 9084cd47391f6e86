"""The OpenAPI schema's shared parts: every operation may answer 401 (no or refused credentials),
403 (not allowed, or a read-only token writing), 404 (not found, or not yours to see) and 429
(rate limit), and a write 400 (invalid input); each as a JSON error."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
VALIDATION_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "401": "No token or session, or the token is not valid, has expired or was revoked.",
    "403": "You may see this but not do this (a read-only token writing, for example).",
    "404": "Not found, or not yours to see.",
    "429": "Too many requests with this token: wait and try again.",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    result["components"]["schemas"]["ValidationErrors"] = VALIDATION_SCHEMA
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            errors = dict(ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors["400"] = "The input is not valid: each field's messages."
            for code, description in errors.items():
                ref = "ValidationErrors" if code == "400" else "Error"
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
                    },
                )
    return result


# --- how requests authenticate, for the schema's security schemes ---------------------------------
from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "cg_<prefix>_<secret>"}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
