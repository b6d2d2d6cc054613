"""The portal's forms, sent wrong as only a hand-made form can be: each answers on its
own page, in the reader's language, naming every field that is wrong by its own label,
and stores nothing (R35, R32, R23, WCAG 3.3.1; audit portal7's leftovers, portal8).
"""

from __future__ import annotations

import re
import uuid
from html import unescape
from http import HTTPStatus

import pytest

from local.seed import DENTAL
from tests.functional.form_fields import form_fields, marked_invalid
from tests.functional.test_provider_portal import (
    VALID_FORMS,
    PortalUser,
    sample_login,
    stop_form,
)


def as_multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A form of enctype multipart/form-data as a browser sends it, without a file part."""
    boundary = f"----WebKitFormBoundary{uuid.uuid4().hex[:16]}"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    return parts + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def error_of(html: str) -> str:
    """The page's error (base.html.j2 #error), as a reader hears it."""
    return unescape(" ".join(re.search(r'id="error"[^>]*>(.*?)</', html, re.S)[1].split()))


def signed_in(sandbox, role: str, language: str) -> PortalUser:
    user = PortalUser(sandbox)
    user.sign_in(sample_login(DENTAL, role))
    user.request("GET", f"/portal/taal/{language}")
    return user


def uploads(sandbox) -> list[str]:
    records, _ = sandbox.runtime.repository.list_declarations(DENTAL.provider_id)
    return [r.file_name for r in records]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "kies eerst een bestand om te uploaden. Er is niets opgeslagen."),
        ("en", "choose a file to upload first. Nothing was stored."),
    ],
)
def test_r35_an_upload_form_without_a_file_is_answered_on_the_form_and_stores_nothing(
    sandbox, language, said
):
    """R35 ("upload a file and read its report"), R1, WCAG 3.3.1 (audit portal7): given the
    upload form sent without its file (the field is required: a form made by hand), when
    it arrives, then the declarations page answers 400 with why, in the reader's language,
    the file field marked invalid, described by the error and focused, and no upload is
    registered (it made a rejected upload named "declaratie.csv")."""
    staff = signed_in(sandbox, "staff", language)
    before = uploads(sandbox)
    _, html = staff.page("/portal/declaraties")
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    body, content_type = as_multipart(hidden)
    status, headers, html = staff.request("POST", "/portal/declaraties", body, content_type)
    assert (status, headers.get("Location")) == (HTTPStatus.BAD_REQUEST, None)
    assert said in error_of(html)
    assert marked_invalid(html) == {"file"}
    field = form_fields(html)["file"]
    assert field["aria-describedby"] == "file-hint error" and "autofocus" in field
    assert uploads(sandbox) == before


def test_r32_a_viewers_upload_form_without_a_file_is_still_forbidden(sandbox):
    """R32: the missing file is not checked before the role: a viewer's forged upload
    form is refused 403, as with a file."""
    viewer = signed_in(sandbox, "viewer", "nl")
    csrf = viewer.csrf()
    body, content_type = as_multipart({"csrf": csrf, "form_key": f"made-up-{uuid.uuid4().hex}"})
    status, _, _ = viewer.request("POST", "/portal/declaraties", body, content_type)
    assert status == HTTPStatus.FORBIDDEN
