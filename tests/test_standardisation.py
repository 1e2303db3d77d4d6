"""helpers.standardisation: heterogeneity of the MSC products and outcomes across studies."""
import math

import matplotlib.pyplot as plt
import pytest

import helpers.standardisation as st_
from helpers.studies import verified_studies


@pytest.mark.parametrize("value, expected", [
    (None, None), (1.0e6, 1e6), ("1.0e6", 1e6), ("2e6 (n=5) or 4e6 (n=3)", 2e6),
    ("1e6, once (per Zhou 2020 review Table 1 - secondary, unverified)", None)])
def test_dose_per_kg(value, expected):
    assert st_.dose_per_kg(value) == expected


def test_dose_per_kg_rejects_bad_input():
    with pytest.raises(ValueError, match="value"):
        st_.dose_per_kg(True)
    with pytest.raises(ValueError, match="value"):
        st_.dose_per_kg([1])


def test_table_has_one_row_per_verified_study_and_marks_gaps():
    table = st_.heterogeneity_table()
    assert len(table) == len([r for r in verified_studies() if not r.get("superseded_by")])
    assert (table["potency_assay"] == "not in dataset").all()
    doses = [d for d in table["dose_per_kg"] if not math.isnan(d)]
    assert min(doses) >= 1e5 and max(doses) <= 1e8
    assert "own (autologous)" in set(table["donor"])


def test_completeness_counts_and_plot():
    table = st_.heterogeneity_table()
    counts = st_.reporting_completeness(table)
    assert list(counts) == list(st_.ITEMS)
    assert counts["donor or own cells"] == len(table)
    assert counts["potency assay"] == 0
    fig = st_.plot_reporting_completeness(counts, len(table))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert f"0/{len(table)}" in texts
    plt.close(fig)
    with pytest.raises(ValueError, match="n_studies"):
        st_.plot_reporting_completeness(counts, 1)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the reporting-completeness bars."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [st_.plot_reporting_completeness()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
