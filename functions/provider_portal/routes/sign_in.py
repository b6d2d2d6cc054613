"""Signing in (the hosted UI's code flow with PKCE), out, the language, the stylesheet."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from billing_core.entrypoints.web import portal
from billing_core.entrypoints.web.portal import web

router = Router()
STYLESHEET = (Path(portal.__file__).parent / "static" / "portal.css").read_text(encoding="utf-8")


@router.get("/portal/login")
def sign_in() -> Response[str | bytes]:
    return web.start_sign_in()


@router.get("/portal/callback")
def callback() -> Response[str | bytes]:
    return web.finish_sign_in(router.current_event)


@router.post("/portal/logout")
def sign_out() -> Response[str | bytes]:
    return web.sign_out(router.current_event)


@router.get("/portal/taal/<language>")
def language(language: str) -> Response[str | bytes]:
    return web.choose_language(language)


@router.get("/portal/static/portal.css")
def stylesheet() -> Response[str | bytes]:
    return Response(HTTPStatus.OK.value, "text/css; charset=utf-8", STYLESHEET)
