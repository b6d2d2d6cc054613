"""`make demo` names the folder it wrote as a newcomer finds it (stop 45, newcomer4: it
printed "What patients and the print shop receive: /tmp/nc4/out/", the checkout's
absolute path on the machine)."""

from __future__ import annotations

from pathlib import Path

from local.demo import shown


def test_the_demo_names_its_out_folder_relative_to_where_it_runs(tmp_path, monkeypatch):
    """Given `make demo` run in a checkout, writing to its out/ folder
    When the demo names that folder
    Then it says out, not the machine's path to the checkout."""
    monkeypatch.chdir(tmp_path)

    assert str(shown(tmp_path / "out")) == "out"


def test_a_folder_chosen_elsewhere_is_named_as_chosen(tmp_path, monkeypatch):
    """Given DEMO_OUT chosen outside the folder the demo runs in
    When the demo names it
    Then it is named as chosen (the person chose that path)."""
    monkeypatch.chdir(tmp_path)
    elsewhere = Path("/") / "srv" / "demo-out"

    assert shown(elsewhere) == elsewhere
