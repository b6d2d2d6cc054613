"""The embedded runtime's faster moto answers are moto's answers (local/moto_speedup.py)."""

from __future__ import annotations

import json

import pytest
from moto.core.serialize import BaseJSONSerializer, JSONSerializer, XFormedAttributePicker
from moto.core.utils import get_service_model

from local import moto_speedup

EVERY_TYPE = {
    "text": {"S": "Łukasz ‘Źródło’ – 12,50 €"},
    "empty_text": {"S": ""},
    "number": {"N": "12345"},
    "binary": {"B": b"\x00\xffzorgnota"},
    "binary_as_text": {"B": "already text"},
    "texts": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "binaries": {"BS": [b"\x01", b"\x02"]},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "nothing": {"NULL": True},
    "empty_list": {"L": []},
    "empty_map": {"M": {}},
    "nested": {
        "M": {
            "ledger": {"L": [{"M": {"amount": {"N": "-500"}, "kind": {"S": "payment"}}}]},
            "flags": {"L": [{"BOOL": True}, {"NULL": True}, {"SS": ["x"]}]},
        }
    },
}


def _answer(operation: str, result: dict) -> dict:
    model = get_service_model("dynamodb")
    # as moto's responses use it (moto/core/responses.py: ActionResult.execute_result)
    serializer = JSONSerializer(
        model.operation_model(operation), value_picker=XFormedAttributePicker()
    )
    body = serializer.serialize(result)["body"]
    return json.loads(body)


@pytest.mark.parametrize(
    ("operation", "result"),
    [
        ("GetItem", {"Item": EVERY_TYPE}),
        ("Query", {"Items": [EVERY_TYPE, {"pk": {"S": "x"}}], "Count": 2, "ScannedCount": 2}),
        ("BatchGetItem", {"Responses": {"table": [EVERY_TYPE]}, "UnprocessedKeys": {}}),
        ("UpdateItem", {"Attributes": EVERY_TYPE}),
    ],
    ids=["GetItem", "Query", "BatchGetItem", "UpdateItem"],
)
def test_an_answer_of_every_attribute_type_is_written_as_moto_writes_it(
    monkeypatch, operation, result
):
    """Given items holding every DynamoDB attribute type, nested in maps and lists, when
    moto's own serializer and the sped-up one write the same answer, then both are the
    same JSON (a moto upgrade that changes how it writes them fails here)."""
    monkeypatch.setattr(
        BaseJSONSerializer, "_serialize_type_structure", moto_speedup._SERIALIZE_STRUCTURE
    )
    by_moto = _answer(operation, result)
    monkeypatch.setattr(
        BaseJSONSerializer, "_serialize_type_structure", moto_speedup._serialize_type_structure
    )
    assert _answer(operation, result) == by_moto
    assert by_moto != {}


# --- Query: only the items of the key asked for are sorted (agency50) ----------------------


@pytest.fixture
def table_of(monkeypatch):
    """A moto table shaped as the billing table (pk, sk; by-reference and by-provider
    indexes) with ``count`` claims of one practice, each with two line items, and a
    counter of DynamoType comparisons while a Query is answered."""
    import boto3
    from moto import mock_aws
    from moto.dynamodb.models.dynamo_type import DynamoType

    compared = {"count": 0}
    less_than = DynamoType.__lt__

    def counted(self, other):
        compared["count"] += 1
        return less_than(self, other)

    monkeypatch.setattr(DynamoType, "__lt__", counted)
    with mock_aws():
        moto_speedup.install()
        client = boto3.client("dynamodb", region_name="eu-central-1")

        def make(count: int) -> tuple:
            name = f"billing-{count}"
            client.create_table(
                TableName=name,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[
                    {"AttributeName": a, "AttributeType": "S"}
                    for a in ("pk", "sk", "gsi1pk", "gsi2pk", "gsi2sk")
                ],
                KeySchema=[
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                GlobalSecondaryIndexes=[
                    {
                        "IndexName": "by-reference",
                        "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                    },
                    {
                        "IndexName": "by-provider",
                        "KeySchema": [
                            {"AttributeName": "gsi2pk", "KeyType": "HASH"},
                            {"AttributeName": "gsi2sk", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "ALL"},
                    },
                ],
            )
            for n in range(count):
                claim = {
                    "pk": {"S": f"INV#{n:05d}"},
                    "sk": {"S": "INVOICE"},
                    "gsi1pk": {"S": f"REF#{n:014d}"},
                    "gsi2pk": {"S": "PROVIDER#tandarts"},
                    "gsi2sk": {"S": f"2027-02-{1 + n % 28:02d}#{n:05d}"},
                    "amount": {"N": str(n)},
                }
                client.put_item(TableName=name, Item=claim)
                for line in (1, 2):
                    item = {"pk": claim["pk"], "sk": {"S": f"LINE#{line}"}, "n": {"N": "1"}}
                    client.put_item(TableName=name, Item=item)
            return client, name, compared

        yield make


QUERIES = {
    "a kenmerk on its index": {
        "IndexName": "by-reference",
        "KeyConditionExpression": "gsi1pk = :k",
        "ExpressionAttributeValues": {":k": {"S": f"REF#{7:014d}"}},
    },
    "a practice's list, newest first, paged and filtered": {
        "IndexName": "by-provider",
        "KeyConditionExpression": "gsi2pk = :p AND gsi2sk BETWEEN :a AND :b",
        "FilterExpression": "amount > :min",
        "ExpressionAttributeValues": {
            ":p": {"S": "PROVIDER#tandarts"},
            ":a": {"S": "2027-02-03"},
            ":b": {"S": "2027-02-20"},
            ":min": {"N": "10"},
        },
        "ScanIndexForward": False,
        "Limit": 7,
    },
    "an invoice's items from a range key": {
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :line)",
        "ExpressionAttributeValues": {":pk": {"S": "INV#00042"}, ":line": {"S": "LINE#"}},
    },
    "a partition that has no items": {
        "KeyConditionExpression": "pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": "INV#99999"}},
    },
}


def _pages(client, name: str, query: dict) -> list[dict]:
    """Every page of the query's answer, followed to its end."""
    pages, start = [], {}
    while True:
        page = client.query(TableName=name, **query, **start)
        page.pop("ResponseMetadata")
        pages.append(page)
        if "LastEvaluatedKey" not in page:
            return pages
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_a_query_answers_the_items_pages_and_order_moto_answers(table_of, monkeypatch, query):
    """Given a table of 120 claims and their lines
    When a Query (an index's key, a range condition, newest first, paged, filtered, or a
    key with no items) is answered by the sped-up Query and by moto's own
    Then both answer the same items, in the same order, on the same pages, with the same
    counts."""
    from moto.dynamodb.models.table import Table

    client, name, _ = table_of(120)
    sped_up = _pages(client, name, query)
    monkeypatch.setattr(Table, "query", Table.query.__wrapped__)
    monkeypatch.setattr(Table, "all_items", moto_speedup._ALL_ITEMS)

    assert _pages(client, name, query) == sped_up
    assert sum(page["Count"] for page in sped_up) > 0 or "99999" in str(query)


def test_a_kenmerk_looked_up_costs_the_same_in_a_table_four_times_as_large(table_of):
    """agency50, R39: Given tables of 100 and of 400 claims (with two lines each)
    When one claim is looked up by its kenmerk on the by-reference index in each
    Then moto compares the same number of values to order its answer in both: only the
    item of that kenmerk is sorted (before: the whole table, every Query, so the agency's
    file of 250 rows took 273 s: a cost that grew with the rows times the table)."""
    query = QUERIES["a kenmerk on its index"]
    comparisons = []
    for count in (100, 400):
        client, name, compared = table_of(count)
        compared["count"] = 0
        [item] = client.query(TableName=name, **query)["Items"]
        assert item["gsi1pk"] == {"S": f"REF#{7:014d}"}
        comparisons.append(compared["count"])

    assert comparisons[0] == comparisons[1] < 10, comparisons


def test_s3_urls_are_read_again_only_when_their_setting_changes(monkeypatch):
    """Given moto's S3 backend, and the setting its URL module reads changed in between;
    When its URLs are asked five times; Then they are moto's own for each setting, and the
    module is reloaded once per change of the setting, not once per ask."""
    import moto.s3.models as s3_models
    from moto.s3.models import S3Backend

    moto_speedup.install()
    reloads = {"count": 0}
    reload = s3_models.reload

    def counted(module):
        reloads["count"] += 1
        return reload(module)

    monkeypatch.setattr(s3_models, "reload", counted)
    backend = S3Backend("eu-central-1", "123456789012")

    def urls(module) -> tuple[list[str], list[str]]:
        return list(module.url_bases), list(module.url_paths)

    def moto_s() -> tuple[list[str], list[str]]:  # what moto's property does: reload, read
        import moto.s3.urls

        return urls(reload(moto.s3.urls))

    monkeypatch.delenv("MOTO_S3_CUSTOM_ENDPOINTS", raising=False)
    backend.url_bases  # noqa: B018  (may reload: another test may have read another setting)
    reloads["count"] = 0
    plain = [urls(backend._url_module), urls(backend._url_module)]
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", "https://files.zorgnota.test")
    custom = [urls(backend._url_module), urls(backend._url_module)]
    assert reloads["count"] == 1
    assert custom[1] == custom[0] == moto_s()
    assert "https://files.zorgnota.test" in custom[0][0]
    monkeypatch.delenv("MOTO_S3_CUSTOM_ENDPOINTS")
    again = urls(backend._url_module)
    assert again == plain[0] == plain[1] == moto_s()
    assert "https://files.zorgnota.test" not in again[0]


def _moto_callbacks() -> list[tuple[str, object, object]]:
    from moto.core.models import responses_mock

    return [(r.method, r.url, r.callback) for r in responses_mock.registered()]


def test_a_mock_start_registers_moto_s_callbacks_without_building_them_again():
    """Given moto's start as moto wrote it, and the installed one; When a mock is started
    with each, nested, and stopped; Then the same callbacks are registered in the same
    order, a nested mock's stop leaves the outer one answering, and the next start is
    reset (the bucket is gone)."""
    import boto3
    from moto import mock_aws
    from moto.core.models import MockAWS

    moto_speedup.install()
    moto_s = MockAWS._enable_patching.__wrapped__
    built = mock_aws()
    moto_s(built)  # moto's own registration, as an unpatched start makes it
    expected = _moto_callbacks()
    built._disable_patching(remove_data=True)
    assert len(expected) > 1000

    with mock_aws():
        pass  # a first start: the next ones reuse its callbacks
    with mock_aws():
        assert _moto_callbacks() == expected
        s3 = boto3.client("s3", region_name="eu-central-1")
        s3.create_bucket(
            Bucket="zorgnota-files",
            CreateBucketConfiguration={"LocationConstraint": "eu-central-1"},
        )
        with mock_aws():  # nested, as tests/functional/test_ses_notifier.py does
            assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["zorgnota-files"]
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["zorgnota-files"]
    with mock_aws():
        assert _moto_callbacks() == expected
        assert boto3.client("s3", region_name="eu-central-1").list_buckets()["Buckets"] == []
