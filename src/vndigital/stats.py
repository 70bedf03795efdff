"""Small-sample association statistics that print n and the method beside each value."""

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps

__all__ = [
    "MAX_N_EXACT",
    "MIN_N_CORRELATION",
    "MIN_N_OLS",
    "CorrelationResult",
    "OlsResult",
    "critical_correlation",
    "min_detectable_correlation",
    "min_exact_p_value",
    "ols",
    "pearson",
    "spearman_exact",
    "synthetic_provinces",
]

# Below three points any two non-constant series have |r| = 1 or no defined rank
# order worth testing, so no coefficient is computed.
MIN_N_CORRELATION = 3

# OLS is not run below ten points: HC3 standard errors are estimated from the
# residuals of the same few points, are biased and unstable when n is this small, and
# the resulting confidence intervals do not reach their nominal coverage.
MIN_N_OLS = 10

# Largest n for which all n! permutations are enumerated (9! = 362 880).
MAX_N_EXACT = 9

_LANGS = ("en", "vi")
_NO_VARIATION = "no variation"
_NO_VARIATION_X = "no variation in x"
_LEVERAGE_ONE = "one point has leverage 1, so HC3 errors are undefined"
_REASONS_VI = {
    _NO_VARIATION: "không có biến thiên",
    _NO_VARIATION_X: "x không có biến thiên",
    _LEVERAGE_ONE: "một điểm có đòn bẩy bằng 1 nên sai số HC3 không xác định",
}


@dataclass(frozen=True)
class CorrelationResult:
    """A correlation coefficient together with its n, method and two-sided p-value.

    Attributes:
        n: Number of complete (x, y) pairs used.
        method: "spearman_exact_permutation", "pearson" or "not_computed".
        coefficient: Spearman's rho or Pearson's r; None when not computed.
        p_value: Two-sided p-value; None when not computed.
        n_permutations: n! for the exact permutation test, otherwise None.
        reason: Empty, or why the coefficient was not computed (e.g. "n = 2 < 3").
    """

    n: int
    method: str
    coefficient: float | None
    p_value: float | None
    n_permutations: int | None
    reason: str

    def label(self, lang: str = "en") -> str:
        """Return a one-line label with coefficient, p-value, n and method.

        Args:
            lang: "en" for English or "vi" for Vietnamese (decimal comma).

        Returns:
            For example "ρ = 0.80, exact permutation p = 0.33, n = 4 (Spearman)" or
            "ρ = 0,80; p hoán vị chính xác = 0,33; n = 4 (Spearman)".
        """
        _check_lang(lang)
        computed = self.coefficient is not None and self.p_value is not None
        if self.method == "not_computed" or not computed:
            head = "không tính" if lang == "vi" else "not computed"
            return f"{head}: {_reason_text(self.reason, self.n, lang)}"
        coef = _fmt_num(self.coefficient, lang)
        p = _fmt_p(self.p_value, lang)
        if self.method == "spearman_exact_permutation":
            if lang == "vi":
                return f"ρ = {coef}; p hoán vị chính xác {p}; n = {self.n} (Spearman)"
            return f"ρ = {coef}, exact permutation p {p}, n = {self.n} (Spearman)"
        if lang == "vi":
            return f"r = {coef}; p {p}; n = {self.n} (Pearson)"
        return f"r = {coef}, p {p}, n = {self.n} (Pearson)"


@dataclass(frozen=True)
class OlsResult:
    """A simple linear regression y = intercept + slope * x with HC3 robust errors.

    Attributes:
        n: Number of complete (x, y) pairs used.
        method: "ols_hc3" or "not_run".
        slope: Estimated slope; None when not run.
        slope_ci_low: Lower confidence bound of the slope; None when not run.
        slope_ci_high: Upper confidence bound of the slope; None when not run.
        intercept: Estimated intercept; None when not run.
        p_value: Two-sided p-value of the slope (HC3, t test); None when not run.
        r_squared: Coefficient of determination; None when not run.
        reason: Empty, or why the model was not run (e.g. "n = 4 < 10").
        ci_level: Confidence level of the slope interval (1 - alpha), shown in labels.
    """

    n: int
    method: str
    slope: float | None
    slope_ci_low: float | None
    slope_ci_high: float | None
    intercept: float | None
    p_value: float | None
    r_squared: float | None
    reason: str
    ci_level: float = 0.95

    def label(self, lang: str = "en") -> str:
        """Return a one-line label with slope, CI, p-value, R², n and method.

        Args:
            lang: "en" for English or "vi" for Vietnamese (decimal comma).

        Returns:
            For example "slope = 0.52 (95% CI 0.27 to 0.77), p = 0.001, R² = 0.20,
            n = 63 (OLS, HC3 robust SE)".
        """
        _check_lang(lang)
        if self.method == "not_run" or self.slope is None:
            head = "không chạy OLS" if lang == "vi" else "OLS not run"
            return f"{head}: {_reason_text(self.reason, self.n, lang)}"
        slope = _fmt_num(self.slope, lang)
        low = _fmt_num(self.slope_ci_low, lang)
        high = _fmt_num(self.slope_ci_high, lang)
        p = _fmt_p(self.p_value, lang)
        r2 = _fmt_num(self.r_squared, lang)
        level = f"{self.ci_level * 100:g}%"
        if lang == "vi":
            level = level.replace(".", ",")
            return (
                f"hệ số góc = {slope} (KTC {level}: {low} đến {high}); p {p}; "
                f"R² = {r2}; n = {self.n} (OLS, sai số chuẩn vững HC3)"
            )
        return (
            f"slope = {slope} ({level} CI {low} to {high}), p {p}, "
            f"R² = {r2}, n = {self.n} (OLS, HC3 robust SE)"
        )


def spearman_exact(x, y) -> CorrelationResult:
    """Spearman rank correlation with an exact two-sided permutation p-value.

    Pairs with a missing value in x or y are dropped before n is counted. Ranks are
    average ranks, so ties are allowed; rho is the Pearson correlation of the ranks.
    The p-value is the fraction of all n! orderings of y whose |rho| is at least the
    observed |rho| (less 1e-12 for rounding), enumerated one by one.

    Args:
        x: Array-like of numbers (NaN allowed).
        y: Array-like of numbers of the same length (NaN allowed).

    Returns:
        The result; method "not_computed" when n < MIN_N_CORRELATION or when x or
        y is constant.

    Raises:
        ValueError: If x and y differ in length, or n > MAX_N_EXACT (n! is then too
            large to enumerate; use pearson() or ols() instead).
    """
    xs, ys = _paired(x, y)
    n = len(xs)
    if n < MIN_N_CORRELATION:
        return _not_computed(n, f"n = {n} < {MIN_N_CORRELATION}")
    if n > MAX_N_EXACT:
        raise ValueError(
            "the exact Spearman permutation test enumerates n! orderings and is "
            f"limited to n <= {MAX_N_EXACT} (got n = {n}); "
            "use pearson() or ols() instead"
        )
    rx = _centred(sps.rankdata(xs))
    ry = _centred(sps.rankdata(ys))
    scale = math.sqrt(float(rx @ rx) * float(ry @ ry))
    if scale == 0.0:
        return _not_computed(n, _NO_VARIATION)
    rho = float(rx @ ry) / scale
    # Permuting y leaves its rank sum of squares unchanged, so one scale serves all.
    perm_rhos = (ry[_permutations(n)] @ rx) / scale
    n_perm = math.factorial(n)
    hits = int(np.count_nonzero(np.abs(perm_rhos) >= abs(rho) - 1e-12))
    return CorrelationResult(
        n=n,
        method="spearman_exact_permutation",
        coefficient=_clip_unit(rho),
        p_value=hits / n_perm,
        n_permutations=n_perm,
        reason="",
    )


def pearson(x, y) -> CorrelationResult:
    """Pearson correlation with the two-sided t-test p-value from scipy.stats.pearsonr.

    The p-value assumes approximately bivariate-normal data; for n <= 9 prefer
    spearman_exact(), whose p-value needs no distributional assumption.

    Args:
        x: Array-like of numbers (NaN allowed; incomplete pairs are dropped).
        y: Array-like of numbers of the same length.

    Returns:
        The result; method "not_computed" when n < MIN_N_CORRELATION or when x or
        y is constant.

    Raises:
        ValueError: If x and y differ in length.
    """
    xs, ys = _paired(x, y)
    n = len(xs)
    if n < MIN_N_CORRELATION:
        return _not_computed(n, f"n = {n} < {MIN_N_CORRELATION}")
    if np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return _not_computed(n, _NO_VARIATION)
    res = sps.pearsonr(xs, ys)
    return CorrelationResult(
        n=n,
        method="pearson",
        coefficient=_clip_unit(float(res.statistic)),
        p_value=float(res.pvalue),
        n_permutations=None,
        reason="",
    )


def ols(x, y, alpha: float = 0.05) -> OlsResult:
    """Ordinary least squares of y on x with a constant and HC3 robust standard errors.

    Inference uses the t distribution with n - 2 degrees of freedom rather than the
    normal one, which is the more conservative choice at the sample sizes used here.

    Args:
        x: Array-like of numbers (NaN allowed; incomplete pairs are dropped).
        y: Array-like of numbers of the same length.
        alpha: Significance level; the slope interval has confidence 1 - alpha.

    Returns:
        The result; method "not_run" when n < MIN_N_OLS, x is constant, or a single
        point has leverage 1.

    Raises:
        ValueError: If x and y differ in length or alpha is not in (0, 1).
    """
    _check_prob(alpha, "alpha")
    xs, ys = _paired(x, y)
    n = len(xs)
    ci_level = 1.0 - alpha
    if n < MIN_N_OLS:
        return _not_run(n, f"n = {n} < {MIN_N_OLS}", ci_level)
    if np.ptp(xs) == 0:
        return _not_run(n, _NO_VARIATION_X, ci_level)
    # HC3 divides each squared residual by (1 - leverage)^2, so a point with leverage 1
    # (all other x equal) makes the robust errors infinite.
    xc = xs - xs.mean()
    leverage = 1.0 / n + xc**2 / float(xc @ xc)
    if leverage.max() >= 1.0 - 1e-12:
        return _not_run(n, _LEVERAGE_ONE, ci_level)
    design = sm.add_constant(xs, has_constant="add")
    fit = sm.OLS(ys, design).fit(cov_type="HC3", use_t=True)
    ci = np.asarray(fit.conf_int(alpha=alpha))
    params = np.asarray(fit.params)
    return OlsResult(
        n=n,
        method="ols_hc3",
        slope=float(params[1]),
        slope_ci_low=float(ci[1, 0]),
        slope_ci_high=float(ci[1, 1]),
        intercept=float(params[0]),
        p_value=float(np.asarray(fit.pvalues)[1]),
        r_squared=float(fit.rsquared),
        reason="",
        ci_level=ci_level,
    )


def min_detectable_correlation(
    n: int,
    alpha: float = 0.05,
    power: float = 0.80,
) -> float | None:
    """Smallest |r| a two-sided test at level alpha detects with the given power.

    Uses the Fisher z approximation: z = (z_{1-alpha/2} + z_{power}) / sqrt(n - 3) and
    r = tanh(z). The standard error of Fisher's z is 1 / sqrt(n - 3), which is undefined
    at n = 3 and meaningless below it, so None is returned for n <= 3. At n = 4 the
    approximation is rough, but the answer (about 0.99) is the honest message anyway.

    Args:
        n: Number of complete pairs.
        alpha: Two-sided significance level.
        power: Desired power, in (0, 1).

    Returns:
        The minimum detectable |r|, or None if n <= 3.

    Raises:
        ValueError: If alpha or power is not in (0, 1).
    """
    _check_prob(alpha, "alpha")
    _check_prob(power, "power")
    if n <= 3:
        return None
    z = (sps.norm.ppf(1.0 - alpha / 2.0) + sps.norm.ppf(power)) / math.sqrt(n - 3)
    return float(math.tanh(z))


def critical_correlation(n: int, alpha: float = 0.05) -> float | None:
    """Boundary |r| for two-sided p < alpha in a Pearson test at this n.

    Any |r| strictly above the returned value has p < alpha (t distribution with
    df = n - 2, r = t / sqrt(df + t^2)).

    Args:
        n: Number of complete pairs.
        alpha: Two-sided significance level.

    Returns:
        The critical |r|, or None if n < 3 (no degrees of freedom left).

    Raises:
        ValueError: If alpha is not in (0, 1).
    """
    _check_prob(alpha, "alpha")
    if n < 3:
        return None
    df = n - 2
    t = sps.t.ppf(1.0 - alpha / 2.0, df)
    return float(t / math.sqrt(df + t * t))


def min_exact_p_value(n: int) -> float | None:
    """Smallest two-sided p-value the exact Spearman permutation test can give at n.

    With no ties only two of the n! orderings reach |rho| = 1 (the observed order and
    its reverse), so the p-value can never fall below 2 / n!. At n = 4 that is
    2 / 24 ≈ 0.083, so no correlation among four provinces can reach p < 0.05; at n = 3
    it is 2 / 6 ≈ 0.33.

    Args:
        n: Number of complete pairs.

    Returns:
        2 / n!, or None if n < 3 (the test is not computed there).
    """
    if n < MIN_N_CORRELATION:
        return None
    return 2 / math.factorial(n)


def synthetic_provinces(
    n: int = 63, seed: int = 20251, slope: float = 0.5, noise: float = 1.0
) -> pd.DataFrame:
    """SYNTHETIC data for tests and benchmarks only; never use them in a report.

    investment is standard normal and outcome = slope * investment + noise * e, with e
    standard normal, both drawn from numpy.random.default_rng(seed).

    Args:
        n: Number of synthetic provinces.
        seed: Seed for numpy.random.default_rng, so the frame is reproducible.
        slope: True slope of outcome on investment.
        noise: Standard deviation of the noise term.

    Returns:
        A frame with columns province_id ("synthetic-01", ...), investment and outcome,
        and attrs["synthetic"] set to True.

    Raises:
        ValueError: If n is negative or noise is negative.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    investment = rng.normal(0.0, 1.0, n)
    outcome = slope * investment + noise * rng.normal(0.0, 1.0, n)
    width = max(2, len(str(n)))
    frame = pd.DataFrame(
        {
            "province_id": [f"synthetic-{i:0{width}d}" for i in range(1, n + 1)],
            "investment": investment,
            "outcome": outcome,
        }
    )
    frame.attrs["synthetic"] = True
    return frame


def _paired(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Return x and y as float arrays, dropping every pair with a missing value."""
    xs = pd.Series(np.asarray(x, dtype=object).ravel()).astype("Float64")
    ys = pd.Series(np.asarray(y, dtype=object).ravel()).astype("Float64")
    if len(xs) != len(ys):
        raise ValueError(f"x and y differ in length: {len(xs)} != {len(ys)}")
    xa = xs.to_numpy(dtype=float, na_value=np.nan)
    ya = ys.to_numpy(dtype=float, na_value=np.nan)
    keep = np.isfinite(xa) & np.isfinite(ya)
    return xa[keep], ya[keep]


def _centred(values: np.ndarray) -> np.ndarray:
    """Return values minus their mean as a float array."""
    arr = np.asarray(values, dtype=float)
    return arr - arr.mean()


@lru_cache(maxsize=MAX_N_EXACT + 1)
def _permutations(n: int) -> np.ndarray:
    """Return all n! orderings of range(n) as a read-only (n!, n) index array."""
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp)
    perms = perms.reshape(-1, n)
    perms.setflags(write=False)
    return perms


def _clip_unit(value: float) -> float:
    """Clip a correlation to [-1, 1] so rounding error cannot print 1.0000000002."""
    return float(min(1.0, max(-1.0, value)))


def _not_computed(n: int, reason: str) -> CorrelationResult:
    """Return a correlation result that records why nothing was computed."""
    return CorrelationResult(
        n=n,
        method="not_computed",
        coefficient=None,
        p_value=None,
        n_permutations=None,
        reason=reason,
    )


def _not_run(n: int, reason: str, ci_level: float) -> OlsResult:
    """Return an OLS result that records why the model was not run."""
    return OlsResult(
        n=n,
        method="not_run",
        slope=None,
        slope_ci_low=None,
        slope_ci_high=None,
        intercept=None,
        p_value=None,
        r_squared=None,
        reason=reason,
        ci_level=ci_level,
    )


def _check_lang(lang: str) -> None:
    """Raise ValueError unless lang is a supported label language."""
    if lang not in _LANGS:
        raise ValueError(f"lang must be one of {_LANGS}, got {lang!r}")


def _check_prob(value: float, name: str) -> None:
    """Raise ValueError unless 0 < value < 1."""
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be in (0, 1), got {value}")


def _reason_text(reason: str, n: int, lang: str) -> str:
    """Return the reason in the label language, with n appended when it is not in it."""
    text = _REASONS_VI.get(reason, reason) if lang == "vi" else reason
    if reason.startswith("n = "):
        return text
    return f"{text}, n = {n}"


def _fmt_num(value: float | None, lang: str, decimals: int = 2) -> str:
    """Format a number with fixed decimals, no negative zero, comma for Vietnamese."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:.{decimals}f}"
    if float(text) == 0.0:
        # Avoid printing "-0.00" for tiny negative values.
        text = f"{0.0:.{decimals}f}"
    return text.replace(".", ",") if lang == "vi" else text


def _fmt_p(p: float | None, lang: str) -> str:
    """Format a p-value with its relation sign, e.g. "= 0.33" or "< 0.001"."""
    if p is None or not math.isfinite(p):
        return "= —"
    if p < 0.001:
        return "< " + _fmt_num(0.001, lang, 3)
    # Three decimals below 0.01 so a p of 0.004 is not printed as "0.00".
    return "= " + _fmt_num(p, lang, 3 if p < 0.01 else 2)
