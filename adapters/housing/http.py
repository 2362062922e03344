"""HTTP to Northgate: one pooled httpx.Client, time limits, retries for reads, a circuit breaker.

Reads (GETs and the tenancy verify POST) are retried with back-off, but a whole read, retries
included, never takes longer than `timeout_seconds`: a tenant's page waits at most that long
for the backend. Writes get one attempt: repeating a POST on this wire can make a second job,
so the callers decide how to recover (see NorthgateBackend.raise_repair).

Logs carry the method, the path (job numbers, tenancy refs) and the outcome; never a request
or response body, which may hold names, dates of birth or phone numbers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from adapters.housing import wire
from adapters.housing.circuit import CircuitBreaker, CircuitOpen
from repairs.ports import BackendRejected, BackendUnavailable

log = logging.getLogger("adapters.housing.northgate")

Json = dict[str, Any]
_SHORTEST_ATTEMPT = 0.05  # seconds: less than this left of the budget is not worth a retry


class _Unavailable(BackendUnavailable):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Call:
    method: str
    path: str  # job numbers and tenancy refs only: safe to log
    params: Mapping[str, Any] | None = None
    body: Json | None = None  # may hold a name or a date of birth: never logged

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


class NorthgateHttp:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout_seconds: float,
        circuit: CircuitBreaker,
        sleep: Callable[[float], None],
        read_retries: int = 2,
        backoff_seconds: float = 0.1,
        transport: httpx.BaseTransport | None = None,
        max_connections: int = 20,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if timeout_seconds <= 0 or read_retries < 0 or backoff_seconds < 0:
            raise ValueError("timeout must be above 0; retries and back-off not negative")
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout_seconds
        self._circuit = circuit
        self._sleep = sleep
        self._retries = read_retries
        self._backoff = backoff_seconds
        self._transport = transport
        self._max_connections = max_connections
        self._monotonic = monotonic
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    def read(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
             body: Json | None = None) -> Json:  # fmt: skip
        """A call that changes nothing: retried on timeouts, 5xx and dropped connections."""
        call = _Call(method, path, params, body)
        deadline = self._monotonic() + self._timeout
        attempts = self._retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt(call, deadline - self._monotonic(), (attempt, attempts))
            except CircuitOpen:
                raise
            except _Unavailable as error:
                pause = self._backoff * 2 ** (attempt - 1)
                left = deadline - self._monotonic() - pause
                if attempt == attempts or left < max(_SHORTEST_ATTEMPT, error.retry_after or 0):
                    raise
                self._sleep(pause)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def write(self, method: str, path: str, *, body: Json | None = None) -> Json:
        """A call that changes something: one attempt, never repeated here."""
        return self._attempt(_Call(method, path, None, body), self._timeout, (1, 1))

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _attempt(self, call: _Call, budget: float, attempt: tuple[int, int]) -> Json:
        self._circuit.before_call()
        started = self._monotonic()
        try:
            response = self._http().request(
                call.method, self._base_url + call.path, params=call.params, json=call.body,
                timeout=_limits(budget),
            )  # fmt: skip
        except httpx.TimeoutException:
            self._failed(call, attempt, f"no answer within {budget:.2f} s")
            raise _Unavailable(f"housing system gave no answer within {budget:.2f} s") from None
        except httpx.TransportError as error:
            self._failed(call, attempt, type(error).__name__)
            why = type(error).__name__
            raise _Unavailable(f"could not reach the housing system: {why}") from None
        except BaseException:
            self._circuit.abandon()
            raise
        elapsed_ms = (self._monotonic() - started) * 1000
        return self._outcome(call, response, attempt, elapsed_ms)

    def _outcome(self, call: _Call, response: httpx.Response, attempt: tuple[int, int],
                 elapsed_ms: float) -> Json:  # fmt: skip
        status = response.status_code
        error = wire.error_for(response) if status >= 400 else None
        if isinstance(error, BackendUnavailable):
            self._failed(call, attempt, f"HTTP {status}")
            raise _Unavailable(str(error), _retry_after(response)) from None
        self._circuit.record_success()
        log.debug("northgate %s %s -> %s in %.0f ms", call.method, call.path, status, elapsed_ms)
        if error is not None:
            log.warning("northgate %s %s refused: HTTP %s", call.method, call.path, status)
            raise error
        try:
            decoded = response.json()
        except ValueError:
            decoded = None
        if not isinstance(decoded, dict):
            raise BackendRejected(f"housing system answered {call} with no JSON object")
        return decoded

    def _failed(self, call: _Call, attempt: tuple[int, int], why: str) -> None:
        self._circuit.record_failure()
        log.warning("northgate %s failed (attempt %d of %d): %s", call, *attempt, why)

    def _http(self) -> httpx.Client:
        # Made on first use: building an SSL context costs milliseconds, and the app factory
        # builds the backend in every test that never calls it.
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(
                    headers={"X-API-Key": self._api_key, "Accept": "application/json"},
                    limits=httpx.Limits(
                        max_connections=self._max_connections,
                        max_keepalive_connections=self._max_connections,
                    ),
                    transport=self._transport,
                    follow_redirects=False,
                )
            return self._client


def _limits(budget: float) -> httpx.Timeout:
    """Explicit connect, read, write and pool limits, each no longer than what is left."""
    seconds = max(budget, 0.001)
    return httpx.Timeout(connect=seconds, read=seconds, write=seconds, pool=seconds)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
