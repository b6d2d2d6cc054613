"""Every public method of the DynamoDB adapters is declared on a port (issue 11): a use
case can only need what a port says, and a fake store knows what it has to offer."""

from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from billing_core import ports
from billing_core.adapters.dynamo.audit import DynamoAuditLog
from billing_core.adapters.dynamo.payment_links import PaymentLinkRepository
from billing_core.adapters.dynamo.repository import BillingRepository
from billing_core.correspondence.kept_letters import ExpiredInvoiceStore
from billing_core.providers.retrocession_run import RetrocessionStore

INSTRUMENTATION = {"client"}  # make bench counts the requests on it; no use case calls it


def declared_on_ports() -> set[str]:
    protocols = [
        value
        for value in vars(ports).values()
        if inspect.isclass(value) and issubclass(value, Protocol) and value is not Protocol
    ]
    names = set()
    for protocol in [*protocols, RetrocessionStore, ExpiredInvoiceStore]:
        names |= {name for name in dir(protocol) if not name.startswith("_")}
    return names


def public_methods(adapter: type) -> set[str]:
    return {name for name in vars(adapter) if not name.startswith("_")} - INSTRUMENTATION


@pytest.mark.parametrize("adapter", [BillingRepository, PaymentLinkRepository, DynamoAuditLog])
def test_every_public_method_of_an_adapter_is_on_a_port(adapter):
    assert public_methods(adapter) - declared_on_ports() == set()


def test_the_check_sees_a_method_no_port_declares():
    class Planted(BillingRepository):
        def load_everything(self):
            return []

    assert public_methods(Planted) - declared_on_ports() == {"load_everything"}
