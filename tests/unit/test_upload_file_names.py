"""The name a practice gave its uploaded file, as its upload list, report and portal show
it (R1, R35, R40: names with accents as practices write them; R29: in no key or URL)."""

from __future__ import annotations

import unicodedata

import pytest

from billing_core.services.provider.declarations import safe_file_name

NAMES = [
    # as the practice's computer names the file -> as the list and the report show it
    ("Declaraties patiënten (2).csv", "Declaraties patiënten (2).csv"),
    ("Çelik Ünal Øberg.csv", "Çelik Ünal Øberg.csv"),
    ("’s-Hertogenbosch week 47.csv", "’s-Hertogenbosch week 47.csv"),
    # a Mac's name: "é" as "e" and a combining accent
    (unicodedata.normalize("NFD", "Déclaraties.csv"), "Déclaraties.csv"),
    ("VGZ retour  nov.pm305", "VGZ retour nov.pm305"),
    # no folder, no control or format character, no quote
    ("C:\\Users\\balie\\Bureaublad\\nov.csv", "nov.csv"),
    ("../../etc/passwd", "passwd"),
    ("fysio\u202evsc.csv", "fysio_vsc.csv"),
    ('week\t"47".csv', "week_47_.csv"),
    ("....", "declaration.csv"),
]


@pytest.mark.parametrize("given, shown", NAMES, ids=[shown for _, shown in NAMES])
def test_the_files_name_keeps_its_letters_and_loses_its_folder(given: str, shown: str) -> None:
    """Given a file name as a practice's computer writes it
    When the practice asks for an upload URL for it
    Then its upload is listed under that name, accents, spaces and brackets kept (it was
    "Declaraties_pati_nten_2_.csv", "elik_nal_berg.csv"); a folder, a control or format
    character and a quote are not kept."""
    assert safe_file_name(given) == shown
