"""Graph over HTTP with `requests`: the bearer token on every request, throttling waited out as
Graph asks (429 and 503 with Retry-After), and Graph's errors turned into sync's.

401 stops at once with "sign in again" (SignInNeeded): a token the server refuses will not get
better by retrying. A JSON $batch is answered per request; a throttled request inside it is sent
again after the wait, the others are not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from app.sync.errors import (
    ChangeConflict,
    InvalidSyncState,
    ItemGone,
    MessageTooLarge,
    ServerFailure,
    ServerUnreachable,
    SignInNeeded,
    SyncError,
    check_cancel,
)
from app.sync.graph.tokens import TokenSource
from app.sync.http_environment import settle
from app.sync.retry import RetryBudget, time_left

BATCH_LIMIT = 20
# $batch requests of reads in flight at once: Graph serves four requests at a time per app and
# mailbox and throttles the rest, and a page read ahead (app.sync.read_ahead) may be a fourth.
READS_IN_FLIGHT = 3
_BUSY = (429, 503, 504)


@dataclass(frozen=True)
class GraphFailure:
    """One error answer: its status, Graph's code and message."""

    status: int
    code: str
    message: str

    def as_error(self, gone: type[SyncError] = ItemGone) -> SyncError:
        if self.status == 401:
            return SignInNeeded(self.message)
        if self.status == 404:
            return gone(self.message)
        if self.status == 410 or self.code.lower() == "syncstatenotfound":
            return InvalidSyncState(self.message)
        if self.status == 412 or self.code == "ErrorIrresolvableConflict":
            return ChangeConflict(self.message)
        if self.status == 413 or self.code == "ErrorMessageSizeExceeded":
            return MessageTooLarge(self.message)
        return ServerFailure(f"Microsoft Graph refused the request: {self.code}: {self.message}")


def _failure(status: int, body: Any) -> GraphFailure:
    error = body.get("error", {}) if isinstance(body, dict) else {}
    if not isinstance(error, dict):
        error = {}
    return GraphFailure(status, str(error.get("code", "")), str(error.get("message", "")))


def _retry_after(headers: Any) -> float | None:
    text = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


class GraphClient:
    def __init__(
        self,
        base_url: str,
        tokens: TokenSource,
        budget: RetryBudget,
        timeout: float = 60.0,
        verify: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.budget = budget
        self.timeout = timeout
        self.session = requests.Session()
        self.session.verify = verify
        settle(self.session, self.base_url)

    def close(self) -> None:
        self.session.close()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        gone: type[SyncError] = ItemGone,
    ) -> requests.Response:
        """The answer to one request, after any waits Graph asked for; SyncError otherwise."""
        with self.budget.operation():
            while True:
                check_cancel(self.budget.cancel)
                sent = {"Authorization": f"Bearer {self.tokens.access_token()}"}
                sent.update(headers or {})
                if body is not None:
                    data = json.dumps(body).encode("utf-8")
                    sent["Content-Type"] = "application/json"
                left = time_left()
                timeout = self.timeout if left is None else max(0.1, min(self.timeout, left))
                try:
                    answer = self.session.request(
                        method,
                        self.url(path),
                        params=params,
                        data=data,
                        headers=sent,
                        timeout=timeout,
                    )
                except requests.exceptions.SSLError as error:
                    raise ServerUnreachable(f"TLS with Microsoft Graph failed: {error}") from error
                except requests.exceptions.RequestException as error:
                    # Only what may run twice is sent again: a move or a send whose answer was
                    # lost is left to the outbox, which looks for its client id first.
                    refused = "refused" in str(error).lower()
                    if refused or method not in idempotent_methods(body):
                        raise ServerUnreachable(
                            f"Microsoft Graph is unreachable: {error}"
                        ) from error
                    self.budget.back_off(None, "no answer")
                    continue
                if answer.status_code in _BUSY:
                    self.budget.back_off(_retry_after(answer.headers))
                    continue
                if answer.status_code >= 400:
                    raise _failure(answer.status_code, _json(answer)).as_error(gone)
                return answer

    def get(self, path: str, params: dict[str, str] | None = None, **options: Any) -> Any:
        return _json(self.request("GET", path, params=params, **options))

    def batch(self, entries: Sequence[dict[str, Any]]) -> list[tuple[int, Any]]:
        """(status, body) per entry, in order; 429/503 answers inside are waited out and sent
        again. Reads go up to READS_IN_FLIGHT requests at a time: each answer is its own and
        none changes what another reads, and on a real network a first sync's two reads a
        message are a round trip each twenty. Writes go one request after the other."""
        results: list[tuple[int, Any] | None] = [None] * len(entries)
        chunks = [
            range(start, min(start + BATCH_LIMIT, len(entries)))
            for start in range(0, len(entries), BATCH_LIMIT)
        ]

        def send(numbers: range) -> None:
            self._send_batch({str(n): dict(entries[n], id=str(n)) for n in numbers}, results)

        if len(chunks) > 1 and all(entry.get("method", "GET") == "GET" for entry in entries):
            with ThreadPoolExecutor(READS_IN_FLIGHT, thread_name_prefix="liaison-graph") as pool:
                list(pool.map(send, chunks))  # the first error raised; leaving waits for the rest
        else:
            for numbers in chunks:
                send(numbers)
        return [result if result is not None else (500, None) for result in results]

    def _send_batch(
        self, chunk: dict[str, dict[str, Any]], results: list[tuple[int, Any] | None]
    ) -> None:
        """One $batch request, and again for what Graph answered busy, after its wait."""
        with self.budget.operation():
            while chunk:
                answer = _json(
                    self.request("POST", "/$batch", body={"requests": list(chunk.values())})
                )
                wait: float | None = None
                busy = False
                for response in answer.get("responses", []):
                    status = int(response.get("status", 500))
                    if status in _BUSY:
                        busy = True
                        hint = _retry_after(response.get("headers"))
                        wait = max(wait or 0.0, hint or 0.0) or None
                        continue
                    results[int(response["id"])] = (status, response.get("body"))
                    chunk.pop(str(response["id"]), None)
                if busy:
                    self.budget.back_off(wait)


def batch_failure(status: int, body: Any) -> GraphFailure:
    return _failure(status, body)


def answered(ids: Sequence[str], answers: Sequence[tuple[int, Any]]) -> dict[str, Any]:
    """Each $batch answer by its id; an item not found is left out (it is gone), any other
    failure raised: an item is never read as deleted, nor as unmarked, because Graph failed to
    answer for it."""
    found: dict[str, Any] = {}
    for item_id, (status, body) in zip(ids, answers, strict=True):
        if status == 200:
            found[item_id] = body
        elif status != 404:
            raise batch_failure(status, body).as_error()
    return found


def _json(answer: requests.Response) -> Any:
    if not answer.content:
        return {}
    try:
        return answer.json()
    except ValueError:
        return {}


_IDEMPOTENT = frozenset({"GET", "PATCH", "DELETE", "PUT"})


def idempotent_methods(body: Any) -> frozenset[str]:
    """The methods that may be sent twice; a $batch POST is one when all its requests are."""
    entries = body.get("requests") if isinstance(body, dict) else None
    if isinstance(entries, list) and all(e.get("method", "GET") in _IDEMPOTENT for e in entries):
        return _IDEMPOTENT | {"POST"}
    return _IDEMPOTENT
