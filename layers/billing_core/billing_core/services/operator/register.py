"""The insurer register an operator loads and reads (R33, issue 14 item 4).

A version is loaded whole from CSV (``uzovi;name;group;labels;valid_from;source``) or not
at all: every problem is named with its line. Its label is the valid-from date and the
how-manieth version for that date; the ingest reads the version in force on each
treatment date (declarations/rules/insurers.py).

A version lists every insurer, so a code it leaves out is unknown to every practice from
its valid_from: a version that drops codes is loaded only when the request confirms
them, exactly (``drops``). A forgotten row, or one new insurer loaded on its own as if a
version were a change, is refused with the codes it would drop (audit COVERAGE4). A
version that lists a code of the version before it in another group is loaded only when
the request confirms those codes, exactly (``group_changes``): the group decides where
VGZ-group materials go (R6, legal-nl.md §6; audit register5)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from billing_core.declarations.rules.insurers import (
    InsurerRegister,
    InsurerRegisters,
    parse_register_csv,
    registers_in_use,
    shipped_registers,
    version_label,
)
from billing_core.declarations.rules.register_loads import RegisterLoad
from billing_core.services.operator.context import BackOfficeContext, OperatorStore
from billing_core.shared.errors import practice_refused


@dataclass(frozen=True, slots=True)
class LoadedVersion:
    """A version and who loaded it (None: the shipped version, or one stored before loads
    were kept), and the label of every version there is, oldest first: a version loaded
    for a later date is listed before it is in force (R33)."""

    register: InsurerRegister
    load: RegisterLoad | None
    versions: tuple[str, ...] = ()


def load_register(
    csv_text: str,
    ctx: BackOfficeContext,
    drops: Collection[str] = (),
    later_drops: Collection[str] = (),
    group_changes: Collection[str] = (),
) -> LoadedVersion:
    """Store a new version with who loaded it, when, the codes it drops and those it
    confirms end at the later version (R33, as R31 keeps who changed what when); RegisterRefused (with every line's problem) stores
    nothing, TransactionConflict when another operator stored a version (of any date)
    between this load's read of the register and its write: the checks read a register
    that is no longer there, so nothing is stored and the operator loads again (R28). ``drops``: the codes the operator confirms the version leaves out (refused, 422,
    unless they are exactly the ones it does). ``later_drops``: the codes the operator
    confirms end at the later version loaded already, which does not list them (refused,
    422, unless they are exactly those). ``group_changes``: the codes the operator confirms
    the version lists in another group than the version before it (refused, 422, unless
    they are exactly those). The same insurers as the last version of their valid_from are
    that version, stored once, in any order of rows (R38: a load sent again after its
    answer was lost)."""
    parsed = parse_register_csv(csv_text, number=1)
    loaded, revision = ctx.store.insurer_registers_as_read()
    registers = shipped_registers().with_versions(loaded)
    number = 1 + sum(1 for version in registers.versions if version.valid_from == parsed.valid_from)
    latest_label = version_label(parsed.valid_from, number - 1)
    latest = next((v for v in registers.versions if v.version == latest_label), None)
    if latest is not None and set(latest.insurers) == set(parsed.insurers):
        # The same version loaded again (a retry whose answer was lost, R38), its rows
        # perhaps in another order (a spreadsheet sorted by name): no new one.
        load = ctx.store.insurer_register_load(latest.version)
        return LoadedVersion(latest, load, _labels(registers))
    _refuse_unconfirmed_drops(parsed, registers, frozenset(drops), ctx.store)
    _refuse_unconfirmed_later_drops(parsed, registers, frozenset(later_drops))
    _refuse_unconfirmed_group_changes(parsed, registers, frozenset(group_changes))
    register = replace(parsed, version=version_label(parsed.valid_from, number))
    stored = RegisterLoad(
        register.version,
        ctx.operator.user_id,
        ctx.clock.now(),
        tuple(sorted(drops)),
        tuple(sorted(later_drops)),
        tuple(sorted(group_changes)),
    )
    ctx.store.put_insurer_register(register, stored, revision=revision)
    return LoadedVersion(register, stored, _labels(registers.with_versions([register])))


def register_in_force(ctx: BackOfficeContext, day: date | None = None) -> LoadedVersion:
    """The version in force on ``day`` (default today, Europe/Amsterdam), and who loaded
    it: a version loaded for a later date, and the one a finding names, are readable
    before and after they are in force (R33, audit register2)."""
    registers = registers_in_use(ctx.store)
    register = registers.in_force(day or ctx.clock.today())
    load = ctx.store.insurer_register_load(register.version)
    return LoadedVersion(register, load, _labels(registers))


def _labels(registers: InsurerRegisters) -> tuple[str, ...]:
    """'2025-01-01.1', '2027-01-01.1': every version, by valid_from, then load."""
    return tuple(version.version for version in registers.versions)


def _refuse_unconfirmed_drops(
    new: InsurerRegister,
    registers: InsurerRegisters,
    confirmed: frozenset[str],
    store: OperatorStore,
) -> None:
    """R33, R31: the refusal names the codes ``new`` drops (CZ's 9664 in a one-row
    version) and the practices whose contracts run on with them from its valid_from,
    whose patients of those insurers would be refused or turn non-contracted (R5, R17)."""
    dropped = registers.dropped_by(new)
    values = {
        "valid_from": new.valid_from.isoformat(),
        "drops": json.dumps(list(dropped)),
    }
    kept = sorted(confirmed.difference(dropped))
    if kept:
        raise practice_refused("register_drops_not_left_out", codes=", ".join(kept), **values)
    if confirmed == frozenset(dropped):
        return
    before = registers.versions_before(new)
    values |= {"codes": ", ".join(dropped), "version": ", ".join(v.version for v in before)}
    contracts = _contracts_running_on(new.valid_from, dropped, store)
    if contracts:
        raise practice_refused("register_drops_contracted_insurers", contracts=contracts, **values)
    raise practice_refused("register_drops_insurers", **values)


def _refuse_unconfirmed_later_drops(
    new: InsurerRegister, registers: InsurerRegisters, confirmed: frozenset[str]
) -> None:
    """R33 (year end): a version that adds a code a later version loaded already does
    not list makes that code unknown again from the later one's valid_from, at every
    practice, without a word: an insurer added in December to the version in force was
    refused from 1 January by the 2027 version loaded before it (audit register2). Refused
    unless ``confirmed`` names exactly those codes (the insurer stops then)."""
    following, lost = registers.lost_at_next(new)
    if following is None or confirmed == frozenset(lost):
        return
    values = {
        "valid_from": following.valid_from.isoformat(),
        "version": following.version,
        "later_drops": json.dumps(list(lost)),
    }
    kept = sorted(confirmed.difference(lost))
    if kept:
        raise practice_refused("register_later_drops_not_lost", codes=", ".join(kept), **values)
    raise practice_refused("register_later_version_lacks", codes=", ".join(lost), **values)


def _refuse_unconfirmed_group_changes(
    new: InsurerRegister, registers: InsurerRegisters, confirmed: frozenset[str]
) -> None:
    """R6, legal-nl.md §6 (seed 004), R33: the group is compared exactly, so a version
    that turned 7095's "VGZ" into "Coöperatie VGZ" sent its materials to the patient at
    every practice from its valid_from, loaded with a 201 and no word (audit register5).
    So is a change at the later version loaded already, which takes over from ``new``
    (a back-dated version listing 3999 in another group than the 2027 one: audit
    register50). Refused unless ``confirmed`` names exactly the codes whose group the
    load changes, at either date; the refusal names each with its old and new group."""
    changes = registers.group_changes_by(new)
    following, later_changes = registers.group_changes_at_next(new)
    changed = sorted({code for code, _, _ in (*changes, *later_changes)})
    if confirmed == frozenset(changed):
        return
    values = {
        "valid_from": new.valid_from.isoformat(),
        "group_changes": json.dumps(changed),
    }
    kept = sorted(confirmed.difference(changed))
    if kept:
        raise practice_refused(
            "register_group_changes_not_changed", codes=", ".join(kept), **values
        )
    before = ", ".join(v.version for v in registers.versions_before(new))
    if following is None or not later_changes:
        named = _named_changes(changes)
        raise practice_refused("register_group_changes", changes=named, version=before, **values)
    dated = [(new.valid_from, changes), (following.valid_from, later_changes)]
    raise practice_refused(
        "register_group_changes_later",
        changes="; ".join(f"{day}: {_named_changes(found)}" for day, found in dated if found),
        version=before,
        later_version=following.version,
        later_valid_from=following.valid_from.isoformat(),
        **values,
    )


def _named_changes(changes: Sequence[tuple[str, str, str]]) -> str:
    """'7095 (VGZ -> Coöperatie VGZ), 3999 (VGZ -> Nieuw)'."""
    return ", ".join(f"{code} ({old} -> {group})" for code, old, group in changes)


def _contracts_running_on(valid_from: date, dropped: Sequence[str], store: OperatorStore) -> str:
    """'tandarts-de-vries (0101, 9664)': each practice with a contract with a dropped
    code that has not ended before ``valid_from``. One read of every provider's settings,
    only for a version that drops codes (a handful of loads a year); the settings that no
    longer validate are not read (the operator lists them with GET /providers)."""
    running = []
    for provider in store.readable_providers().providers:
        codes = sorted(
            {
                contract.uzovi
                for contract in provider.contracts
                if contract.uzovi in dropped
                and (contract.ends is None or contract.ends >= valid_from)
            }
        )
        if codes:
            running.append(f"{provider.provider_id} ({', '.join(codes)})")
    return "; ".join(running)
