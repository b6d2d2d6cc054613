"""Fault injection for the ports: a process killed after its N-th call to the outside.

    budget = CallBudget(7)
    store = Faulty(FakeStore(...), budget)     # the 8th call to store or files raises
    files = Faulty(FilesInMemory(), budget)    # Killed, whichever port it goes to

``Killed`` is a BaseException, as a Lambda timeout or a lost container is for the code:
no ``except Exception`` in a use case catches it, so the run stops where it stood and
what it wrote so far stays written (issue 13 items 12 and 16).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Killed(BaseException):
    """The process ended here."""


class CallBudget:
    """How many port calls the process lives for; None: for ever."""

    def __init__(self, calls: int | None) -> None:
        self.left = calls
        self.made: list[str] = []  # the calls made, by method name, for the failure message

    def spend(self, name: str) -> None:
        if self.left is not None and len(self.made) >= self.left:
            raise Killed(f"killed before call {len(self.made) + 1} ({name})")
        self.made.append(name)


class Faulty:
    """The port with every method call counted against the budget, before it is made."""

    def __init__(self, port: Any, budget: CallBudget) -> None:
        self._port = port
        self._budget = budget

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._port, name)
        if name.startswith("_") or not callable(attribute):
            return attribute
        return self._counted(name, attribute)

    def _counted(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self._budget.spend(name)
            return method(*args, **kwargs)

        return call
