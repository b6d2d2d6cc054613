"""The delivery queue on SQS: one message per invoice to send."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from billing_core.ports import DeliveryRequest

_BATCH = 10  # SendMessageBatch takes at most ten messages


class SqsDeliveryQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self._queue_url = queue_url

    def enqueue(self, requests: Sequence[DeliveryRequest]) -> None:
        for start in range(0, len(requests), _BATCH):
            batch = requests[start : start + _BATCH]
            answer = self._client.send_message_batch(
                QueueUrl=self._queue_url,
                Entries=[
                    {"Id": str(n), "MessageBody": json.dumps(asdict(request))}
                    for n, request in enumerate(batch)
                ],
            )
            if answer.get("Failed"):
                raise RuntimeError(f"{len(answer['Failed'])} delivery messages were not queued")
