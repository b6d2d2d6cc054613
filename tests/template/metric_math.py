"""Whether a CloudWatch alarm of template.yaml goes off for given metric values (R39).

An alarm whose expression or threshold its metrics can never reach is as silent as one
on a metric never emitted: reading the template's text cannot tell (``errors /
invocations`` against a threshold of 5 % never reaches it; ``uploads + retours`` has no
value when one upload alone was unroutable). This evaluates the part of CloudWatch metric
math the template uses, one period at a time: ``IF``, ``FILL``, ``MAX([...])``,
arithmetic and comparisons. ``None`` is a metric with no datapoint in the period, as
CloudWatch has it: any operation on it has none either, except ``FILL``, which puts its
value there; an alarm whose result has none follows its TreatMissingData.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

Value = float | None

_ARITHMETIC: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARISONS: dict[type[ast.cmpop], Callable[[float, float], bool]] = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
}
_THRESHOLDS: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanOrEqualToThreshold": operator.ge,
    "GreaterThanThreshold": operator.gt,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}


def evaluate(expression: str, values: Mapping[str, Value]) -> Value:
    """The value of a metric math ``expression`` for one period, its ids' ``values``."""
    return _value(ast.parse(expression, mode="eval").body, values)


def _value(node: ast.expr, values: Mapping[str, Value]) -> Value:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, values), _value(node.right, values)
        if left is None or right is None:
            return None
        return _ARITHMETIC[type(node.op)](left, right)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _value(node.left, values), _value(node.comparators[0], values)
        if left is None or right is None:
            return None
        return float(_COMPARISONS[type(node.ops[0])](left, right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _function(node.func.id, node.args, values)
    raise ValueError(f"metric math not understood here: {ast.unparse(node)}")


def _function(name: str, arguments: list[ast.expr], values: Mapping[str, Value]) -> Value:
    if name == "IF":
        condition = _value(arguments[0], values)
        if condition is None:
            return None
        return _value(arguments[1] if condition else arguments[2], values)
    if name == "FILL":
        filled = _value(arguments[0], values)
        return _value(arguments[1], values) if filled is None else filled
    if name == "MAX":
        [series] = arguments
        assert isinstance(series, ast.List), ast.unparse(series)
        present = [v for v in (_value(item, values) for item in series.elts) if v is not None]
        return max(present) if present else None
    raise ValueError(f"metric math function not understood here: {name}")


def alarm_value(alarm: dict[str, Any], values: Mapping[str, Value]) -> Value:
    """What an alarm compares with its threshold: its one metric's value (id ``metric``)
    or its expression's that returns data, from the values of its queries' ids."""
    if "MetricName" in alarm:
        return values.get("metric")
    [returned] = [query for query in alarm["Metrics"] if query.get("ReturnData", True)]
    if "Expression" not in returned:
        return values.get(returned["Id"])
    return evaluate(returned["Expression"], values)


def goes_off(alarm: dict[str, Any], values: Mapping[str, Value]) -> bool:
    """Whether ``alarm`` is breaching in a period with ``values``."""
    value = alarm_value(alarm, values)
    if value is None:
        return alarm.get("TreatMissingData", "missing") == "breaching"
    return _THRESHOLDS[alarm["ComparisonOperator"]](value, float(alarm["Threshold"]))
