"""A multipart/form-data body read as RFC 7578 says a form sends it, and only so (R29,
R38; audit security5 SEC5-1, SEC5-2): the checker's objection form and the portal's forms
and upload reach ``entrypoints.web.forms.multipart_form`` before anyone is known, so a
body made to be expensive must cost no more than its size."""

from __future__ import annotations

import time

from billing_core.entrypoints.web.forms import MAX_PARTS, multipart_form

BOUNDARY = "----WebKitFormBoundaryx9XqT7Jm1ZfYq2aB"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def part(name: str, value: bytes, extra: str = "", content_type: str = "") -> bytes:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n'
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + value + b"\r\n"


END = f"--{BOUNDARY}--\r\n".encode()


def nested(levels: int) -> tuple[str, bytes]:
    """``levels`` multipart/mixed parts each inside the one before."""
    body = b"".join(
        f"--{i}\r\nContent-Type: multipart/mixed;boundary={i + 1}\r\n\r\n".encode()
        for i in range(levels)
    )
    return "multipart/form-data; boundary=0", body


def test_a_form_as_a_browser_posts_it_is_read_field_by_field_and_file_as_sent():
    """Given the body Chromium posts for the portal's upload form (a token, a file whose
    bytes hold CRLFs, a ';', Windows-1252 bytes and a line like a boundary's start) and the
    checker's objection (Arabic over several lines, CRLF)
    When it is read
    Then each field is its text and the file its name and exact bytes."""
    csv = b"kenmerk;naam\r\n1;Caf\xe9\r\n--not-the-boundary\r\n"
    arabic = "اعتراض\r\nعلى المبلغ"
    body = (
        part("csrf", b"tok-1")
        + part("file", csv, '; filename="week 48 – fysio.csv"', "text/csv")
        + part("message", arabic.encode())
        + part("empty", b"")
        + END
    )

    form, files = multipart_form(CONTENT_TYPE, body)

    assert form == {"csrf": "tok-1", "message": arabic, "empty": ""}
    assert files == {"file": ("week 48 – fysio.csv", csv)}


def test_the_forms_odd_shapes_are_read_as_rfc_7578_says():
    """Given a quoted boundary, a file input left empty (filename=""), a part without a
    name, a field sent twice, a file name with backslashes (sent as they are, the HTML
    standard), bare LF line ends and a body cut
    off before its close delimiter
    When each is read
    Then the empty file is a file of no bytes, the nameless part is skipped, the last value
    of a field counts, the last part runs to the body's end, and the rest read as sent."""
    quoted = f'multipart/form-data; boundary="{BOUNDARY}"'
    nameless = f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n".encode()
    body = (
        part("file", b"", '; filename=""')
        + nameless
        + part("a", b"1")
        + part("a", b"2")
        + part("upload", b"3", '; filename="C:\\fakepath\\week.csv"')
    )
    assert multipart_form(quoted, body + END) == (
        {"a": "2"},
        {"file": ("", b""), "upload": ("C:\\fakepath\\week.csv", b"3")},
    )
    unclosed = multipart_form(CONTENT_TYPE, body.removesuffix(b"\r\n"))
    assert unclosed == multipart_form(quoted, body + END)
    lf_only = (part("a", b"1") + END).replace(b"\r\n", b"\n")
    assert multipart_form(CONTENT_TYPE, lf_only) == ({"a": "1"}, {})


def test_a_body_without_a_usable_boundary_has_no_fields():
    """Given a multipart Content-Type without a boundary, an empty one, one over RFC 2046's
    70 characters, or a body whose delimiters are another boundary
    When read
    Then no field (the form is then refused as incomplete), and no error."""
    body = part("a", b"1") + END
    for content_type in (
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=" + "b" * 71,
        "multipart/form-data; boundary=other",
    ):
        assert multipart_form(content_type, body) == ({}, {})


def test_sec5_1_a_thousand_nested_parts_are_one_field_of_text_not_a_recursion():
    """R29, R38 (audit security5 SEC5-1). Given a body of 1,000 multipart/mixed parts each
    nested in the one before (52 KB: within what the checker's 413 page reads, far within
    the portal's upload form's 4 MB), sent before anyone is known
    When it is read
    Then nothing nests: no field (the parts have no form-data name), no RecursionError
    (before: Python's e-mail parser recursed once per level and failed the function,
    500)."""
    content_type, body = nested(1000)
    assert len(body) > 50_000

    assert multipart_form(content_type, body) == ({}, {})


def test_sec5_1_a_nested_part_of_a_named_field_is_its_text():
    """Given a form field whose part says it is multipart/mixed
    When read
    Then its content is the field's text as sent (before: the e-mail parser took it apart
    and the field was empty)."""
    inner = b"--in\r\n\r\nx\r\n--in--"
    body = part("message", inner, content_type="multipart/mixed; boundary=in") + END
    assert multipart_form(CONTENT_TYPE, body) == ({"message": inner.decode()}, {})


def test_sec5_2_a_body_of_many_tiny_parts_costs_no_more_than_its_size():
    """R29 (audit security5 SEC5-2). Given 4 MB of empty parts (the portal's upload form
    takes about 4 MB past the WAF; 540 KB of them took 19 s before its session was
    checked) and a 150-level nesting in the checker's 8 KB (1.7 s each, before)
    When read
    Then each takes well under a second, and at most MAX_PARTS parts are read."""
    many = f"--{BOUNDARY}\r\n\r\n\r\n".encode() * 100_000 + END
    tiny = b"".join(part(f"f{i}", b"v") for i in range(MAX_PARTS + 50)) + END
    content_type, deep = nested(150)

    started = time.perf_counter()
    assert multipart_form(CONTENT_TYPE, many) == ({}, {})
    assert multipart_form(content_type, deep) == ({}, {})
    form, _ = multipart_form(CONTENT_TYPE, tiny)

    assert time.perf_counter() - started < 1.0
    assert len(many) > 4_000_000 and len(form) == MAX_PARTS
