"""R39, R3 (parts58b): the key of a finished part's mark (``keys.run_part_key``) is its
run's, so that a rerun of the day or week does its own parts; a part queued before runs
had ids keeps the key its first delivery's mark has."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from billing_core.adapters.dynamo import keys

DAY = date(2026, 11, 30)
PLACE = ["2026-11-23", "prov-1", "PAT-0000007", "INV-1"]
DIGEST = hashlib.sha256(json.dumps(PLACE).encode()).hexdigest()[:32]


def test_a_part_without_a_run_id_keeps_the_key_of_day_and_place() -> None:
    """Given a part's event queued before this deploy (no ``run``)
    When its mark's key is made
    Then it is the one the mark of its first delivery has: function, day, place's hash."""
    key = keys.run_part_key("dunning_run", DAY, PLACE)

    assert key == {"pk": "RUN#parts", "sk": f"dunning_run#2026-11-30#{DIGEST}"}


def test_the_parts_of_two_runs_of_a_day_have_keys_of_their_own() -> None:
    """Given the same day and place in two runs (a rerun of the week)
    When their marks' keys are made
    Then each holds its run's id, and never the place itself (a patient's number)."""
    first = keys.run_part_key("dunning_run", DAY, PLACE, "run-a")
    rerun = keys.run_part_key("dunning_run", DAY, PLACE, "run-b")

    assert first["sk"] == f"dunning_run#2026-11-30#run-a#{DIGEST}"
    assert rerun["sk"] == f"dunning_run#2026-11-30#run-b#{DIGEST}"
    assert "PAT-0000007" not in first["sk"]
