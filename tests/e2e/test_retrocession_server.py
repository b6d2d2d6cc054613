"""`make serve`: run the weekly retrocession now and read the statement (interfaces.md §2, §5)."""

from __future__ import annotations

from tests.e2e.test_sandbox_server import call


def test_the_retrocession_schedule_runs_on_demand(server):
    # Given the sandbox on Monday 30 November and the dental practice's token
    token = call("GET", f"{server}/_local/tokens")[1]["tandarts-de-vries"]
    call("POST", f"{server}/_local/clock", {"today": "2026-11-30"})
    # When the schedule is run now, as on Monday 05:00
    status, summary = call("POST", f"{server}/_local/schedules/retrocession", {})
    # Then last week's statements are there for the practice to read, and the week the
    # practice was onboarded in (16 November), which no Monday run wrote, made up (R24, weeks52)
    assert status == 200 and summary["week"] == "2026-W48" and summary["statements"] == 2
    status, listing = call("GET", f"{server}/api/v1/provider/retrocessions", token=token)
    assert status == 200 and [w["week"] for w in listing["items"]] == ["2026-W48", "2026-W47"]
    # And an operator replays a week by its date; a date that is none is refused
    status, summary = call(
        "POST", f"{server}/_local/schedules/retrocession", {"as_of": "2026-11-24"}
    )
    assert status == 200 and summary["week"] == "2026-W47"
    status, body = call("POST", f"{server}/_local/schedules/retrocession", {"as_of": "maandag"})
    assert status == 400 and body["error"]["code"] == "validation_error"
