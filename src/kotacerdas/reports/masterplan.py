"""The official master plan document, in Bahasa Indonesia, from a plan snapshot: PDF (WeasyPrint) and DOCX.

Chapters follow METHODOLOGY.md §7: Buku 1 — Analisis, Buku 2 — Masterplan. Until the version is approved every
page carries the watermark "DRAF".
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from kotacerdas.masterplan.models import Layer, Section
from kotacerdas.masterplan.services import budget_summary
from kotacerdas.pillars.models import Pillar
from kotacerdas.regions import geo
from kotacerdas.regions.models import Region

from . import svg

Progress = Callable[[int], None]
CHAPTERS = [
    (
        "Buku 1 — Analisis",
        [
            ("profile", "Profil daerah"),
            ("issues", "Isu dan permasalahan"),
            ("potentials", "Potensi daerah"),
            ("swot", "Analisis SWOT"),
            ("alignment", "Keselarasan dengan RPJMD dan prioritas nasional"),
        ],
    ),
    (
        "Buku 2 — Masterplan",
        [
            ("vision", "Visi dan misi smart city"),
            ("goals", "Tujuan dan sasaran per pilar"),
            ("programs", "Program per pilar"),
            ("budget", "Rencana anggaran indikatif"),
            ("roadmap", "Peta jalan"),
            ("quickwins", "Quick win"),
            ("enablers", "Kesiapan pendukung dan risiko"),
        ],
    ),
]


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def millions(amount: int) -> str:
    """Whole rupiah as millions with Indonesian separators: 1350000000 -> "1.350"."""
    return f"{round(amount / 1_000_000):,}".replace(",", ".")


def context(snap: dict[str, Any], approved: bool) -> dict[str, Any]:
    """Everything the document shows, computed once from the snapshot."""
    pillars = {p.key: p for p in Pillar.objects.prefetch_related("elements")}
    region = Region.objects.get(code=snap["region_code"])
    layers = dict(Layer.choices)
    by_pillar: dict[str, list[dict[str, Any]]] = {k: [] for k in pillars}
    for i in snap["initiatives"]:
        total = sum(b["amount"] for b in i["budget"])
        element = next((e.name_id for e in pillars[i["pillar"]].elements.all() if e.key == i["element"]), "")
        by_pillar[i["pillar"]].append(
            {**i, "total": rupiah(total), "layer_name": str(layers[i["layer"]]), "element_name": element}
        )
    budget = budget_summary(snap)
    return {
        "snap": snap,
        "approved": approved,
        "region": region,
        "chapters": CHAPTERS,
        "sections": snap["sections"],
        "section_titles": dict(Section.KEYS),
        "pillars": [(pillars[k], v, by_pillar[k]) for k, v in snap["pillars"].items()],
        "budget": {
            **budget,
            "rows": {s: [millions(v) for v in row.values()] for s, row in budget["rows"].items()},
            "totals": [millions(v) for v in budget["totals"].values()],
            "grand_total": rupiah(budget["grand_total"]),
        },
        "quick_wins": [i for i in snap["initiatives"] if i["quick_win"]],
        "map_svg": svg.map_point(geo.outline_geojson(0.08), region.latitude, region.longitude, region.name),
        "roadmap_svg": svg.roadmap(
            [
                (i["title"], pillars[i["pillar"]].colour, i["start_year"], i["end_year"], i["quick_win"])
                for i in snap["initiatives"]
            ],
            snap["period_start"],
            snap["period_end"],
        ),
    }


def pdf(snap: dict[str, Any], approved: bool, progress: Progress | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override("id"):
        ctx = context(snap, approved)
        if progress:
            progress(30)
        html = render_to_string("reports/masterplan.html", ctx)
    if progress:
        progress(50)
    document = HTML(string=html, base_url=".").write_pdf()
    if progress:
        progress(100)
    return bytes(document)


def docx(snap: dict[str, Any], approved: bool, progress: Progress | None = None) -> bytes:
    """The same chapters as the PDF in a Word document (the roadmap as a table)."""
    from docx import Document
    from docx.shared import Pt

    with translation.override("id"):
        ctx = context(snap, approved)
    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(snap["title"], 0)
    doc.add_paragraph(f"{ctx['region'].name} · {snap['period_start']}–{snap['period_end']}")
    if not approved:
        doc.add_paragraph("DRAF — belum disetujui")
    _docx_book1(doc, ctx)
    if progress:
        progress(50)
    _docx_book2(doc, ctx)
    data = io.BytesIO()
    doc.save(data)
    if progress:
        progress(100)
    return data.getvalue()


def _docx_book1(doc: Any, ctx: dict[str, Any]) -> None:
    s = ctx["sections"]
    doc.add_heading(CHAPTERS[0][0], 1)
    for key, title in CHAPTERS[0][1]:
        doc.add_heading(title, 2)
        if key == "alignment":
            doc.add_paragraph(s.get("rpjmd_alignment", ""))
            doc.add_paragraph(s.get("national_alignment", ""))
        else:
            doc.add_paragraph(s.get(key, "") or "–")


def _table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


def _docx_book2(doc: Any, ctx: dict[str, Any]) -> None:
    snap, s = ctx["snap"], ctx["sections"]
    doc.add_heading(CHAPTERS[1][0], 1)
    doc.add_heading("Visi dan misi smart city", 2)
    doc.add_paragraph(f"Visi: {s.get('vision', '')}")
    doc.add_paragraph(f"Misi: {s.get('mission', '')}")
    doc.add_heading("Tujuan dan sasaran per pilar", 2)
    for pillar, data, _items in ctx["pillars"]:
        doc.add_paragraph(f"{pillar.name_id}: {data['goal'] or data['justification'] or '–'}")
    doc.add_heading("Program per pilar", 2)
    for pillar, _data, items in ctx["pillars"]:
        if items:
            doc.add_heading(pillar.name_id, 3)
            _table(
                doc,
                ["Program", "Lapisan", "OPD", "Tahun", "Anggaran"],
                [
                    [
                        i["title"],
                        i["layer_name"],
                        i["lead_opd"],
                        f"{i['start_year']}–{i['end_year']}",
                        i["total"],
                    ]
                    for i in items
                ],
            )
    doc.add_heading("Rencana anggaran indikatif", 2)
    budget = ctx["budget"]
    _table(
        doc,
        ["Sumber (juta Rp)", *map(str, budget["years"])],
        [[source, *values] for source, values in budget["rows"].items()] + [["Jumlah", *budget["totals"]]],
    )
    doc.add_heading("Peta jalan", 2)
    years = list(range(snap["period_start"], snap["period_end"] + 1))
    _table(
        doc,
        ["Program", *map(str, years)],
        [
            [i["title"], *["■" if i["start_year"] <= y <= i["end_year"] else "" for y in years]]
            for i in snap["initiatives"]
        ],
    )
    doc.add_heading("Quick win", 2)
    for i in ctx["quick_wins"]:
        doc.add_paragraph(
            f"{i['title']} — {i['quick_win_owner']}, {i['quick_win_deadline']}", style="List Bullet"
        )
    doc.add_heading("Kesiapan pendukung dan risiko", 2)
    doc.add_paragraph(s.get("enablers", "") or "–")
    doc.add_paragraph(s.get("risks", "") or "–")
