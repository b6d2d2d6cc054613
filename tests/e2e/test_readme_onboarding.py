"""The README's "Onboarding a practice" runs as written against `make serve` (R31, R32,
R35; interfaces.md §6; audit onboard54): its shell blocks, copied as a newcomer copies
them, in order, each call answering what the comment after it shows, so that the steps
cannot drift from the API."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A comment that shows an answer: `# 201 {...}`, `# 403 role_too_low`, `# {"items": ...}`.
ANSWER = re.compile(r"^# (?:(?P<status>\d{3})\b ?(?P<shown>.*)|(?P<json>\{.*))$")
# A `"key":value` the comment shows (a value `"…"` stands for any).
PAIR = re.compile(r'"\w+":(?:"[^"…]*"|null|true|false|-?\d+)(?=[,}]|$)')
# Every curl call leaves its status and its body (on one line) in $CALLS, and answers
# its body as curl -s does, so the blocks' pipes and redirections work as written.
RECORDING_CURL = r"""
curl() {
  local answer status
  answer=$(command curl -w '\n%{http_code}' "$@"; printf x)
  answer=${answer%x}
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  printf '%s' "$answer"
  printf '%s\t%s\n' "$status" "$(printf '%s' "$answer" | tr -d '\n')" >> "$CALLS"
}
shown() { printf 'SHOWN\t%s\n' "$1" >> "$CALLS"; }
"""


def onboarding_blocks() -> list[str]:
    start = README.index("\n## Onboarding a practice\n")
    section = README[start : README.index("\n### Deployed\n", start)]
    return re.findall(r"^```sh\n(.*?)^```$", section, re.S | re.M)


def as_run(block: str, base_url: str) -> str:
    """The block as a newcomer types it, the sandbox started already (`make serve` runs in
    its own terminal) and on the test's port; each answer comment recorded where it is."""
    lines: list[str] = []
    for line in block.splitlines():
        if line.startswith("make serve"):
            continue
        if line.startswith("#   ") and lines and lines[-1].startswith("shown "):
            lines[-1] = lines[-1][:-1] + " " + line[4:] + "'"  # a comment's second line
            continue
        if ANSWER.match(line):
            line = "shown '" + line[2:].replace("'", "'\\''") + "'"
        lines.append(re.sub(r"http://127\.0\.0\.1:\d+", base_url, line))
    return "\n".join(lines)


def compact(body: str) -> str:
    try:
        return json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return body


def differences(status: str, body: str, comment: str) -> list[str]:
    """What the call answered unlike the comment after it shows."""
    shown = ANSWER.match(comment)
    assert shown, comment
    found: list[str] = []
    if shown["status"] and shown["status"] != status:
        found.append(f"status {status}, shown {shown['status']}")
    text, body = (shown["shown"] or shown["json"]).strip(), compact(body)
    try:
        if json.loads(text) != json.loads(body):
            found.append(f"answered {body}, shown {text}")
        return found
    except ValueError:
        pass
    pairs = dict(json.loads("{" + pair + "}").popitem() for pair in PAIR.findall(text))
    if pairs and not any(pairs.items() <= o.items() for o in objects_in(json.loads(body))):
        found.append(f"no object of {body[:300]} has all of {pairs}")
    words = [] if '"' in text else [w for w in text.split() if w not in {"...", "…"}]
    found += [f"{word} not in {body[:300]}" for word in words if word not in body]
    return found


def objects_in(answer: object) -> list[dict[str, object]]:
    """Every JSON object in the answer, at any depth: the pairs a comment shows are one
    object's (the history item of that user, not pairs of two items)."""
    if isinstance(answer, list):
        return [o for item in answer for o in objects_in(item)]
    if not isinstance(answer, dict):
        return []
    return [answer, *(o for value in answer.values() for o in objects_in(value))]


def test_the_onboarding_steps_run_as_the_readme_shows(running_server, tmp_path):
    # Given the sandbox (make serve) and a folder like the repository's, to run from
    (tmp_path / "events").symlink_to(ROOT / "events")
    calls = tmp_path / "calls"
    calls.touch()
    script = RECORDING_CURL + "\n".join(as_run(b, running_server.url) for b in onboarding_blocks())
    # When every block of the onboarding steps runs, in order, in one shell
    run = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "CALLS": str(calls), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    # Then every call answers as the comment after it shows, and every other call
    # succeeds (the steps need no step the README does not say)
    records = [line.split("\t", 1) for line in calls.read_text().splitlines()]
    assert sum(kind == "SHOWN" for kind, _ in records) == 5
    mismatches: list[str] = []
    for index, (kind, text) in enumerate(records):
        shown_next = index + 1 < len(records) and records[index + 1][0] == "SHOWN"
        if kind == "SHOWN":
            status, body = records[index - 1]
            mismatches += differences(status, body, "# " + text)
        elif not kind.startswith("2") and not shown_next:
            mismatches.append(f"call {index} answered {kind}: {text[:300]}")
    assert mismatches == []
    # And the practice is as the steps left it: its settings at version 3 with the
    # admin's hours, the staff member's change refused, its first file invoiced
    sandbox = running_server.sandbox
    practice = sandbox.runtime.repository.get_provider("fysio-west")
    assert (practice.version, practice.payment_term_days) == (3, 14)
    assert (practice.contact.hours, practice.contact.phone) == ("ma-do 8:00-17:00", "020 612 3456")
    invoices = json.loads(
        next(
            t for k, t in reversed(records) if k == "200" and '"items"' in t and '"invoice_id"' in t
        )
    )
    assert sorted(i["patient_ref"] for i in invoices["items"]) == ["FW-2002", "FW-2004"]
