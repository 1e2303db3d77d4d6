"""helpers.regulation: clinic counts from the verified reg_* facts."""
import matplotlib.pyplot as plt
import pytest

import helpers.regulation as regulation
from helpers.core.data import fact_number


def test_counts_and_growth_come_from_facts():
    first, last = regulation.clinic_growth()
    assert first["businesses"] == fact_number("reg_turner_knoepfler_2016", "businesses")
    assert last["clinics"] == fact_number("reg_turner_2021", "clinics")
    assert first["read_in"] == "secondary reports of the paper"
    assert regulation.growth_factor() == pytest.approx(last["businesses"] / first["businesses"])
    assert regulation.growth_factor("clinics") > 1
    with pytest.raises(ValueError, match="what"):
        regulation.growth_factor("patients")


def test_routes_table_and_plot():
    routes = regulation.regulatory_routes()
    assert {"USA", "EU", "Japan"} <= set(routes["region"])
    eu_rule = routes[(routes["region"] == "EU") & (routes["kind"] == "rule")].iloc[0]
    assert "30 December 2008" in eu_rule["what it says"]
    assert "hospital exemption (Article 28)" in eu_rule["what it says"]
    assert "April 2015" not in eu_rule["what it says"]
    fig = regulation.plot_clinic_growth()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["2016*", "2021"]
    assert "1,480" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_own_text_rows_state_the_numbers_they_carry():
    import calendar

    for row in regulation._routes():
        if "fact" in row:
            continue
        text = row["text"]
        for value in row["numbers"].values():
            value = str(value)
            parts = value.split("-")
            if len(parts) == 3:
                value = f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
            elif len(parts) == 2:
                value = f"{calendar.month_name[int(parts[1])]} {parts[0]}"
            assert value in text, (value, row["region"])


def test_a_route_row_needs_a_fact_or_its_own_cited_text(monkeypatch):
    from helpers.core.data import DataError

    bad = [{"region": "EU", "kind": "rule", "text": "no source"}]
    monkeypatch.setattr(regulation, "load_records", lambda *a, **k: bad)
    regulation._routes.cache_clear()
    try:
        with pytest.raises(DataError, match="fact"):
            regulation._routes()
    finally:
        monkeypatch.undo()
        regulation._routes.cache_clear()


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the clinic-growth bars."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [regulation.plot_clinic_growth()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def test_routes_include_china_canada_and_japans_clinic_route():
    routes = regulation.regulatory_routes()
    china = routes[routes["region"] == "China"].iloc[0]["what it says"]
    assert "2 January 2025" in china and "amimestrocel" in china
    canada = routes[routes["region"] == "Canada"].iloc[0]["what it says"]
    assert "May 2012" in canada and "Prochymal" in canada
    clinic = routes[routes["kind"] == "rule (clinic route)"].iloc[0]
    assert clinic["region"] == "Japan"
    assert "no product approval is needed" in clinic["what it says"]
