"""An upload whose URL ran out without a file is shown expired (R1, R38)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from billing_core.declarations.record import (
    LATE_UPLOAD_MARGIN,
    DeclarationRecord,
    DeclarationStatus,
)
from billing_core.shared.clock import AMSTERDAM

ASKED = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)
URL_LIFETIME = timedelta(minutes=15)


def _upload(status: DeclarationStatus) -> DeclarationRecord:
    return DeclarationRecord("p", "20261123090000-abcd", "a.csv", status, ASKED)


@pytest.mark.parametrize(
    ("after", "shown"),
    [
        (URL_LIFETIME + LATE_UPLOAD_MARGIN, DeclarationStatus.AWAITING_UPLOAD),
        (URL_LIFETIME + LATE_UPLOAD_MARGIN + timedelta(seconds=1), DeclarationStatus.EXPIRED),
    ],
)
def test_an_unused_upload_is_awaited_until_its_url_and_a_late_uploads_margin_ran_out(after, shown):
    # Given an upload URL asked at 09:00 and no file received
    upload = _upload(DeclarationStatus.AWAITING_UPLOAD)
    # When the practice looks ``after`` later / Then it is awaited, then shown expired
    assert upload.as_shown(ASKED + after, URL_LIFETIME).status is shown


@pytest.mark.parametrize(
    "status",
    [DeclarationStatus.PROCESSING, DeclarationStatus.PROCESSED, DeclarationStatus.REJECTED],
)
def test_an_upload_that_got_its_file_is_never_shown_expired(status):
    # Given an upload whose file came / When looked at a day later / Then as it is
    upload = _upload(status)
    assert upload.as_shown(ASKED + timedelta(days=1), URL_LIFETIME) == upload
