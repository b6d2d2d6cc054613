"""A betalingskenmerk block is reserved per object version and never handed out twice
(issue 13 item 1, R10); another version of an upload is reported, not processed."""

from __future__ import annotations

from datetime import datetime

import pytest

from billing_core.declarations.record import DeclarationRecord, DeclarationStatus
from billing_core.declarations.reports import OtherVersionIgnored
from billing_core.declarations.upload import IngestContext, with_reference_block
from billing_core.shared.clock import AMSTERDAM, FixedClock
from tests.unit.fake_store import FakeQueue, FakeStore, FilesInMemory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def ctx() -> IngestContext:
    return IngestContext(FakeStore(), FilesInMemory(), FakeQueue(), FixedClock(NOW), b"k" * 32)


def started(version: str) -> DeclarationRecord:
    return DeclarationRecord(
        "tandarts-de-vries",
        "D1",
        "week-47.csv",
        DeclarationStatus.PROCESSING,
        NOW,
        object_version=version,
    )


def test_a_retry_of_the_same_version_gets_the_same_block(ctx):
    first = with_reference_block(started("v1"), 5, ctx)
    again = with_reference_block(first, 5, ctx)
    assert (again.reference_block_start, again.reference_block_size) == (0, 5)
    assert ctx.store.next_reference == 5  # nothing reserved twice


def test_another_version_never_gets_the_first_versions_block(ctx):
    # Given version 1's block of 5
    first = with_reference_block(started("v1"), 5, ctx)
    # When a record of version 2 (were it ever started) asks for a block
    second = with_reference_block(first.with_status(first.status, object_version="v2"), 3, ctx)
    # Then it gets fresh numbers, bound to its own version
    assert second.reference_block_start == 5 and second.reference_block_version == "v2"


def test_a_run_that_needs_more_gets_fresh_numbers_instead_of_failing(ctx):
    """Before issue 13 a larger second file raised RuntimeError on every retry and left
    the upload "processing" for ever."""
    first = with_reference_block(started("v1"), 2, ctx)
    larger = with_reference_block(first, 7, ctx)
    assert (larger.reference_block_start, larger.reference_block_size) == (2, 7)


def test_an_ignored_version_is_an_error_line_and_a_metric_without_the_file_name():
    entry = OtherVersionIgnored("D1", "tandarts-de-vries").log_entry()
    assert entry.error and entry.counts == {"UploadVersionsIgnored": 1}
    assert entry.fields == {"declaration_id": "D1", "provider_id": "tandarts-de-vries"}
