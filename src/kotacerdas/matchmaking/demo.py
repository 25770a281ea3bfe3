"""Demo data (also the tests' fixtures): a published KPBU proposal of Luwu Utara (its flood early-warning
stations), the demo partner's company (verified) and a second proposal still in draft."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kotacerdas.core.models import Role, User
from kotacerdas.masterplan.models import Initiative

from . import services
from .models import Partner, Proposal

B = 1_000_000_000
FLOOD_PROPOSAL: dict[str, Any] = {
    "title": "Jaringan sensor banjir Luwu Utara",
    "scope": "Sensor muka air di Sungai Rongkong, Masamba dan Radda, dan layanan peringatan dini (contoh).",
    "pillar": "environment",
    "sector": "disaster-early-warning",
    "location": "Masamba, Luwu Utara",
    "capex_idr": 40 * B,
    "opex_idr": 2 * B,
    "cost_items": [
        {"item": "sensor dan stasiun", "kind": "capex", "amount": 30 * B},
        {"item": "jaringan dan pusat kendali", "kind": "capex", "amount": 10 * B},
        {"item": "operasi dan pemeliharaan", "kind": "opex", "amount": 2 * B},
    ],
    "scheme": "kpbu-availability",
    "revenue_model": "Pembayaran ketersediaan layanan dari APBD selama 10 tahun.",
    "stage": "preparation",
    "contact_name": "Kepala Diskominfo Luwu Utara (contoh)",
    "contact_email": "diskominfo@luwuutara.example.id",
}
DEMO_COMPANY: dict[str, Any] = {
    "name": "PT Mitra Kota (contoh)",
    "nib": "9120001234567",
    "npwp": "01.234.567.8-901.000",
    "sectors": ["disaster-early-warning", "water"],
    "pillars": ["environment", "living"],
    "schemes": ["kpbu-availability", "kpbu-user-charge"],
    "ticket_min_idr": 10 * B,
    "ticket_max_idr": 80 * B,
    "regions": ["73"],
}


@transaction.atomic
def seed_matchmaking() -> dict[str, int]:
    """Idempotent: needs the demo users and Luwu Utara's approved plan."""
    officer = User.objects.filter(role=Role.REGIONAL_OFFICER, region_id="73.22").order_by("pk").first()
    reviewer = User.objects.filter(role=Role.NATIONAL_REVIEWER).order_by("pk").first()
    admin = User.objects.filter(role=Role.NATIONAL_ADMIN).order_by("pk").first()
    partner_user = User.objects.filter(role=Role.PARTNER).order_by("pk").first()
    stations = Initiative.objects.filter(
        plan__region_id="73.22", title__startswith="Stasiun pemantau"
    ).first()
    if None in (officer, reviewer, admin, partner_user, stations) or Proposal.objects.exists():
        return {"proposals": Proposal.objects.count()}
    proposal = services.create_proposal(officer, "73.22", FLOOD_PROPOSAL, [stations.pk])
    services.publish(reviewer, proposal)
    draft = {**FLOOD_PROPOSAL, "title": "Kios layanan publik digital (draf)", "pillar": "governance"}
    draft.update(sector="e-government", capex_idr=5 * B, opex_idr=0, cost_items=[], stage="planning")
    services.create_proposal(officer, "73.22", draft, [stations.pk])
    if not Partner.objects.filter(user=partner_user).exists():
        services.verify_partner(admin, services.register_partner(partner_user, DEMO_COMPANY))
    return {"proposals": Proposal.objects.count()}
