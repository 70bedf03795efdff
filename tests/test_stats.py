"""Tests for the small-sample association statistics in vndigital.stats."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from vndigital import stats


def _textbook_rho(x, y):
    """Spearman's rho for untied data via 1 - 6 * sum(d^2) / (n (n^2 - 1))."""
    n = len(x)
    rank_x = {v: i + 1 for i, v in enumerate(sorted(x))}
    rank_y = {v: i + 1 for i, v in enumerate(sorted(y))}
    d2 = sum((rank_x[a] - rank_y[b]) ** 2 for a, b in zip(x, y, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _textbook_exact_p(x, y):
    """Two-sided exact p: share of orderings of y with |rho| >= observed |rho|."""
    observed = abs(_textbook_rho(x, y))
    perms = list(itertools.permutations(y))
    # Integer sums make rho exact up to float division, so a tiny tolerance suffices.
    hits = sum(1 for p in perms if abs(_textbook_rho(x, list(p))) >= observed - 1e-9)
    return hits / len(perms)


# --- known coefficients -------------------------------------------------------------


def test_perfectly_monotone_increasing_gives_rho_one():
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    y = [v**3 for v in x]  # monotone but not linear
    res = stats.spearman_exact(x, y)
    assert res.method == "spearman_exact_permutation"
    assert res.n == 5
    assert res.coefficient == pytest.approx(1.0)


def test_perfectly_monotone_decreasing_gives_rho_minus_one():
    x = [10, 20, 30, 40]
    y = [math.exp(-v) for v in x]
    res = stats.spearman_exact(x, y)
    assert res.coefficient == pytest.approx(-1.0)


def test_spearman_with_ties_matches_hand_value_and_scipy():
    # Average ranks: x -> (1, 2.5, 2.5, 4); y -> (1, 3, 2, 4). Deviations from 2.5:
    # dx = (-1.5, 0, 0, 1.5), dy = (-1.5, 0.5, -0.5, 1.5); sum dx*dy = 4.5,
    # sum dx^2 = 4.5, sum dy^2 = 5, so rho = 4.5 / sqrt(22.5) = 3 / sqrt(10).
    x = [1, 2, 2, 3]
    y = [10, 30, 20, 40]
    res = stats.spearman_exact(x, y)
    assert res.coefficient == pytest.approx(3 / math.sqrt(10))
    assert res.coefficient == pytest.approx(sps.spearmanr(x, y).statistic)


def test_pearson_matches_scipy():
    x = [1.0, 2.0, 4.0, 8.0, 9.0, 11.0]
    y = [2.0, 1.0, 5.0, 7.0, 12.0, 10.0]
    res = stats.pearson(x, y)
    ref = sps.pearsonr(x, y)
    assert res.method == "pearson"
    assert res.n == 6
    assert res.coefficient == pytest.approx(ref.statistic)
    assert res.p_value == pytest.approx(ref.pvalue)
    assert res.n_permutations is None


# --- exact permutation p-value --------------------------------------------------------


@pytest.mark.parametrize(
    "y",
    [
        [1, 2, 3, 4],
        [1, 3, 2, 4],
        [2, 1, 4, 3],
        [3, 1, 4, 2],
        [4, 3, 1, 2],
        [2, 4, 1, 3],
    ],
)
def test_exact_p_n4_matches_independent_enumeration(y):
    x = [0.5, 1.7, 2.2, 9.0]
    res = stats.spearman_exact(x, y)
    assert res.n_permutations == 24
    assert res.coefficient == pytest.approx(_textbook_rho(x, y))
    assert res.p_value == pytest.approx(_textbook_exact_p(x, y))


def test_exact_p_n4_rho_08_is_eight_of_24():
    # rho = 0.8 needs sum d^2 = 2 (one adjacent swap): 3 such orderings plus the
    # identity, mirrored for rho <= -0.8, so 8 of 24 orderings are at least as extreme.
    res = stats.spearman_exact([1, 2, 3, 4], [1, 3, 2, 4])
    assert res.coefficient == pytest.approx(0.8)
    assert res.p_value == pytest.approx(8 / 24)


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_exact_p_matches_independent_enumeration_other_n(n):
    rng = np.random.default_rng(n)
    x = list(rng.permutation(n) * 1.5 + 0.25)
    y = list(rng.permutation(n) + 100)
    res = stats.spearman_exact(x, y)
    assert res.n_permutations == math.factorial(n)
    assert res.p_value == pytest.approx(_textbook_exact_p(x, y))


@pytest.mark.skipif(
    not hasattr(sps, "permutation_test"),
    reason="needs scipy.stats.permutation_test",
)
@pytest.mark.parametrize("y", [[1, 3, 2, 4], [2, 1, 4, 3], [3, 1, 4, 2], [4, 2, 3, 1]])
def test_exact_p_n4_matches_scipy_permutation_test(y):
    x = np.array([0.5, 1.7, 2.2, 9.0])
    y = np.array(y, dtype=float)

    def statistic(y_perm):
        return sps.spearmanr(x, y_perm).statistic

    ref = sps.permutation_test(
        (y,),
        statistic,
        permutation_type="pairings",
        n_resamples=np.inf,
        vectorized=False,
    )
    res = stats.spearman_exact(x, y)
    assert res.coefficient == pytest.approx(ref.statistic)
    assert res.p_value == pytest.approx(ref.pvalue)


def test_exact_p_with_ties_counts_all_orderings():
    # Brute force on the tied data itself, using scipy's tie-aware coefficient.
    x = [1, 2, 2, 3, 5]
    y = [2, 1, 1, 4, 3]
    observed = abs(sps.spearmanr(x, y).statistic)
    perms = list(itertools.permutations(y))
    hits = sum(abs(sps.spearmanr(x, p).statistic) >= observed - 1e-12 for p in perms)
    res = stats.spearman_exact(x, y)
    assert res.n_permutations == 120
    assert res.p_value == pytest.approx(hits / len(perms))


def test_spearman_refuses_n_above_exact_limit():
    x = np.arange(stats.MAX_N_EXACT + 1, dtype=float)
    with pytest.raises(ValueError, match="pearson"):
        stats.spearman_exact(x, x)


# --- refusal below the minimum n ------------------------------------------------------


@pytest.mark.parametrize("func", [stats.spearman_exact, stats.pearson])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_below_min_n_not_computed(func, n):
    x = list(range(n))
    res = func(x, x)
    assert res.n == n
    assert res.method == "not_computed"
    assert res.coefficient is None
    assert res.p_value is None
    assert res.reason == f"n = {n} < 3"
    assert res.label() == f"not computed: n = {n} < 3"
    assert res.label("vi") == f"không tính: n = {n} < 3"


def test_nan_pairs_dropped_before_counting_n():
    x = [1.0, 2.0, np.nan, 3.0, 4.0]
    y = [1.0, np.nan, 2.0, 3.0, 5.0]
    res = stats.spearman_exact(x, y)
    # Only (1, 1), (3, 3) and (4, 5) are complete.
    assert res.n == 3
    assert res.coefficient == pytest.approx(1.0)
    short = stats.spearman_exact([1.0, np.nan, 3.0, 4.0], [1.0, 2.0, np.nan, 4.0])
    assert short.n == 2
    assert short.method == "not_computed"


def test_missing_values_from_pandas_are_dropped():
    x = pd.Series([1.0, None, 3.0, 4.0, 5.0], dtype="Float64")
    y = pd.Series([2.0, 1.0, pd.NA, 3.0, 6.0], dtype="Float64")
    assert stats.pearson(x, y).n == 3


def test_length_mismatch_raises():
    with pytest.raises(ValueError, match="length"):
        stats.spearman_exact([1, 2, 3], [1, 2])


@pytest.mark.parametrize("func", [stats.spearman_exact, stats.pearson])
def test_constant_series_not_computed(func):
    res = func([1, 2, 3, 4], [5, 5, 5, 5])
    assert res.method == "not_computed"
    assert res.reason == "no variation"
    assert "n = 4" in res.label()
    assert res.label("vi").startswith("không tính:")


# --- the floor on the exact p-value ---------------------------------------------------


def test_min_exact_p_value_small_n():
    assert stats.min_exact_p_value(4) == pytest.approx(2 / 24)
    assert stats.min_exact_p_value(4) > 0.05  # nothing can be significant at n = 4
    assert stats.min_exact_p_value(3) == pytest.approx(2 / 6)
    assert stats.min_exact_p_value(2) is None
    assert stats.min_exact_p_value(0) is None


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7])
def test_min_exact_p_value_by_enumeration(n):
    # The smallest attainable p is reached by a perfect ordering; count the orderings
    # that are at least as extreme with the textbook formula.
    x = list(range(n))
    assert stats.min_exact_p_value(n) == pytest.approx(_textbook_exact_p(x, x))


def test_perfect_n4_correlation_is_not_significant():
    res = stats.spearman_exact([1, 2, 3, 4], [3, 5, 8, 13])
    assert res.coefficient == pytest.approx(1.0)
    assert res.p_value == pytest.approx(stats.min_exact_p_value(4))
    assert res.p_value > 0.05


# --- labels ---------------------------------------------------------------------------


def test_spearman_label_both_languages():
    res = stats.spearman_exact([1, 2, 3, 4], [1, 3, 2, 4])
    assert res.label() == "ρ = 0.80, exact permutation p = 0.33, n = 4 (Spearman)"
    assert res.label("vi") == "ρ = 0,80; p hoán vị chính xác = 0,33; n = 4 (Spearman)"


def test_small_p_label_uses_less_than():
    res = stats.spearman_exact(range(9), range(9))
    assert res.p_value < 0.001
    assert "p < 0.001" in res.label()
    assert "p hoán vị chính xác < 0,001" in res.label("vi")


def test_label_rejects_unknown_language():
    with pytest.raises(ValueError):
        stats.spearman_exact([1, 2, 3], [1, 2, 3]).label("fr")


def test_label_has_no_negative_zero():
    res = stats.CorrelationResult(
        n=5,
        method="pearson",
        coefficient=-0.001,
        p_value=0.99,
        n_permutations=None,
        reason="",
    )
    assert "-0.00" not in res.label()
    assert "r = 0.00" in res.label()


# --- OLS ------------------------------------------------------------------------------


def test_ols_on_synthetic_63_covers_true_slope():
    df = stats.synthetic_provinces(63, slope=0.5)
    res = stats.ols(df["investment"], df["outcome"])
    assert res.n == 63
    assert res.method == "ols_hc3"
    assert res.slope_ci_low < 0.5 < res.slope_ci_high
    assert res.slope_ci_low < res.slope < res.slope_ci_high
    assert 0.0 <= res.r_squared <= 1.0
    assert "n = 63" in res.label()
    assert "HC3" in res.label()
    assert "95% CI" in res.label()
    assert "KTC 95%" in res.label("vi")


def test_ols_matches_plain_least_squares_point_estimates():
    df = stats.synthetic_provinces(30, seed=7, slope=-1.2)
    res = stats.ols(df["investment"], df["outcome"])
    slope, intercept = np.polyfit(df["investment"], df["outcome"], 1)
    assert res.slope == pytest.approx(slope)
    assert res.intercept == pytest.approx(intercept)
    r = np.corrcoef(df["investment"], df["outcome"])[0, 1]
    assert res.r_squared == pytest.approx(r**2)


def test_ols_wider_interval_for_smaller_alpha():
    df = stats.synthetic_provinces(40)
    narrow = stats.ols(df["investment"], df["outcome"], alpha=0.10)
    wide = stats.ols(df["investment"], df["outcome"], alpha=0.01)
    wide_width = wide.slope_ci_high - wide.slope_ci_low
    assert wide_width > narrow.slope_ci_high - narrow.slope_ci_low
    assert "99% CI" in wide.label()


def test_ols_not_run_on_four_points():
    res = stats.ols([1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 4.0, 3.0])
    assert res.n == 4
    assert res.method == "not_run"
    assert res.slope is None
    assert res.reason == f"n = 4 < {stats.MIN_N_OLS}"
    assert res.label() == "OLS not run: n = 4 < 10"
    assert res.label("vi") == "không chạy OLS: n = 4 < 10"


def test_ols_not_run_when_x_constant():
    res = stats.ols([3.0] * 12, list(range(12)))
    assert res.method == "not_run"
    assert res.n == 12


# --- power and critical values --------------------------------------------------------


def test_min_detectable_correlation_63_against_formula():
    z = (sps.norm.ppf(0.975) + sps.norm.ppf(0.80)) / math.sqrt(60)
    expected = (math.exp(2 * z) - 1) / (math.exp(2 * z) + 1)
    got = stats.min_detectable_correlation(63)
    assert got == pytest.approx(expected)
    assert got == pytest.approx(0.35, abs=0.01)


def test_min_detectable_correlation_decreases_with_n():
    values = [stats.min_detectable_correlation(n) for n in (4, 5, 10, 30, 63, 200)]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert stats.min_detectable_correlation(3) is None
    assert stats.min_detectable_correlation(0) is None


def test_critical_correlation():
    r4 = stats.critical_correlation(4)
    assert r4 == pytest.approx(0.95, abs=0.001)
    # At the critical r the Pearson t-test p equals alpha exactly.
    for n in (4, 10, 63):
        r = stats.critical_correlation(n)
        df = n - 2
        t = r * math.sqrt(df / (1 - r * r))
        assert 2 * sps.t.sf(t, df) == pytest.approx(0.05)
    assert stats.critical_correlation(2) is None


def test_probability_arguments_validated():
    with pytest.raises(ValueError):
        stats.min_detectable_correlation(10, alpha=0.0)
    with pytest.raises(ValueError):
        stats.critical_correlation(10, alpha=1.5)
    with pytest.raises(ValueError):
        stats.ols(range(12), range(12), alpha=-0.1)


# --- synthetic fixture ----------------------------------------------------------------


def test_synthetic_provinces_is_marked_and_deterministic():
    a = stats.synthetic_provinces(63, seed=11)
    b = stats.synthetic_provinces(63, seed=11)
    c = stats.synthetic_provinces(63, seed=12)
    assert a.attrs["synthetic"] is True
    assert list(a.columns) == ["province_id", "investment", "outcome"]
    assert len(a) == 63
    assert a["province_id"].iloc[0] == "synthetic-01"
    assert a["province_id"].iloc[-1] == "synthetic-63"
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["outcome"], c["outcome"])


def test_synthetic_provinces_zero_noise_is_exact_line():
    df = stats.synthetic_provinces(10, slope=2.0, noise=0.0)
    assert np.allclose(df["outcome"], 2.0 * df["investment"])
