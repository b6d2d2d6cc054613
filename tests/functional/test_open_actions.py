"""Open actions born at ingest (R23): a dental plan above € 250 without a price quote
(R6, NZa Regeling Mondzorg) is invoiced, and the practice gets an action to record it."""

from __future__ import annotations

from local.seed import DENTAL, PHYSIO
from tests.functional.conftest import sample

PROVIDER = DENTAL.provider_id


def quote_actions(sandbox, provider_id=PROVIDER):
    _, actions = sandbox.api("GET", "/api/v1/provider/actions", provider_id=provider_id)
    return [a for a in actions["items"] if a["kind"] == "missing_price_quote"]


def test_a_plan_without_quote_is_invoiced_and_the_practice_gets_one_action(sandbox):
    """Given the dental practice's file with a plan above € 250 and no price quote, when it
    is processed, then every such invoice has exactly one open action with the lines and
    the rule, and the same upload processed again (a retried S3 event) adds none; the
    physiotherapy practice sees none of them (R26)."""
    declaration_id = sandbox.upload_declaration(
        PROVIDER, "nov.csv", sample("tandarts-de-vries-2026-11.csv")
    )
    invoices, _ = sandbox.runtime.repository.list_invoices(PROVIDER)
    lacking = {i.invoice_id for i in invoices if "PRICE_QUOTE_MISSING" in i.warnings}
    assert lacking, "the sample has a plan above € 250 without a quote"

    actions = quote_actions(sandbox)
    assert {a["invoice_id"] for a in actions} == lacking and len(actions) == len(lacking)
    assert all(a["state"] == "open" and a["details"]["lines"] for a in actions)
    assert "bsn" not in str(actions).lower()

    sandbox.upload_declaration(
        PROVIDER, "nov.csv", sample("tandarts-de-vries-2026-11.csv"), declaration_id=declaration_id
    )
    assert len(quote_actions(sandbox)) == len(lacking)
    assert quote_actions(sandbox, PHYSIO.provider_id) == []
