"""Who the patient can reach, and how (R36): the practice's name, address, phone, e-mail,
website and opening hours, as the checker, the e-mails, the invoice PDF and the letters
show them. Only the practice's details: never anything of the patient.

The one place that knows where a provider keeps them. Provider settings v2 (interfaces.md
§6: ``address {street, house_number, house_number_suffix, postcode, city}``, ``contact
{email, phone, website, hours}``) brings the full set; a provider as stored today has
``name``, ``city`` and ``contact_email`` only, and is shown with those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billing_core.providers.provider import Provider


@dataclass(frozen=True, slots=True)
class PracticeContact:
    name: str
    street_line: str = ""  # "Dorpsstraat 1 a"
    place_line: str = ""  # "1234 AB Noorddorp", or the city alone
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""  # as the practice writes them: "ma-vr 8:30-17:00"

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.street_line, self.place_line) if line)

    @property
    def phone_uri(self) -> str:
        """tel: link for a phone number as people type it: "+31 (0)30 123 45 67"."""
        digits = "".join(c for c in self.phone.replace("(0)", "") if c.isdigit() or c == "+")
        return f"tel:{digits}" if digits else ""


def practice_contact(provider: Provider) -> PracticeContact:
    address: Any = getattr(provider, "address", None)
    contact: Any = getattr(provider, "contact", None)
    return PracticeContact(
        name=provider.name,
        street_line=_street_line(address),
        place_line=_place_line(address) or provider.city,
        phone=_field(contact, "phone"),
        email=_field(contact, "email") or provider.contact_email,
        website=_field(contact, "website"),
        hours=_field(contact, "hours"),
    )


def _street_line(address: Any) -> str:
    parts = (_field(address, name) for name in ("street", "house_number", "house_number_suffix"))
    return " ".join(part for part in parts if part)


def _place_line(address: Any) -> str:
    parts = (_field(address, name) for name in ("postcode", "city"))
    return " ".join(part for part in parts if part)


def _field(holder: Any, name: str) -> str:
    """A settings field as text; "" when the settings do not have it (yet)."""
    return str(getattr(holder, name, "") or "").strip()
