"""helpers.audit: every seed claim has a verdict, resolvable references and a notebook."""
import matplotlib.pyplot as plt
import pytest

from conftest import ROOT
import helpers.audit as audit
from helpers.core.references import references


def test_every_claim_has_a_verdict_strength_and_reason():
    claims = audit.claims()
    assert len(claims) >= 15
    for c in claims:
        assert c["verdict"] in audit.VERDICTS
        assert c["strength"] in audit.STRENGTHS
        assert len(c["claim"]) <= 120, c["id"]  # one short line
        assert c["reason"].strip()


def test_safety_claim_is_only_partly_supported():
    """Short-term harms across conditions are reassuring; lupus and long-term safety are not shown."""
    claim = {c["id"]: c for c in audit.claims()}["c12_generally_safe"]
    assert claim["verdict"] == "partly supported"
    assert "not established in lupus" in claim["reason"]


def test_every_reference_key_resolves():
    keys = set(references())
    for c in audit.claims():
        assert c["references"], c["id"]
        assert set(c["references"]) <= keys, c["id"]


def test_every_notebook_link_is_planned_and_exists_when_present():
    present = {p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert present <= set(audit.PLANNED_NOTEBOOKS), present - set(audit.PLANNED_NOTEBOOKS)
    for c in audit.claims():
        assert c["notebook"] in audit.PLANNED_NOTEBOOKS
        # every notebook a verdict links to must exist in the series
        assert (ROOT / "notebooks" / f"{c['notebook']}.ipynb").exists(), c["id"]


def test_verdicts_cover_all_kinds_and_table_links():
    counts = audit.verdict_counts()
    assert all(counts[v] >= 1 for v in audit.VERDICTS)
    table = audit.audit_table(links=True)
    assert table["notebook"].str.match(r"\[\d\d\]\(\d\d_[a-z_]+\.ipynb\)").all()
    with pytest.raises(ValueError, match="notebook"):
        audit.notebook_link("99_nothing")
    fig = audit.plot_verdicts()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(audit.VERDICTS)
    plt.close(fig)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the verdict bars."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [audit.plot_verdicts()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
