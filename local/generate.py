"""Synthetic declaration files of any size, for the bench and large-file tests.

Fictional people with valid BSNs (11-proof), realistic codes and amounts, about 2.5
lines per patient, the columns of interfaces.md §1a.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

COLUMNS = (
    "claim_ref",
    "patient_ref",
    "bsn",
    "birth_date",
    "initials",
    "name_prefix",
    "last_name",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "country",
    "email",
    "language",
    "insurer_uzovi",
    "treatment_date",
    "treatment_code",
    "description",
    "line_type",
    "quantity",
    "unit_price",
)
_TREATMENTS = (
    ("C11", "Periodieke controle", "23,50"),
    ("C13", "Probleemgericht consult", "25,17"),
    ("V21", "Eenvlaksvulling amalgaam/composiet", "51,30"),
    ("X10", "Kleine röntgenfoto", "17,54"),
    ("M03", "Gebitsreiniging per 5 minuten", "14,37"),
)
_LAST_NAMES = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos")
_INSURERS = ("3311", "7095", "3332", "7029", "3343", "9018")


def valid_bsn(number: int) -> str:
    """The n-th 9-digit number that passes the 11-proof (skipping remainders of 10)."""
    while True:
        digits = f"{100_000_000 + number * 10:09d}"[:8]
        check = sum(int(d) * (9 - i) for i, d in enumerate(digits)) % 11
        if check != 10:
            return digits + str(check)
        number += 1


def declaration_csv(lines: int, *, seed: int = 47, today: date = date(2026, 11, 23)) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    patient = 0
    written = 0
    while written < lines:
        patient += 1
        for _ in range(min(rng.choice((1, 2, 2, 3, 4)), lines - written)):
            written += 1
            writer.writerow(_row(rng, patient, written, today))
    return out.getvalue().encode("utf-8")


def _row(rng: random.Random, patient: int, line: int, today: date) -> tuple[str, ...]:
    code, description, price = rng.choice(_TREATMENTS)
    name = _LAST_NAMES[patient % len(_LAST_NAMES)]
    prefix, _, last = name.rpartition(" ")
    on_paper = patient % 5 == 0
    return (
        f"R{line:07d}",
        f"PAT{patient:06d}",
        valid_bsn(patient),
        f"{1950 + patient % 60}-0{1 + patient % 9}-1{patient % 9}",
        "A.B.",
        prefix,
        last,
        "Dorpsstraat",
        str(1 + patient % 200),
        "",
        "3511 AB",
        "Utrecht",
        "NL",
        "" if on_paper else f"patient{patient}@example.org",
        "nl",
        _INSURERS[patient % len(_INSURERS)],
        (today - timedelta(days=1 + line % 40)).isoformat(),
        code,
        description,
        "care",
        "1",
        price,
    )
