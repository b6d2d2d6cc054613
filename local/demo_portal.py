"""`make demo`, the practice's side in a browser: the provider portal (R35).

A staff member of the dental practice signs in as `make serve` lets a person do it (the
portal sends the browser to the sandbox's stand-in for the Cognito hosted UI, a click on
a sample user comes back with a code only the PKCE verifier redeems), then opens the main
pages through the same request handler the sandbox server uses. The demo speaks English,
so the staff member chooses the portal's English as a person does: the "English" link in
its header (a cookie the portal keeps). Each page is printed as one or two lines of what a
person sees on it, and kept as HTML for out/portal/.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

from billing_core.texts.portal import portal_texts
from local.sandbox import Sandbox
from local.seed import SAMPLE_USERS
from local.server import SandboxServer

LANGUAGE = "en"  # the demo's own language, chosen in the portal as a person would
_TAG = re.compile(r"<[^>]+>")
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)


def text(fragment: str) -> str:
    """What a person reads of an HTML fragment: its words, tags and spacing gone."""
    return " ".join(unescape(_TAG.sub(" ", fragment)).split())


def _attribute(attribute: str) -> str:
    """A pattern for ``id="ledger"`` or ``class="invoices"`` in a tag: a class names one of
    the element's classes, as a stylesheet does (``class="invoices stacking"`` is one)."""
    name, _, value = attribute.partition("=")
    if name != "class":
        return rf"\b{re.escape(attribute)}"
    token = re.escape(value.strip('"'))
    return rf'\bclass="(?:[^"]*\s)?{token}(?:\s[^"]*)?"'


def element(page: str, attribute: str) -> str:
    """The inside of the first element with this attribute, e.g. ``id="ledger"`` (one
    that holds no element of its own kind)."""
    found = re.search(rf"<(\w+)[^>]*{_attribute(attribute)}[^>]*>(.*?)</\1>", page, re.S)
    assert found is not None, attribute
    return found.group(2)


def rows(page: str, attribute: str) -> list[list[str]]:
    """The body rows of the table with this attribute, each as the texts of its cells (the
    header row left out); none when the page has no such table (an empty list says so)."""
    if re.search(rf"<\w+[^>]*{_attribute(attribute)}", page) is None:
        return []
    body = re.split(r"<tbody[^>]*>", element(page, attribute), maxsplit=1)[-1]
    body = body.split("</tbody>", 1)[0]
    return [[text(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(body)]


class PortalVisit:
    """A browser in miniature on the sandbox server's handler: it keeps the session cookie."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.server = SandboxServer(sandbox)  # as `make serve`: the sample users invited
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}  # file name -> the page, for out/portal/

    def request(
        self, method: str, target: str, body: bytes = b""
    ) -> tuple[int, dict[str, str], str]:
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["content-type"] = "application/x-www-form-urlencoded"
        status, answer_headers, answer = self.server.handle(method, target, headers, body)
        for line in filter(None, answer_headers.get("Set-Cookie", "").split("\n")):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0].strip()
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return status, answer_headers, answer.decode("utf-8", "replace")

    def sign_in(self, email: str) -> str:
        """The code flow with PKCE, as a click on the sign-in page does; the page's banner."""
        _, to_hosted_ui, _ = self.request("GET", "/portal/login")
        asked = dict(parse_qsl(urlsplit(to_hosted_ui["Location"]).query))
        chosen = urlencode({"email": email, **asked}).encode()
        _, back, _ = self.request("POST", "/_local/sign-in", chosen)
        callback = urlsplit(back["Location"])
        status, _, _ = self.request("GET", f"{callback.path}?{callback.query}")
        assert status == 200, status
        return self.page("/portal/", "overzicht")

    def choose_language(self, page: str, language: str) -> str:
        """A click on the header's link to the other language (R35: the portal's texts are
        nl and en); the overview again, now in that language."""
        link = re.search(rf'<a href="(/portal/taal/{language})"', page)
        assert link is not None, language
        status, back, _ = self.request("GET", link.group(1))
        assert status == 303 and back["Location"] == "/portal/", (status, back)
        return self.page("/portal/", "overzicht")

    def page(self, target: str, name: str) -> str:
        status, _, page = self.request("GET", target)
        assert status == 200, (target, status)
        self.pages[f"{name}.html"] = page.replace('href="/portal/static/', 'href="static/')
        return page

    def stylesheet(self) -> bytes:
        _, _, css = self.request("GET", "/portal/static/portal.css")
        return css.encode("utf-8")


def visit_the_portal(sandbox: Sandbox, provider_id: str, kenmerk: str) -> PortalVisit:
    """Sign in as the practice's sample staff member and read the main pages; ``kenmerk``:
    the invoice looked up on Nota's (as printed, in groups of four)."""
    staff = next(
        u.email for u in SAMPLE_USERS if u.provider_id == provider_id and u.role.value == "staff"
    )
    visit = PortalVisit(sandbox)
    overview = visit.choose_language(visit.sign_in(staff), LANGUAGE)
    t = portal_texts(LANGUAGE)
    banner = text(element(overview, 'id="signed-in"'))
    print(
        f"  GET /portal/ -> the sign-in page (the sandbox's hosted UI), {staff} chosen -> "
        f'"{banner}"'
    )
    listed_actions = element(overview, 'id="open-actions"') if "open-actions" in overview else ""
    actions = ", ".join(
        text(item).replace(":", "") for item in re.findall(r"<li>(.*?)</li>", listed_actions)
    )
    handed_over = text(element(overview, 'id="handed-over"'))
    print(f"  {t('nav_overview')}: open actions {actions or '-'}; {handed_over}")

    uploads = rows(visit.page("/portal/declaraties", "declaraties"), 'id="uploads"')
    outcomes = Counter(row[3] for row in uploads)
    print(
        f"  {t('nav_declarations')}: {len(uploads)} uploads ("
        + ", ".join(f"{outcome} {count}" for outcome, count in sorted(outcomes.items()))
        + ")"
    )

    listed = rows(visit.page("/portal/notas", "notas"), 'class="invoices"')
    states = Counter(row[-1] for row in listed)
    print(
        f"  {t('nav_invoices')}: {len(listed)} invoices ("
        + ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
        + ")"
    )
    # A kenmerk typed that finds its invoice opens it (303 to the invoice's page).
    status, to_invoice, _ = visit.request("GET", f"/portal/notas?{urlencode({'kenmerk': kenmerk})}")
    assert status == 303, status
    invoice = visit.page(to_invoice["Location"], "nota")
    ledger = rows(invoice, 'id="ledger"')
    letters = element(invoice, 'id="letters"') if 'id="letters"' in invoice else ""
    due = text(element(invoice, 'id="amount-due"'))
    state = text(element(invoice, 'id="invoice-state"'))
    print(
        f"  {t('nav_invoices')}, kenmerk {kenmerk} typed: {due} open, "
        f"state {state}; {len(ledger)} ledger entries ("
        + ", ".join(f"{kind} {count}" for kind, count in Counter(r[1] for r in ledger).items())
        + f"), {letters.count('<li>')} letters"
    )

    open_actions = rows(visit.page("/portal/acties", "acties"), 'id="actions"')
    # The "what" cell: the kind's name, then what the action's details say.
    names = [v for k, v in t.entries.items() if k.startswith("action_kind_")]
    kinds = Counter(next(n for n in names if row[1].startswith(n)) for row in open_actions)
    print(
        f"  {t('nav_actions')}: {len(open_actions)} open ("
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        + ")"
    )

    blocked = rows(visit.page("/portal/geblokkeerd", "geblokkeerd"), 'id="blocked"')
    since = ", ".join(f"{patient} since {day}" for patient, day in blocked)
    print(f"  {t('nav_blocked')}: {len(blocked)}" + (f" ({since})" if blocked else ""))

    weeks = rows(visit.page("/portal/uitbetalingen", "uitbetalingen"), 'id="payouts"')
    latest = (
        f", the latest {weeks[0][0]}: received {weeks[0][1]}, payout {weeks[0][4]}" if weeks else ""
    )
    print(f"  {t('nav_payouts')}: {len(weeks)} weekly statements{latest}")

    risk = visit.page("/portal/debiteurenrisico", "debiteurenrisico")
    heads = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", element(risk, 'id="risk-table"'))]
    nothing = t.euros(0)
    for month in (m for m in rows(risk, 'id="risk-table"') if m[-1] != nothing):
        amounts = zip(heads[1:], month[1:], strict=False)
        print(
            f"  {t('nav_risk')} (a chart and its table), {month[0]}: "
            + ", ".join(f"{head} {value}" for head, value in amounts if value != nothing)
        )
    return visit
