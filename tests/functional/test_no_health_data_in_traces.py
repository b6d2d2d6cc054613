"""No health data in X-Ray (issue 13.2, R29): the provider's invoice detail carries the
patient's name, birth date and treatments, and nothing of it may reach a trace, which
lives outside the KMS key and the log retention."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools import Tracer
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from local.generate import declaration_csv
from local.seed import DENTAL


class RecordedSegment(BaseSegment):
    def __init__(self, name: str) -> None:
        self.name = name
        self.annotations: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}
        self.exceptions: list[str] = []

    def close(self, end_time: int | None = None) -> None: ...

    def add_subsegment(self, subsegment: Any) -> None: ...

    def remove_subsegment(self, subsegment: Any) -> None: ...

    def put_annotation(self, key: str, value: Any) -> None:
        self.annotations[key] = value

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        self.metadata[f"{namespace}.{key}"] = value

    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None:
        self.exceptions.append(repr(exception))


class RecordingProvider(BaseProvider):
    """Keeps every subsegment a Tracer opens, as X-Ray would receive it."""

    def __init__(self) -> None:
        self.segments: list[RecordedSegment] = []

    @contextlib.contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Iterator[RecordedSegment]:
        segment = RecordedSegment(name or "")
        self.segments.append(segment)
        yield segment

    def in_subsegment_async(self, name: str | None = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    def put_annotation(self, key: str, value: Any) -> None: ...

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...

    def patch(self, modules: Any) -> None: ...

    def patch_all(self) -> None: ...

    def everything_sent(self) -> str:
        return json.dumps(
            [[s.name, s.annotations, s.metadata, s.exceptions] for s in self.segments],
            default=str,
        )


@pytest.fixture
def xray(sandbox, monkeypatch) -> Iterator[RecordingProvider]:
    """Tracing on, as in Lambda (the sandbox turns it off), into a recording provider;
    without the template's POWERTOOLS_TRACER_CAPTURE_* settings: the code itself must not
    capture."""
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "false")
    monkeypatch.delenv("POWERTOOLS_TRACER_CAPTURE_RESPONSE", raising=False)
    monkeypatch.delenv("POWERTOOLS_TRACER_CAPTURE_ERROR", raising=False)
    monkeypatch.setenv("LAMBDA_TASK_ROOT", "/var/task")
    provider = RecordingProvider()
    Tracer._reset_config()
    Tracer(provider=provider, auto_patch=False)
    try:
        yield provider
    finally:
        Tracer._reset_config()


def test_the_invoice_detail_reaches_the_trace_without_a_personal_field(sandbox, xray):
    # Given an invoice with a patient's name, birth date and treatments
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(3))
    invoice = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)[0][0]
    xray.segments.clear()
    # When the practice reads its detail through the traced provider API
    status, detail = sandbox.api(
        "GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", provider_id=DENTAL.provider_id
    )
    # Then the answer holds them, and the trace was made (the tracer did run) ...
    assert status == 200 and detail["addressee"] and detail["lines"]
    assert len(xray.segments) == 1
    # ... but no subsegment holds any of them
    sent = xray.everything_sent()
    personal = [
        detail["addressee"],
        invoice.addressee.last_name,
        detail["birth_date"],
        invoice.bsn,
        detail["patient_ref"],
        *(line["description"] for line in detail["lines"]),
        *(line["treatment_code"] for line in detail["lines"]),
    ]
    assert [value for value in personal if value in sent] == []


def test_a_refused_request_puts_no_error_text_in_the_trace(sandbox, xray):
    # When a patient's request fails inside the handler (an unhandled error)
    boom = RuntimeError("Jansen, born 1971-03-14")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox.runtime, "patient_context", lambda: (_ for _ in ()).throw(boom))
        with pytest.raises(RuntimeError):
            sandbox.api("GET", "/api/v1/payment-status/12345678901234")
    # Then the trace says an error happened, not what it said
    sent = xray.everything_sent()
    assert "Jansen" not in sent and "1971-03-14" not in sent
