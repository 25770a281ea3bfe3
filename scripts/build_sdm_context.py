"""Build the bundled Smart Data Models @context for the models kotacerdas uses.

Run by hand; the output is committed.

Source: the attribute database inside the `pysmartdatamodels` wheel (model-assets/smartdatamodels.json.gz),
which records, for every attribute of every model, the IRI its term expands to. Usage:

    pip download --no-deps pysmartdatamodels==0.8.2.0 -d /tmp/sdm && unzip -q /tmp/sdm/*.whl -d /tmp/sdm
    python scripts/build_sdm_context.py /tmp/sdm/pysmartdatamodels/model-assets/smartdatamodels.json.gz
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

MODELS = (
    "WaterObserved",
    "FloodMonitoring",
    "AirQualityObserved",
    "KeyPerformanceIndicator",
    "Alert",
    "Device",
)
OUTPUT = Path(__file__).resolve().parents[1] / "src/kotacerdas/context/data/smartdatamodels-context.jsonld"
CORE_TERMS = {"id", "type", "location", "description", "observationSpace", "operationSpace"}


def main(database: str) -> None:
    with gzip.open(database) as handle:
        records = json.load(handle)
    terms: dict[str, str] = {}
    for record in records:
        if record.get("dataModel") not in MODELS or "parentId" in record:
            continue
        repo, model = record["repoName"], record["dataModel"]
        terms.setdefault(model, f"https://smartdatamodels.org/{repo}/{model}")
        name, iri = record["property"], record.get("context")
        if name in CORE_TERMS or not iri:
            continue
        if terms.setdefault(name, iri) != iri:
            sys.stderr.write(f"{name}: kept {terms[name]}, skipped {iri}\n")
    document = {"@context": dict(sorted(terms.items()))}
    OUTPUT.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(terms)} terms written to {OUTPUT}\n")


if __name__ == "__main__":
    main(sys.argv[1])
