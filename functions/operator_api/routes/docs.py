"""The operator API's OpenAPI document (the Swagger UI is enabled on the app)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

router = Router()


@router.get("/api/v1/operator/openapi.json", include_in_schema=False)
def openapi():  # noqa: ANN201 - a typed Response would enter the schema it serves
    assert router.api_resolver is not None  # set when the app includes this router
    return Response(200, "application/json", router.api_resolver.get_openapi_json_schema())
