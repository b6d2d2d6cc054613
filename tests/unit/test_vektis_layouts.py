"""The Vektis EI layouts are data (vektis.md §2-§4): tables that check themselves, shared
by reader and writer; the sample files are what the writer makes of the CSV samples."""

from __future__ import annotations

import pytest

from billing_core.declarations.vektis.layout import FieldType, RecordType, record
from billing_core.declarations.vektis.layouts import (
    MZ301_V13,
    MZ302_V13,
    PM304_V32,
    PM305_V32,
    SB311_BY_VERSION,
    STANDARDS,
)
from billing_core.declarations.vektis.writer import format_value
from local import vektis_samples


def test_a_table_with_a_gap_or_overlap_fails_when_it_is_built():
    # Given a layout whose second field starts one position late
    rows = [("1", "a", "A", 1, 2, FieldType.N, True), ("2", "b", "B", 4, 7, FieldType.AN, False)]
    # Then building it fails at import time, not on a provider's file
    with pytest.raises(ValueError, match="at 4, not 3"):
        record(RecordType.HEADER, "x", "x", 10, rows)
    with pytest.raises(ValueError, match="end at 9, not 10"):
        record(
            RecordType.HEADER, "x", "x", 10, [rows[0], ("2", "b", "B", 3, 7, FieldType.AN, False)]
        )


@pytest.mark.parametrize("standard", list(STANDARDS.values()), ids=lambda s: s.label)
def test_every_record_of_a_standard_has_its_record_length(standard):
    for layout in (*standard.records.values(), *standard.debtor_records.values()):
        assert layout.fields[-1].end == standard.record_length == layout.length


@pytest.mark.parametrize("retour, declaration", [(PM305_V32, PM304_V32), (MZ302_V13, MZ301_V13)])
def test_a_retour_record_copies_positions_1_to_310_of_the_declaration(retour, declaration):
    # vektis.md §1: the insurer copies the declaration and adds its fields after 310
    for kind, layout in retour.records.items():
        if kind is RecordType.TRAILER:
            continue  # the insurer's own 99 (next test)
        copied = [f for f in layout.fields if f.end <= 310]
        assert copied == list(declaration.records[kind].fields), kind
        assert retour.record_length == 370


@pytest.mark.parametrize("retour", [PM305_V32, MZ302_V13], ids=lambda s: s.label)
def test_a_retour_trailer_has_the_granted_total_at_46_to_57(retour):
    # Official MZ302 v1.3 sheet (real PM305 files agree): counts and submitted total as in
    # the declaration's 99 (1-45), then TOTAAL TOEGEKEND BEDRAG at 46-56 and its D/C at 57
    trailer = retour.records[RecordType.TRAILER]
    assert [(f.key, f.start, f.end) for f in trailer.fields if f.start >= 34] == [
        ("total_amount", 34, 44),
        ("total_dc", 45, 45),
        ("granted_total", 46, 56),
        ("granted_total_dc", 57, 57),
        ("retour_reserve", 58, 370),
    ]


@pytest.mark.parametrize("retour", [PM305_V32, MZ302_V13], ids=lambda s: s.label)
def test_a_retour_has_three_retourcodes_at_every_level(retour):
    # MZ302 v1.3: 01 343-354 (the file), 02/98 311-322, 04 329-340 (the line)
    levels = ("01", "02", "04", "98")
    starts = {
        kind: [retour.records[RecordType(kind)].field(f"retour_code_{n}").start for n in (1, 2, 3)]
        for kind in levels
    }
    assert starts == {
        "01": [343, 347, 351],
        "02": [311, 315, 319],
        "04": [329, 333, 337],
        "98": [311, 315, 319],
    }


def test_the_sb311_versions_share_the_first_209_positions_of_the_mz301_debtor_record():
    own = MZ301_V13.debtor_records["  "]
    for layout in SB311_BY_VERSION.values():
        assert [f for f in layout.fields if f.end <= 209] == [f for f in own.fields if f.end <= 209]
    assert SB311_BY_VERSION["02"].field("invoice_form").start == 308
    assert SB311_BY_VERSION["01"].field("email").length == 50 and own.field("email").length == 70


def test_pm304_has_no_deceased_flag_and_mz301_has():
    # vektis.md §3 (unsure): position 181 is RESERVE in PM304 v3.2
    assert MZ301_V13.records[RecordType.INSURED].has("deceased")
    assert not PM304_V32.records[RecordType.INSURED].has("deceased")


def test_mandatory_fields_follow_the_sheet():
    treatment = MZ301_V13.records[RecordType.TREATMENT]
    assert {"line_reference", "amount", "dc", "treatment_date"} <= {
        *treatment.mandatory_numeric,
        *treatment.mandatory_text,
    }
    assert "previous_reference" not in treatment.mandatory_text


def test_labels_are_the_element_names_with_where_they_are():
    assert (
        MZ301_V13.records[RecordType.TREATMENT].label("treatment_date")
        == "Datum prestatie (record 04, pos. 59-66)"
    )
    assert (
        MZ301_V13.records[RecordType.INSURED].label("bsn")
        == "Burgerservicenummer (BSN) verzekerde (record 02, pos. 15-23)"
    )


@pytest.mark.parametrize(
    "value, field_type, length, expected",
    [
        (42, FieldType.N, 6, "000042"),
        ("Jansen", FieldType.AN, 8, "Jansen  "),
        (None, FieldType.N, 3, "000"),
        (None, FieldType.AN, 2, "  "),
    ],
)
def test_the_writer_pads_n_with_zeros_and_an_with_spaces(value, field_type, length, expected):
    item = record(
        RecordType.HEADER, "x", "x", length, [("1", "k", "K", 1, length, field_type, True)]
    ).field("k")
    assert format_value(item, value) == expected


@pytest.mark.parametrize(
    "value, field_type",
    [(1234567, FieldType.N), ("A", FieldType.N), ("Jansen-Bakker", FieldType.AN)],
)
def test_the_writer_refuses_what_does_not_fit(value, field_type):
    item = record(RecordType.HEADER, "x", "x", 6, [("1", "k", "K", 1, 6, field_type, True)]).field(
        "k"
    )
    with pytest.raises(ValueError):
        format_value(item, value)


def test_the_checked_in_samples_are_what_the_generator_writes():
    # Given events/declarations/vektis/, written by `python -m local.vektis_samples`
    for name, data in vektis_samples.samples().items():
        # Then each file is current (regenerate after a writer or sample change)
        assert (vektis_samples.SAMPLES / name).read_bytes() == data, name
