"""The practice's action list a page at a time (R23, R35, interfaces.md §2; actionpages56):
done objections are kept as long as their invoice, so one answer of every action passed
Lambda's 6 MB answer (at ~260 objections with the longest message the checker takes in
astral characters, ~610 in Arabic). The API serves pages of at most ACTION_PAGE with a
next_cursor; a cursor goes on in the practice of the token only (R26)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta
from http import HTTPStatus

from billing_core.changes.objection import MAX_MESSAGE_CHARS
from billing_core.entrypoints.web.portal import pages
from billing_core.providers.actions import ActionKind, OpenAction
from billing_core.services.provider.actions import ACTION_PAGE
from local.generate import declaration_csv
from local.seed import DENTAL, PHYSIO
from tests.functional.test_action_and_insurer_claim_routes import objection_action
from tests.functional.test_expiry_migration import migrate
from tests.functional.test_portal_lists import followed
from tests.functional.test_provider_portal import PortalUser, sample_login

ACTIONS = "/api/v1/provider/actions"
LAMBDA_ANSWER_MAX = 6 * 1024 * 1024


def objections(
    sandbox, provider_id: str, count: int, message: str = "te duur", later: int = 0
) -> list[str]:
    """Given ``count`` objections to an invoice of the practice, a second apart from a day
    ago (and ``later`` minutes), all done (kept as long as the invoice): their ids, oldest
    first."""
    sandbox.upload_declaration(provider_id, "d.csv", declaration_csv(2))
    invoice = sandbox.runtime.repository.list_invoices(provider_id)[0][0]
    first = sandbox.clock.now() - timedelta(days=1) + timedelta(minutes=later)
    made = []
    for number in range(count):
        action = OpenAction.about(
            invoice,
            ActionKind.OBJECTION,
            f"objection-2026-11-23-{provider_id[:4]}-{number:04d}",
            first + timedelta(seconds=number),
            {"reason": "other", "message": message, "email": "p@example.org"},
        )
        sandbox.runtime.repository.put_action(action.done())
        made.append(action.action_id)
    return made


def listed(sandbox, provider_id: str, **query: str) -> tuple[list[str], str | None]:
    status, page = sandbox.api("GET", ACTIONS, provider_id=provider_id, query=query)
    assert status == 200, page
    return [a["action_id"] for a in page["items"]], page.get("next_cursor")


def test_r35_a_list_of_one_more_than_a_page_answers_a_page_and_a_cursor_to_the_last(sandbox):
    """R23, R35: Given ACTION_PAGE + 1 done objections of the dental practice
    When its software lists the actions, and the done ones, then asks the next_cursor
    Then the first answer holds the ACTION_PAGE oldest and a cursor; the cursor's page the
    last one alone and no cursor: each once, oldest first. A smaller limit pages alike."""
    made = objections(sandbox, DENTAL.provider_id, ACTION_PAGE + 1)
    for state in ({}, {"state": "done"}):
        first, following = listed(sandbox, DENTAL.provider_id, **state)
        assert first == made[:ACTION_PAGE] and following
        last, after_last = listed(sandbox, DENTAL.provider_id, cursor=following, **state)
        assert (last, after_last) == (made[ACTION_PAGE:], None)
    assert listed(sandbox, DENTAL.provider_id, state="open") == ([], None)
    three, following = listed(sandbox, DENTAL.provider_id, limit="3")
    assert three == made[:3]
    assert listed(sandbox, DENTAL.provider_id, limit="3", cursor=following)[0] == made[3:6]


def test_r26_a_cursor_of_one_practice_answers_nothing_of_it_to_another(sandbox):
    """R26: Given three done objections of the dental practice made before one of the
    physio practice, and the dental list's cursor after its first
    When the physio practice's software sends that cursor
    Then it gets its own objection after that moment, none of the dental practice's."""
    dental = objections(sandbox, DENTAL.provider_id, 3)
    physio = objections(sandbox, PHYSIO.provider_id, 1, later=1)
    _, after_first = listed(sandbox, DENTAL.provider_id, limit="1")
    assert listed(sandbox, PHYSIO.provider_id, cursor=after_first) == (physio, None)
    assert listed(sandbox, DENTAL.provider_id, cursor=after_first) == (dental[1:], None)


def test_r35_a_page_of_the_longest_objections_stays_well_under_lambdas_answer(sandbox):
    """R35: Given ACTION_PAGE + 1 objections, each with the longest message the checker
    takes in characters the JSON escapes longest (astral: two \\u escapes each)
    When the software lists them
    Then the page is under half of Lambda's 6 MB answer (before: one answer of every
    action, past it at ~260 of these)."""
    objections(
        sandbox, DENTAL.provider_id, ACTION_PAGE + 1, "\N{GRINNING FACE}" * MAX_MESSAGE_CHARS
    )
    answer = sandbox.api_raw("GET", ACTIONS, provider_id=DENTAL.provider_id)
    size = len(answer["body"].encode())
    assert len(json.loads(answer["body"])["items"]) == ACTION_PAGE
    assert size < LAMBDA_ANSWER_MAX / 2


def test_r23_an_action_stored_before_the_list_index_is_listed_once_migrated(sandbox):
    """R23 (migration version 16): Given the dental practice's objection stored as the
    deploy before actionpages56 wrote it (without the list index keys)
    When its software lists the actions, an operator runs action-list-index, it lists again
    Then the first list misses it (what the migration is for), the second holds it."""
    from local.migrate import put_action_without_list_index

    [made] = objections(sandbox, DENTAL.provider_id, 1)
    repository = sandbox.runtime.repository
    [action] = repository.list_actions(DENTAL.provider_id)
    put_action_without_list_index(repository, action)
    assert listed(sandbox, DENTAL.provider_id) == ([], None)
    status, answer = migrate(sandbox, "actions-1", "action-list-index")
    assert status == 200 and answer["summary"]["action_list_index_written"] == 1
    assert listed(sandbox, DENTAL.provider_id) == ([made], None)


# --- the portal's actions page (R35) ------------------------------------------------------


def action_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="action-([^"]+)" role="row">', html)


def test_r35_the_portals_actions_go_on_page_by_page_and_the_overview_counts_them_all(
    sandbox, monkeypatch
):
    """R23, R35: Given pages of 2 in the portal, three done objections and three open ones
    When a colleague opens the done actions and follows "Volgende pagina", then the open ones
    Then each page holds at most 2, the next-page link leads to the last, which has none:
    each action once, oldest first; the overview still counts all three open ones; a
    cursor edited by hand is said on the page (400), not read as the first page."""
    monkeypatch.setattr(pages, "LIST_SIZE", 2)
    done = objections(sandbox, DENTAL.provider_id, 3)
    repository = sandbox.runtime.repository
    invoice = repository.list_invoices(DENTAL.provider_id)[0][0]
    first = sandbox.clock.now() - timedelta(hours=1)
    for number in range(3):
        made = first + timedelta(seconds=number)
        details = {"reason": "other", "message": "te duur", "email": "p@example.org"}
        action_id = f"objection-2026-11-23-open-{number}"
        repository.put_action(
            OpenAction.about(invoice, ActionKind.OBJECTION, action_id, made, details)
        )
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    seen, visited = followed(staff, "/portal/acties?state=done", rows=action_rows)
    assert seen == done and len(visited) == 2
    assert "state=done&cursor=" in visited[1]
    open_ones, _ = followed(staff, "/portal/acties", rows=action_rows)
    assert open_ones == [f"objection-2026-11-23-open-{n}" for n in range(3)]
    _, overview = staff.page("/portal/")
    assert re.search(r'<ul id="open-actions">.*?<strong>3</strong>', overview, re.S)
    status, html = staff.page("/portal/acties?state=done&cursor=bm9wZQ")
    assert status == HTTPStatus.BAD_REQUEST and action_rows(html) == []


def test_r32_the_overview_counts_the_open_actions_and_records_no_read_of_their_patients(
    sandbox,
):
    """R32, NEN 7513, R23 (reads57: each view of the overview was recorded as a read of
    every open action's patient, though it shows counts only). Given an open objection
    of a patient's invoice, When staff open the overview, Then it counts the objection
    and no read is recorded (it shows no patient, invoice or action); When they then open
    the actions page, Then that view is the one read, naming the patient it shows."""
    action = objection_action(sandbox)
    patient = sandbox.runtime.repository.get_invoice(
        DENTAL.provider_id, action["invoice_id"]
    ).patient_ref
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    now = sandbox.clock.now()

    def reads() -> list[tuple[str, str]]:
        found, _ = sandbox.runtime.audit_log.reads(
            DENTAL.provider_id, now - timedelta(days=1), now + timedelta(days=1), limit=100
        )
        return [(r.kind.value, r.subject) for r in found]

    before = reads()
    status, overview = staff.page("/portal/")
    assert status == HTTPStatus.OK
    assert re.search(r'<ul id="open-actions">.*?<strong>1</strong>', overview, re.S)
    assert patient not in overview and reads() == before

    assert staff.page("/portal/acties")[0] == HTTPStatus.OK
    # the reads of one moment come in no set order: what is new, whatever its place
    [(kind, subject)] = (Counter(reads()) - Counter(before)).elements()
    assert kind == "patient_list" and subject.startswith(f"actions patient:{patient} action:")


# --- the open actions alone (R23, R35; openact57) -------------------------------------------


def action_reads(sandbox, monkeypatch) -> list[int]:
    """Then: the items each Query of actions reads from then on (before a filter), one
    entry a request: those of the action list's index and of the practice's partition."""
    table = sandbox.runtime.repository._table
    query, reads = table.query, []

    def counted(**params):
        answer = query(**params)
        if "ACTION" in json.dumps(params["ExpressionAttributeValues"]):
            reads.append(answer["ScannedCount"])
        return answer

    monkeypatch.setattr(table, "query", counted)
    return reads


def test_r35_the_open_list_and_the_overview_read_the_open_actions_alone(sandbox, monkeypatch):
    """R23, R35 (openact57): Given 300 done objections of the dental practice (kept as long
    as their invoice) and 2 open ones made after them
    When its software lists the open actions, and a colleague opens the overview
    Then the list reads the 2 open ones alone, in one request, the overview 2 items in all
    (before: the open page read through every done one, 3 requests, 302 items; the
    overview 302), and the overview counts both."""
    objections(sandbox, DENTAL.provider_id, 300)
    repository = sandbox.runtime.repository
    invoice = repository.list_invoices(DENTAL.provider_id)[0][0]
    made = sandbox.clock.now() - timedelta(hours=1)
    details = {"reason": "other", "message": "te duur", "email": "p@example.org"}
    open_ones = [f"objection-2026-11-23-open-{n}" for n in range(2)]
    for number, action_id in enumerate(open_ones):
        at = made + timedelta(seconds=number)
        repository.put_action(
            OpenAction.about(invoice, ActionKind.OBJECTION, action_id, at, details)
        )
    staff = PortalUser(sandbox)
    staff.sign_in(sample_login(DENTAL, "staff"))
    reads = action_reads(sandbox, monkeypatch)
    assert listed(sandbox, DENTAL.provider_id, state="open") == (open_ones, None)
    assert reads == [2]
    reads.clear()
    _, overview = staff.page("/portal/")
    assert re.search(r'<ul id="open-actions">.*?<strong>2</strong>', overview, re.S)
    assert sum(reads) == 2  # its open actions (and this week's handovers: none)


def test_r23_an_open_action_listed_before_the_open_prefix_is_listed_open_once_migrated(sandbox):
    """R23 (migration version 17, openact57): Given the dental practice's open objection
    listed as the deploy before openact57 listed it (among the done ones), and a done one
    When its software lists the open actions, an operator runs open-action-list twice, it
    lists again
    Then the first list misses it (what the migration is for) though the whole list holds
    it; the first run moves it, the second finds both where they belong; then it is listed
    open."""
    from local.migrate import put_open_action_at_bare_position

    [done] = objections(sandbox, DENTAL.provider_id, 1)
    repository = sandbox.runtime.repository
    invoice = repository.list_invoices(DENTAL.provider_id)[0][0]
    made = sandbox.clock.now() - timedelta(hours=1)
    details = {"reason": "other", "message": "te duur", "email": "p@example.org"}
    opened = OpenAction.about(invoice, ActionKind.OBJECTION, "objection-open", made, details)
    put_open_action_at_bare_position(repository, opened)
    assert listed(sandbox, DENTAL.provider_id, state="open") == ([], None)
    assert listed(sandbox, DENTAL.provider_id) == ([done, "objection-open"], None)
    counts = ("open_action_list_written", "open_action_list_present")
    for key, expected in (("open-1", (1, 1)), ("open-2", (0, 2))):
        status, answer = migrate(sandbox, key, "open-action-list")
        assert status == 200 and tuple(answer["summary"][c] for c in counts) == expected
    assert listed(sandbox, DENTAL.provider_id, state="open") == (["objection-open"], None)
