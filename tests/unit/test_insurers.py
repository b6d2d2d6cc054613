"""The UZOVI reference table (R2 unknown insurer, R6 / legal-nl.md §6 VGZ-group materials)."""

import dataclasses
from datetime import date

import pytest

from billing_core.declarations.rules import insurers
from billing_core.declarations.rules.insurers import Group, Insurer


@pytest.mark.parametrize(
    "uzovi, name, group",
    [
        ("3311", "Zilveren Kruis", Group.ACHMEA),
        ("7095", "VGZ", Group.VGZ),
        ("0101", "Univé", Group.VGZ),
        ("3343", "ONVZ", Group.ONVZ),
        ("7029", "DSW", Group.DSW),
    ],
)
def test_lookup_finds_a_listed_insurer(uzovi, name, group):
    # Given a code in the table / When it is looked up / Then its name and group come back
    insurer = insurers.lookup(uzovi)
    assert insurer == Insurer(uzovi, name, group, insurer.labels)
    assert insurers.is_known(uzovi)


@pytest.mark.parametrize("uzovi", ["9999", "", "101", "33110", " 3311", "abcd"])
def test_unknown_or_malformed_codes_are_not_known(uzovi):
    # Given a code that is not exactly a listed 4-digit code / Then it is unknown
    assert insurers.lookup(uzovi) is None
    assert not insurers.is_known(uzovi)
    assert not insurers.is_vgz_group(uzovi)


@pytest.mark.parametrize(
    "uzovi, vgz_group",
    [
        ("7095", True),  # VGZ
        ("0101", True),  # Univé
        ("3334", True),  # IZA
        ("3361", True),  # Zekur
        ("0736", True),  # UMC
        ("3311", False),  # Zilveren Kruis (Achmea)
        ("3332", False),  # Menzis
        ("7029", False),  # DSW
    ],
)
def test_vgz_group_labels_take_materials_first(uzovi, vgz_group):
    # legal-nl.md §6: materials of VGZ-group labels go to the insurer first.
    assert insurers.is_vgz_group(uzovi) is vgz_group


def test_the_table_is_well_formed():
    codes = [insurer.uzovi for insurer in insurers.all_insurers()]
    assert len(codes) == len(set(codes)), "a UZOVI code is listed twice"
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    listed_names = {insurer.name for insurer in insurers.all_insurers()}
    assert not listed_names & {label for label, _ in insurers.NOT_YET_LISTED}


def test_the_table_says_where_it_comes_from_and_since_when():
    # The codes must be checked against the Vektis register before production.
    assert "Vektis UZOVI register" in " ".join((insurers.__doc__ or "").split())
    assert insurers.TABLE_VERSION
    assert date(2026, 1, 1) == insurers.VALID_FROM


def test_an_insurer_cannot_be_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        insurers.lookup("3311").name = "Other"  # type: ignore[misc,union-attr]
