"""Rate ratios with exact and Mantel–Haenszel intervals, against hand-worked examples and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_ledger.ledger.rates import Stratum, binomial_cdf, clopper_pearson, exact_ratio, mantel_haenszel


def test_clopper_pearson_matches_published_values() -> None:
    low, high = clopper_pearson(2, 10)  # tabulated: 0.0252, 0.5561
    assert low == pytest.approx(0.02521, abs=1e-4) and high == pytest.approx(0.55610, abs=1e-4)
    assert clopper_pearson(0, 10) == (0.0, pytest.approx(0.30850, abs=1e-4))  # (α/2)^(1/n) rule: 1 - 0.025^(1/10)
    assert clopper_pearson(10, 10)[1] == 1.0


def test_exact_ratio_maps_the_binomial_interval() -> None:
    ratio = exact_ratio(Stratum(a=2, t1=5.0, b=8, t0=5.0))  # equal times: RR = p / (1 - p)
    assert ratio.ratio == pytest.approx(0.25)
    assert ratio.low == pytest.approx(0.02521 / (1 - 0.02521), rel=1e-3)
    assert ratio.high == pytest.approx(0.55610 / (1 - 0.55610), rel=1e-3)
    assert not ratio.conclusive  # 0.026–1.25 includes 1


def test_exact_ratio_edges() -> None:
    assert exact_ratio(Stratum(0, 1.0, 0, 1.0)).ratio is None  # no incident: nothing to compare
    assert exact_ratio(Stratum(3, 0.0, 1, 1.0)).ratio is None  # no time after releases
    none_after = exact_ratio(Stratum(0, 1.0, 9, 3.0))
    assert none_after.ratio == 0 and none_after.low == 0 and 0 < none_after.high < math.inf
    none_outside = exact_ratio(Stratum(6, 1.0, 0, 3.0))
    assert none_outside.ratio == math.inf and none_outside.high == math.inf and none_outside.low > 1
    assert none_outside.conclusive


def test_mantel_haenszel_one_stratum_is_the_crude_ratio() -> None:
    # a=10 over 2, b=20 over 8: RR = (10/2)/(20/8) = 2; Var = (30·2·8/100) / (8·4) = 0.15
    ratio = mantel_haenszel([Stratum(10, 2.0, 20, 8.0)])
    assert ratio.ratio == pytest.approx(2.0)
    assert ratio.low == pytest.approx(2.0 * math.exp(-1.959964 * math.sqrt(0.15)), rel=1e-6)
    assert ratio.high == pytest.approx(2.0 * math.exp(1.959964 * math.sqrt(0.15)), rel=1e-6)


def test_mantel_haenszel_two_strata_with_a_zero_and_an_uncovered_vendor() -> None:
    # S1: a=4 over 1, b=6 over 3; S2: no incident after releases, a=0 over 2, b=5 over 2.
    # numerator 4·3/4 + 0 = 3; denominator 6·1/4 + 5·2/4 = 4; RR = 0.75
    # variance (10·1·3/16 + 5·2·2/16) / (3·4) = 0.260417
    strata = [Stratum(4, 1.0, 6, 3.0), Stratum(0, 2.0, 5, 2.0), Stratum(0, 0.0, 7, 0.0)]  # the last: not covered
    ratio = mantel_haenszel(strata)
    assert ratio.ratio == pytest.approx(0.75)
    spread = 1.959964 * math.sqrt(0.260417)
    assert ratio.low == pytest.approx(0.75 * math.exp(-spread), rel=1e-5)
    assert ratio.high == pytest.approx(0.75 * math.exp(spread), rel=1e-5)
    assert mantel_haenszel([Stratum(0, 1.0, 0, 1.0)]).ratio is None


def test_pooling_differs_from_crude_pooling_when_time_is_unbalanced() -> None:
    """Simpson's trap: one vendor with much time after releases and a high base rate inflates a crude ratio."""
    busy = Stratum(50, 50.0, 10, 10.0)  # rate 1 per unit on both sides
    quiet = Stratum(1, 10.0, 100, 1000.0)  # rate 0.1 on both sides, most of its time outside releases
    assert mantel_haenszel([busy, quiet]).ratio == pytest.approx(1.0)
    assert exact_ratio(Stratum(51, 60.0, 110, 1010.0)).ratio > 4  # crude pooling claims a launch effect


@given(
    a=st.integers(0, 40), b=st.integers(0, 40),
    t1=st.floats(0.5, 100), t0=st.floats(0.5, 100),
)  # fmt: skip
def test_intervals_contain_the_estimate(a: int, b: int, t1: float, t0: float) -> None:
    ratio = exact_ratio(Stratum(a, t1, b, t0))
    if a + b == 0:
        assert ratio.ratio is None
        return
    assert ratio.low is not None and ratio.high is not None and ratio.ratio is not None
    assert ratio.low <= ratio.ratio <= ratio.high
    pooled = mantel_haenszel([Stratum(a, t1, b, t0)])
    if a and b:
        assert pooled.low < pooled.ratio < pooled.high
        assert pooled.ratio == pytest.approx(ratio.ratio)


@given(k=st.integers(0, 30), n=st.integers(1, 30), p=st.floats(0.01, 0.99))
def test_binomial_cdf_is_a_distribution(k: int, n: int, p: float) -> None:
    value = binomial_cdf(min(k, n), n, p)
    assert 0 <= value <= 1 + 1e-9
    assert binomial_cdf(n, n, p) == 1.0
