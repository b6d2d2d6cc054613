"""How DynamoDB answers where moto does not: the contract cases make an adapter's table
answer so (the in-memory fakes have no table and answer as they do)."""

from __future__ import annotations

from typing import Any


def stop_after_one_item_as_dynamodb_does_at_1_mb(adapter: Any) -> None:
    """On moto, the adapter's table answers each Query as DynamoDB does when one item
    fills its 1 MB: that item and the key it stopped at, more items after it or not."""
    table = getattr(adapter, "_table", None)
    if table is None:
        return
    query = table.query

    def cut(**asked: Any) -> Any:
        answer = query(**asked)
        if not answer["Items"]:
            return answer
        first = answer["Items"][0]
        return {"Items": [first], "LastEvaluatedKey": {"pk": first["pk"], "sk": first["sk"]}}

    adapter._table = type("CutAt1Mb", (), {"query": staticmethod(cut)})()
