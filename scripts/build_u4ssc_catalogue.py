"""Build the packaged U4SSC catalogue CSV from ../shared/reference/u4ssc-kpis.md (the reference table).

Run once when the reference changes: python scripts/build_u4ssc_catalogue.py PATH_TO_u4ssc-kpis.md
The CSV ships in the package, so installs never need the reference file.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/kotacerdas/indicators/data/u4ssc.csv"
PILLARS = {
    "governance": "governance",
    "branding": "branding",
    "economy": "economy",
    "society": "society",
    "living": "living",
    "environment": "environment",
}


def pillar_of(text: str) -> str:
    first = re.split(r"[ /(]", text.strip().lower(), maxsplit=1)[0]
    if first not in PILLARS:
        raise SystemExit(f"cannot map pillar {text!r}")
    return PILLARS[first]


def main(source: Path) -> None:
    rows = []
    for line in source.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 12 or not cells[0].isdigit():
            continue
        number, code, name, level, path, definition, unit, formula, better, origin, pillar, source_id = cells
        rows.append(
            {
                "code": code.strip("`").rstrip("*"),
                "name": name,
                "level": level.lower(),
                "path": path,
                "definition": definition,
                "unit": unit,
                "formula": formula,
                "direction": "higher" if "↑" in better else "lower",
                "pillar": pillar_of(pillar),
                "pillar_note": pillar,
                "indonesian_source": source_id,
            }
        )
    if len(rows) != 91:
        raise SystemExit(f"expected 91 KPIs, found {len(rows)}")
    with OUT.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} KPIs to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/u4ssc-kpis.md"))
