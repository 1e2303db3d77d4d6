"""Checks for the exercises of notebook 01 (lupus pathology and scoring)."""
from __future__ import annotations

from helpers.scores import (classify_eular_acr_2019, eular_acr_threshold, sledai_2k,
                      sledai_change_convention, sledai_descriptors, sledai_weights)
from helpers.vignettes import VIGNETTES
from . import exercise


def _ids(answer, valid) -> tuple[set, list]:
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise TypeError("answer must be a list of ids")
    answer = list(answer)
    unknown = [a for a in answer if a not in valid]
    return set(answer) - set(unknown), unknown


@exercise("1.1")
def sledai_vignette_a(answer) -> str:
    """Descriptor ids present in vignette A."""
    weights = sledai_weights()
    if isinstance(answer, int) and not isinstance(answer, bool):
        return ("not quite — give the list of descriptor ids (e.g. ['arthritis', ...]), "
                "not the score; the score follows from the list.")
    ticked, unknown = _ids(answer, weights)
    if unknown:
        return (f"not quite — {unknown} are not SLEDAI-2K descriptor ids; use the ids in "
                "the table above (e.g. 'mucosal_ulcers', 'low_complement').")
    key = set(VIGNETTES["A"]["sledai_key"])
    limits = {d["id"]: d.get("numbers", {}) for d in sledai_descriptors()}
    if ticked == key:
        return (f"correct — {sledai_2k(key)} points: each present descriptor adds its full "
                "weight once; the temperature is just under the fever threshold, and the "
                "platelet and white-cell counts are well above the SLEDAI-2K cut-offs.")
    extra, missing = sorted(ticked - key), sorted(key - ticked)
    if "fever" in extra:
        return (f"not quite — fever needs a temperature above "
                f"{limits['fever']['temp_c_gt']} °C; 37.9 °C does not count.")
    if "thrombocytopenia" in extra or "leukopenia" in extra:
        return ("not quite — check the blood counts against the thresholds: platelets must "
                f"be below {limits['thrombocytopenia']['platelets_e9_per_l_lt']} and white "
                f"cells below {limits['leukopenia']['wbc_e9_per_l_lt']} (× 10^9/L).")
    if "proteinuria" in missing:
        return (f"not quite — 0.9 g of protein per 24 h is above the "
                f"{limits['proteinuria']['g_per_24h_gt']} g threshold, so proteinuria counts.")
    if {"low_complement", "increased_dna_binding"} & set(missing):
        return ("not quite — the laboratory descriptors count too: low complement and "
                f"raised anti-dsDNA binding each add {weights['low_complement']} points.")
    if extra:
        return f"not quite — {extra} are not supported by the findings; reread them."
    return f"not quite — you missed {len(missing)} present descriptor(s); go through each organ."


@exercise("1.2")
def sri4_sledai_component(answer) -> str:
    """SLEDAI reduction from vignette A to its follow-up, and whether it meets SRI-4's rule."""
    threshold = sledai_change_convention("SRI-4 SLEDAI component")["numbers"][
        "sledai_reduction_ge"]
    before = sledai_2k(VIGNETTES["A"]["sledai_key"])
    after = sledai_2k(VIGNETTES["A"]["followup"]["sledai_key"])
    reduction = before - after
    if not isinstance(answer, dict) or set(answer) != {"reduction", "meets_sri4_sledai"}:
        return "not quite — keep the dict with the keys 'reduction' and 'meets_sri4_sledai'."
    got, meets = answer["reduction"], answer["meets_sri4_sledai"]
    if got == -reduction:
        return "not quite — the reduction is the score before minus the score after."
    if got != reduction:
        return ("not quite — score both visits with sledai_2k and subtract; the follow-up "
                "keeps every finding except the one that resolved.")
    if not isinstance(meets, bool):
        return "not quite — 'meets_sri4_sledai' should be True or False."
    if meets != (reduction >= threshold):
        return (f"not quite — the SRI-4 rule is a reduction of at least {threshold} points "
                "(greater than or equal), not more than it.")
    return (f"correct — a {reduction}-point drop meets the ≥ {threshold} rule (scored here on "
            "SLEDAI-2K; trials score SELENA-SLEDAI), yet it came entirely from one joint item "
            "while the kidney and serology items persist; SRI-4 adds BILAG and "
            "physician-global conditions for that reason.")


@exercise("1.3")
def eular_vignette_b(answer) -> str:
    """Counted criterion per domain, total and verdict for vignette B."""
    record = VIGNETTES["B"]
    result = classify_eular_acr_2019(record["eular_key"], record["ana_positive"])
    if not isinstance(answer, dict) or set(answer) != {"counted", "total", "classified"}:
        return "not quite — keep the dict with the keys 'counted', 'total' and 'classified'."
    counted = answer["counted"]
    if not isinstance(counted, dict):
        return "not quite — 'counted' should map each domain to the criterion id that counts."
    if counted.get("complement_proteins") == "low_c3_or_c4":
        return ("not quite — both C3 and C4 are low, so the higher-weighted 'low_c3_and_c4' "
                "counts (and only it).")
    if answer["total"] == result.total + 2:
        return ("not quite — oral ulcers and alopecia are both in the mucocutaneous domain: "
                "only one 2-point criterion counts there.")
    if answer["total"] == result.total + 3:
        return ("not quite — within complement proteins count only the highest criterion "
                "(4), not 3 + 4.")
    muco_ok = counted.get("mucocutaneous") in {"oral_ulcers", "nonscarring_alopecia"}
    rest = {k: v for k, v in counted.items() if k != "mucocutaneous"}
    expected_rest = {k: v for k, v in result.counted.items() if k != "mucocutaneous"}
    if not muco_ok or rest != expected_rest:
        return ("not quite — list one criterion per domain: mucocutaneous, hematologic and "
                "complement_proteins (negative tests count in no domain).")
    if answer["total"] != result.total:
        return "not quite — add the weights of the counted criteria only."
    if answer["classified"] is not result.classified:
        return (f"not quite — {result.total} points is below the threshold of "
                f"{eular_acr_threshold()}, so the "
                "criteria do not classify this patient (which does not rule SLE out).")
    return (f"correct — {result.total} points, not classified: one criterion per domain "
            "counts, and this patient may still have SLE clinically; classification is not "
            "diagnosis.")
