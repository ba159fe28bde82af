"""The demo company's agents: 李建军 under an authorisation the office recorded (so the demo
shows the company's vehicles), and 赵雪梅, named by the company and verified, still waiting for
the office to record hers (she signs in and sees nothing of the company; an officer records it
at /office/agents/)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from PIL import Image, ImageDraw

from vmo.registry.models import AgentAuthorisation, Company, Person
from vmo.registry.services import agent_authorise, agent_name

from . import identifiers as ids
from .ensure import person_ensure

PENDING_AGENT_PHONE = "13899990061"


def _letter() -> bytes:
    """A plain page standing for the scanned letter (a real office keeps the scan)."""
    page = Image.new("RGB", (620, 877), "white")
    ImageDraw.Draw(page).rectangle((40, 40, 580, 837), outline="black", width=3)
    buffer = BytesIO()
    page.save(buffer, format="PNG")
    return buffer.getvalue()


def agents_ensure(today: date, company: Company, agent: Person) -> list[tuple[Person, str]]:
    """Idempotent: the authorised agent's current authorisation, and the pending agent."""
    if not AgentAuthorisation.objects.filter(
        company=company, person=agent, revoked_at__isnull=True, valid_until__gte=today
    ).exists():
        agent_authorise(
            actor=None,
            company=company,
            person=agent,
            letter=_letter(),
            letter_content_type="image/png",
            letter_extension=".png",
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=335),
        )
    pending = person_ensure(
        name="赵雪梅",
        id_number=ids.id_number_from("652301", date(1990, 9, 3), 248),
        phone=PENDING_AGENT_PHONE,
        address="新疆昌吉市延安北路21号",
    )
    agent_name(actor=None, company=company, person=pending)
    return [(pending, "company agent awaiting authorisation 赵雪梅")]
