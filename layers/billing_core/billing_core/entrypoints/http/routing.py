"""How an API's app finds its routes (one Powertools ``Router`` per resource, in the
``routes/`` package next to the function's ``app.py``), and what routes answer alike."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from importlib import import_module
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from pydantic import BaseModel


def include_routes(app: APIGatewayRestResolver, package: str, resources: Sequence[str]) -> None:
    """``package``: the app module's ``__package__``. Lambda runs the function's folder as
    the root (``routes.<resource>``); the sandbox and the tests import the same files as
    ``functions.<api>.routes.<resource>``."""
    routes = f"{package}.routes" if package else "routes"
    for resource in resources:
        app.include_router(import_module(f"{routes}.{resource}").router)


def csv_download(file_name: str, text: str) -> Response[str]:
    return Response(
        HTTPStatus.OK.value,
        "text/csv; charset=utf-8",
        text,
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


def json_or_csv(description: str, model: type[BaseModel]) -> dict[int, dict[str, Any]]:
    """The documented 200 of a route that answers JSON, or CSV with ?format=csv."""
    return {
        200: {
            "description": description,
            "content": {
                "application/json": {"model": model},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
