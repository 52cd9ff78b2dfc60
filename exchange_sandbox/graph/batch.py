"""JSON $batch: up to 20 requests in one, each answered in its own response (its own status,
headers and body), run in order as Graph may run them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .routes import route
from .wire import GraphError, GraphRequest, GraphResponse, bad_request, json_response

MAX_REQUESTS = 20


@route("POST", "/\\$batch")
def batch(request: GraphRequest) -> GraphResponse:
    entries = request.json().get("requests")
    if not isinstance(entries, list) or not entries:
        raise bad_request("Invalid batch payload format.", "BadRequest")
    if len(entries) > MAX_REQUESTS:
        raise bad_request(f"The number of batch requests exceeds the limit of {MAX_REQUESTS}.")
    return json_response({"responses": [_one(request, entry) for entry in entries]})


def _one(request: GraphRequest, entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict) or "id" not in entry or "url" not in entry:
        raise bad_request("Each batch request needs an id, a method and a url.")
    url = urlsplit(str(entry["url"]))
    headers = {k.lower(): str(v) for k, v in (entry.get("headers") or {}).items()}
    headers["authorization"] = request.headers.get("authorization", "")
    body = entry.get("body")
    raw = json.dumps(body).encode() if body is not None else b""
    if body is not None:
        headers.setdefault("content-type", "application/json")
    path = "/" + unquote(url.path).lstrip("/")
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    fault = request.faults.take_for("batch", "$batch") if request.faults else None
    if fault is not None:
        code = {429: "TooManyRequests", 503: "serviceNotAvailable"}.get(fault.status)
        return {
            "id": entry["id"],
            "status": fault.status,
            "headers": {"Content-Type": "application/json"},
            "body": {"error": {"code": code or "generalException", "message": fault.reason}},
        }
    try:
        answer = request.dispatch(
            str(entry.get("method", "GET")).upper(), path, query, raw, headers
        )
    except GraphError as error:
        error_json = {"error": {"code": error.code, "message": error.message}}
        return {
            "id": entry["id"],
            "status": error.status,
            "headers": dict(error.headers),
            "body": error_json,
        }
    result: dict[str, Any] = {"id": entry["id"], "status": answer.status, "headers": {}}
    if answer.body:
        result["headers"]["Content-Type"] = answer.content_type
        result["body"] = (
            json.loads(answer.body)
            if answer.content_type.startswith("application/json")
            else answer.body.decode("utf-8", "replace")
        )
    return result
