"""Comparing two incident rates: the rate ratio with intervals a statistician would sign. Pure, no I/O.

Counts of incidents over exposure time are treated as Poisson. For one comparison, the
exact interval comes from conditioning on the total: given n = a + b incidents, `a` is
binomial with p = RR·t1 / (RR·t1 + t0), so a Clopper–Pearson interval for p maps to one for
the ratio. Across vendors, the Mantel–Haenszel estimate weights each vendor's comparison by
its own time, so a vendor with much time in one period cannot make the pooled ratio (its
variance from Greenland and Robins, 1985, for person-time data).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
LEVEL = 0.95
# Halvings of the search interval: 64 take it below 1e-19 of its width, past double precision.
_BISECT_STEPS = 64


@dataclass(frozen=True)
class Stratum:
    """One vendor's comparison: `a` incidents over `t1` seconds after releases, `b` over `t0` outside."""

    a: int
    t1: float
    b: int
    t0: float


@dataclass(frozen=True)
class RateRatio:
    """A ratio of rates with its 95 % interval; None where the data cannot define it."""

    ratio: float | None
    low: float | None
    high: float | None  # math.inf when the interval is unbounded above

    @property
    def defined(self) -> bool:
        return self.ratio is not None

    @property
    def conclusive(self) -> bool:
        """Whether the interval excludes 1, i.e. the data tell the two rates apart."""
        return self.low is not None and self.high is not None and (self.low > 1 or self.high < 1)


def _log_pmf(k: int, n: int, p: float) -> float:
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return min(1.0, sum(math.exp(_log_pmf(i, n, p)) for i in range(k + 1)))


def _solve(target: float, f: object, increasing: bool) -> float:
    """The p in [0, 1] where the monotone f(p) crosses `target`, by bisection."""
    lo, hi = 0.0, 1.0
    for _ in range(_BISECT_STEPS):
        mid = (lo + hi) / 2
        value = f(mid)  # type: ignore[operator]
        if (value < target) == increasing:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(a: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact interval for a binomial proportion with `a` successes in `n` trials."""
    alpha = 1 - level
    low = 0.0 if a == 0 else _solve(alpha / 2, lambda p: 1 - binomial_cdf(a - 1, n, p), increasing=True)
    high = 1.0 if a == n else _solve(alpha / 2, lambda p: binomial_cdf(a, n, p), increasing=False)
    return low, high


_GAMMA_EPS = 1e-15
_GAMMA_STEPS = 10_000


def _upper_gamma(a: float, x: float) -> float:
    """Q(a, x), the regularised upper incomplete gamma function: a series below a + 1, a continued fraction
    (modified Lentz) above, so the cost grows with √a rather than with a."""
    if x <= 0:
        return 1.0
    scale = math.exp(-x + a * math.log(x) - math.lgamma(a))
    if x < a + 1:
        term = total = 1 / a
        for n in range(1, _GAMMA_STEPS):
            term *= x / (a + n)
            total += term
            if term < total * _GAMMA_EPS:
                break
        return max(0.0, 1 - total * scale)
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for n in range(1, _GAMMA_STEPS):
        an = -n * (n - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < _GAMMA_EPS:
            break
    return min(1.0, scale * h)


def poisson_cdf(k: int, mean: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mean), which is Q(k + 1, mean)."""
    if k < 0:
        return 0.0
    return _upper_gamma(k + 1, mean)


def _solve_mean(target: float, f: object, ceiling: float) -> float:
    """The mean in [0, ceiling] where the decreasing f(mean) crosses `target`, by bisection."""
    lo, hi = 0.0, ceiling
    for _ in range(_BISECT_STEPS):
        mid = (lo + hi) / 2
        if f(mid) > target:  # type: ignore[operator]
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@functools.cache
def garwood(n: int, level: float = LEVEL) -> tuple[float, float]:
    """Garwood's exact interval for a Poisson mean from `n` events: [χ²(α/2; 2n)/2, χ²(1−α/2; 2n+2)/2],
    found as the means at which P(X ≥ n) and P(X ≤ n) equal α/2."""
    alpha = 1 - level
    ceiling = n + 20 * math.sqrt(n + 1) + 20
    low = 0.0 if n == 0 else _solve_mean(1 - alpha / 2, lambda m: poisson_cdf(n - 1, m), ceiling)
    high = _solve_mean(alpha / 2, lambda m: poisson_cdf(n, m), ceiling)
    return low, high


def exact_ratio(stratum: Stratum, level: float = LEVEL) -> RateRatio:
    """(a / t1) / (b / t0) with its exact conditional interval; undefined without time on both sides
    or without any incident."""
    a, t1, b, t0 = stratum.a, stratum.t1, stratum.b, stratum.t0
    if t1 <= 0 or t0 <= 0 or a + b == 0:
        return RateRatio(None, None, None)
    low_p, high_p = clopper_pearson(a, a + b, level)

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else (p / (1 - p)) * (t0 / t1)

    ratio = math.inf if b == 0 else (a / t1) / (b / t0)
    return RateRatio(ratio, to_ratio(low_p), to_ratio(high_p))


def mantel_haenszel(strata: Sequence[Stratum]) -> RateRatio:
    """The vendor-stratified rate ratio and its 95 % interval (Greenland–Robins variance).

    Strata without time on both sides carry no information and are left out; one with no
    incident adds nothing to either sum. Undefined when either weighted sum is zero.
    """
    used = [s for s in strata if s.t1 > 0 and s.t0 > 0]
    numerator = sum(s.a * s.t0 / (s.t1 + s.t0) for s in used)
    denominator = sum(s.b * s.t1 / (s.t1 + s.t0) for s in used)
    if numerator == 0 or denominator == 0:
        return RateRatio(None, None, None)
    ratio = numerator / denominator
    variance = sum((s.a + s.b) * s.t1 * s.t0 / (s.t1 + s.t0) ** 2 for s in used) / (numerator * denominator)
    spread = Z95 * math.sqrt(variance)
    return RateRatio(ratio, ratio * math.exp(-spread), ratio * math.exp(spread))
