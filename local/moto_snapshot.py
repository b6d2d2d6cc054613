"""What moto holds after a sandbox's start, copied, to start the next sandboxes from.

Every functional test starts a sandbox, and every start did the same work through
botocore and moto's HTTP layer: the template's tables (with their indexes, TTL and
stream), buckets, queues and e-mail set-up, then the sample providers' onboarding
(some 120 calls, most of a start's CPU). Starting from the same fresh mock with the same
template, names, moment and providers, they leave the same state: the first start of a
process does that work and ``take``s a copy of every moto backend it left; the next
ones, after their mock's reset, ``restore`` a copy of that copy.

A backend is moto's own object (``DynamoDBBackend``, ``S3Backend``, ...) and holds all
of its service's state for one account and region: a copy of it is what moto would hold
after the same calls. Copies are deep, so nothing one sandbox writes reaches the
snapshot or the next sandbox (each gets its own tables, items, stream shards and
queues). Backends referring to each other (SES v2 to SES) refer to each other's copies.
``tests/functional/test_sandbox_start.py`` compares a restored start with one from
scratch (tables, indexes, TTL, streams, buckets, queues, SES, items, in moto's order),
so a moto upgrade or a template change that a copy would miss fails there.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from moto.core.base_backend import AccountSpecificBackend, BackendDict, BaseBackend

# Locks and conditions cannot be copied (SQS keeps one per queue): each copy gets its own.
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()), threading.Condition)


@dataclass(frozen=True)
class _Saved:
    services: BackendDict[Any]  # moto's backends of one service (``dynamodb_backends``)
    account_id: str
    region: str
    backend: BaseBackend  # a copy, never served: ``restore`` serves copies of it


@dataclass(frozen=True)
class Snapshot:
    saved: tuple[_Saved, ...]

    def restore(self) -> None:
        """Serve a copy of every saved backend, in a mock just reset (``untouched``)."""
        memo: dict[int, Any] = {}
        served = []
        for one in self.saved:
            backend = object.__new__(type(one.backend))
            memo[id(one.backend)] = backend
            served.append((one, backend))
        _keep_shared(memo, {one.services for one in self.saved}, [o.backend for o in self.saved])
        for one, backend in served:
            backend.__dict__ = copy.deepcopy(one.backend.__dict__, memo)
            one.services._create_account_specific_backend(one.account_id)
            regions: AccountSpecificBackend[Any] = dict.__getitem__(one.services, one.account_id)
            dict.__setitem__(regions, one.region, backend)


def untouched() -> bool:
    """True when no moto backend holds anything: a mock just started (and reset)."""
    return not any(services for services in BackendDict._instances)


def take() -> Snapshot:
    """A copy of every backend moto holds now (of every service, account and region)."""
    live = [
        (services, account_id, region, backend)
        for services in BackendDict._instances
        for account_id, region, backend in services.iter_backends()
    ]
    memo: dict[int, Any] = {}
    copies = []
    for services, account_id, region, backend in live:
        saved = object.__new__(type(backend))
        memo[id(backend)] = saved
        copies.append((services, account_id, region, backend, saved))
    _keep_shared(memo, set(BackendDict._instances), [backend for *_, backend in live])
    for _, _, _, backend, saved in copies:
        saved.__dict__ = copy.deepcopy(backend.__dict__, memo)
    return Snapshot(tuple(_Saved(s, a, r, saved) for s, a, r, _, saved in copies))


def _keep_shared(
    memo: dict[int, Any], registries: set[BackendDict[Any]], backends: list[BaseBackend]
) -> None:
    """Prepare ``memo`` for copying ``backends``: moto's registries of backends stay the
    same objects (not copied), and each lock held by a model a backend keeps (a queue's)
    becomes a new lock of its kind."""
    for services in registries:
        memo[id(services)] = services
        for regions in services.values():
            memo[id(regions)] = regions
    for backend in backends:
        for kept in vars(backend).values():
            models = kept.values() if isinstance(kept, dict) else ()
            for model in models:
                for value in getattr(model, "__dict__", {}).values():
                    if isinstance(value, _LOCK_TYPES):
                        memo[id(value)] = _new_lock(value)


def _new_lock(lock: Any) -> Any:
    if isinstance(lock, threading.Condition):
        return threading.Condition()
    return threading.RLock() if isinstance(lock, type(threading.RLock())) else threading.Lock()
