"""A method added to a port needs a contract case, and the fake needs the method: otherwise
the fake could drift on exactly what nobody compared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from billing_core.adapters.users_in_memory import InMemoryUserDirectory
from billing_core.correspondence.kept_letters import ExpiredInvoiceStore
from billing_core.ports import (
    AuditLog,
    BankCreditLinks,
    BillingStore,
    CheckoutLog,
    DunningStore,
    FileReader,
    FileStore,
    InsurerRegisterStore,
    MigrationStore,
    ProviderSettingsStore,
    ProviderStore,
    TransferBatches,
    UserDirectory,
    WeekActivity,
)
from billing_core.providers.retrocession_run import RetrocessionStore
from tests.unit.fake_store import AuditInMemory, FakeStore, FilesInMemory
from tests.unit.payment_fakes import CheckoutsInMemory, LinksInMemory

FAKES = {
    BillingStore: FakeStore,
    ExpiredInvoiceStore: FakeStore,
    DunningStore: FakeStore,
    RetrocessionStore: FakeStore,
    ProviderStore: FakeStore,
    ProviderSettingsStore: FakeStore,
    FileStore: FilesInMemory,
    FileReader: FilesInMemory,
    InsurerRegisterStore: FakeStore,
    MigrationStore: FakeStore,
    CheckoutLog: CheckoutsInMemory,
    BankCreditLinks: LinksInMemory,
    UserDirectory: InMemoryUserDirectory,
    TransferBatches: FakeStore,
    AuditLog: AuditInMemory,
    WeekActivity: FakeStore,
}


def methods(port: type) -> set[str]:
    return {name for name in vars(port) if not name.startswith("_")}


def called_in_cases() -> set[str]:
    sources = (p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    return {name for source in sources for name in re.findall(r"\.(\w+)\(", source)}


@pytest.mark.parametrize("port", FAKES, ids=lambda port: port.__name__)
def test_every_method_of_the_port_is_compared_and_the_fake_has_it(port):
    assert methods(port), "a port without methods: is this still the port?"
    assert methods(port) - called_in_cases() == set()
    assert [m for m in methods(port) if not callable(getattr(FAKES[port], m, None))] == []
