"""`make demo` (the README's first command) runs end to end, and what the README says it
shows is what it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A declaration id is its upload time and a random suffix: the one thing a run changes.
DECLARATION_ID = re.compile(r"\d{14}-[0-9a-f]{8}")
# What `make` puts on the path, so the test also runs under a bare `pytest`.
DEMO_PATH = os.pathsep.join((str(ROOT / "layers" / "billing_core"), str(ROOT)))


def readme_demo_lines() -> list[str]:
    """The lines of the code blocks under "What `make demo` shows"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What `make demo` shows", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, re.S)
    return [
        line for block in blocks for line in block.splitlines() if line.strip() not in ("", "...")
    ]


def quoted_out_of_order(quoted: list[str], printed: list[str]) -> list[str]:
    """The quoted lines not printed after the one quoted before them (each once, in turn)."""
    after, wrong = 0, []
    for line in quoted:
        if line in printed[after:]:
            after = printed.index(line, after) + 1
        else:
            wrong.append(line)
    return wrong


def test_the_demo_runs_and_prints_what_the_readme_shows(tmp_path):
    """Given a fresh output folder
    When the whole demo runs (every story on embedded AWS, as `make demo` does)
    Then it ends well, writes e-mails, print batches and reports, every line the
    README quotes from it is in what it printed (declaration ids aside), in the README's
    order (audit newcomer53: the order was not held), and nothing it
    prints is a Python None (a claim at the agency has no pay-by date: "-")."""
    run = subprocess.run(
        [sys.executable, "-m", "local.demo"],
        cwd=ROOT,
        env={**os.environ, "DEMO_OUT": str(tmp_path), "PYTHONPATH": DEMO_PATH},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    printed = DECLARATION_ID.sub("ID", run.stdout).splitlines()
    quoted = [DECLARATION_ID.sub("ID", line) for line in readme_demo_lines()]
    assert len(quoted) > 20
    assert [line for line in quoted if line not in printed] == []
    assert quoted_out_of_order(quoted, printed) == []
    assert run.stdout.rstrip().endswith("or the PDFs in out/print/.")
    # A claim at the agency has no date to pay by: the demo says "-", never Python's None.
    assert "None" not in run.stdout
    for folder in ("emails", "print", "reports", "collection", "retrocession", "payouts", "portal"):
        assert any((tmp_path / folder).rglob("*")), folder
    assert list((tmp_path / "emails").glob("*.pdf"))
