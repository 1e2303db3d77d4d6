"""Invented patient vignettes for the scoring exercises (illustrative, not real patients).

Each vignette lists findings in plain words; the answer keys (the descriptor or criterion
ids that apply) are used only by the exercise checks in ``helpers.checks.nb01``.  Findings
are chosen so that some sit just outside a threshold, to practise reading the definitions.

References
----------
Notebook ``01_lupus_pathology``, exercises 1.1-1.3.
"""
from __future__ import annotations

__all__ = ["VIGNETTES", "vignette_text"]

VIGNETTES = {
    "A": {
        "title": "Vignette A (invented): a clinic visit",
        "findings": [
            "a 27-year-old woman with known SLE; painful, swollen wrists and knuckles "
            "(4 joints) for two weeks",
            "a new red rash over the cheeks and nose",
            "two painless ulcers on the hard palate",
            "temperature 37.9 °C, no infection found",
            "platelets 130 × 10^9/L; white cells 4.1 × 10^9/L",
            "urine protein 0.9 g per 24 h; urine microscopy without casts, red or white "
            "cells",
            "low C3; anti-dsDNA above the laboratory range",
        ],
        "sledai_key": ["arthritis", "rash", "mucosal_ulcers", "proteinuria",
                       "low_complement", "increased_dna_binding"],
        "followup": {
            "title": "Vignette A, three months later (invented)",
            "findings": ["joints no longer swollen or tender", "rash and ulcers still present",
                         "urine protein 0.7 g per 24 h", "C3 and anti-dsDNA unchanged"],
            "sledai_key": ["rash", "mucosal_ulcers", "proteinuria", "low_complement",
                           "increased_dna_binding"],
        },
    },
    "B": {
        "title": "Vignette B (invented): is this SLE for a study?",
        "findings": [
            "a 34-year-old man referred with fatigue; ANA positive at a titre of 1:160 on "
            "HEp-2 cells",
            "recurrent oral ulcers seen by his doctor, and patchy non-scarring hair loss",
            "white-cell count 3.5 × 10^9/L on two occasions, no drug explanation",
            "both C3 and C4 below the lower limit of normal",
            "anti-dsDNA and anti-Sm negative; antiphospholipid antibodies negative",
            "no joint swelling, no rash, normal urine",
        ],
        "ana_positive": True,
        "eular_key": ["oral_ulcers", "nonscarring_alopecia", "leukopenia", "low_c3_and_c4"],
    },
}


def vignette_text(name: str, *, followup: bool = False) -> str:
    """Return a vignette as Markdown (title plus a bulleted list of findings).

    Raises
    ------
    ValueError
        If ``name`` is unknown or has no follow-up visit.
    """
    if name not in VIGNETTES:
        raise ValueError(f"name must be one of {sorted(VIGNETTES)}; got {name!r}")
    record = VIGNETTES[name]
    if followup:
        if "followup" not in record:
            raise ValueError(f"vignette {name!r} has no follow-up visit")
        record = record["followup"]
    bullets = "\n".join(f"- {item}" for item in record["findings"])
    return f"**{record['title']}**\n\n{bullets}"
