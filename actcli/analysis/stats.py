"""What activations do to a sample of values: a summary computed chunk by chunk.

`Accumulator(functions)` takes chunks of values (`add`), merges with another accumulator
of the same functions (`merge`, exact up to rounding, so chunks, files or cluster workers
can each be summarised apart), and gives one record per function (`records`) with the
keys of `KEYS`. Memory is bounded whatever the sample size: counts, moments merged as
Chan et al. (pairwise sums within a chunk) and a histogram of 2**20 fixed bins, of which
only the bins that hold values are stored (32 bytes each: about 7,000 bins, 210 KB, for
a million normal values; 32 MB at the very most).

Quantiles come from that histogram. Its bins follow the float64 bit pattern (sign,
exponent and the top `MANTISSA_BITS` mantissa bits), so each bin spans a relative width
of at most 2**-8. An order statistic is placed inside its bin from the count, mean and
variance of the values there (taken as evenly spread over an interval with that mean and
variance, clipped to the bin's edges; all equal: their value), and quantiles interpolate
linearly between order statistics as `numpy.quantile` does. So a quantile is always within
`QUANTILE_RELATIVE_ERROR` (2**-8, 0.39%) of `numpy.quantile`, relative to the larger
magnitude of the two order statistics it lies between (2**-1030 absolute among subnormal
numbers); it is exact when the values in those bins are all equal (integers, repeated
values), and on smooth data much closer than the bound the more values there are (about
2e-4 relative for 1e5 normal values, 1e-5 for 5e7, see benchmarks/stats.py).

No I/O and no printing here: the readers are in actcli.data, the tables in actcli.present.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from actcli.catalog.properties import (
    DEFAULT_SATURATION,
    describe_tails,
    saturated,
    saturation_bounds,
)
from actcli.catalog.scan import GRID_HALF_WIDTH
from actcli.catalog import compute
from actcli.catalog.spec import Activation
from actcli.errors import RunError

KEYS = ("function", "n", "nan_count", "inf_count",
        "input_mean", "input_std", "input_min", "input_max", "input_p01", "input_p50", "input_p99",
        "mean", "std", "mean_grad", "mean_grad_sq", "dead_fraction", "saturated_fraction",
        "verdict")
MANTISSA_BITS = 8
QUANTILE_RELATIVE_ERROR = 2.0**-MANTISSA_BITS
_SHIFT = 52 - MANTISSA_BITS
BINS = 1 << (64 - _SHIFT)
_MANTISSA_MASK = (1 << MANTISSA_BITS) - 1
_GROUPS = BINS >> MANTISSA_BITS  # (sign, exponent) pairs
_INT64_MAGNITUDE = np.int64(0x7FFF_FFFF_FFFF_FFFF)


class EmptyInputError(RunError):
    """The sample has no values (nothing read, or only NaN)."""


@dataclass
class Moments:
    """Count, mean and sum of squared deviations of the finite values (merged as Chan,
    Golub & LeVeque 1979), with the infinities and NaNs counted apart."""

    n: int = 0
    mean_: float = 0.0
    m2: float = 0.0
    pos_inf: int = 0
    neg_inf: int = 0
    nan: int = 0

    def add(self, x: np.ndarray) -> None:
        finite = np.isfinite(x)
        counts = (0, 0, 0)
        if not finite.all():
            counts = (int(np.count_nonzero(x == np.inf)), int(np.count_nonzero(x == -np.inf)),
                      int(np.count_nonzero(np.isnan(x))))
            x = x[finite]
        mean = float(x.sum()) / len(x) if len(x) else 0.0  # pairwise summation
        # pairwise, like the mean (np.dot calls BLAS, which is slower here)
        m2 = float(np.square(x - mean).sum()) if len(x) else 0.0
        self.add_parts(len(x), mean, m2, *counts)

    def add_parts(self, n: int, mean: float, m2: float, pos_inf: int = 0, neg_inf: int = 0,
                  nan: int = 0) -> None:
        """Add a sample given as its finite values' count, mean and sum of squared
        deviations, and its counts of +inf, -inf and NaN (`stats_jit.moments`)."""
        self.pos_inf += pos_inf
        self.neg_inf += neg_inf
        self.nan += nan
        if n:
            self._combine(n, mean, m2)

    def merge(self, other: Moments) -> None:
        self.add_parts(other.n, other.mean_, other.m2, other.pos_inf, other.neg_inf, other.nan)

    def _combine(self, n: int, mean: float, m2: float) -> None:
        total = self.n + n
        delta = mean - self.mean_
        self.mean_ += delta * (n / total)
        self.m2 += m2 + delta * delta * (self.n * (n / total))
        self.n = total

    def scaled(self, factor: float) -> Moments:
        """The moments of factor * x (0 * inf is NaN, as in IEEE arithmetic)."""
        twin = Moments(self.n, self.mean_ * factor, self.m2 * factor * factor, nan=self.nan)
        if factor > 0:
            twin.pos_inf, twin.neg_inf = self.pos_inf, self.neg_inf
        elif factor < 0:
            twin.pos_inf, twin.neg_inf = self.neg_inf, self.pos_inf
        else:
            twin.nan += self.pos_inf + self.neg_inf
        return twin

    @property
    def mean(self) -> float:
        """As numpy.mean over all values: NaN with a NaN or with both infinities."""
        if self.nan or (self.pos_inf and self.neg_inf) or not (self.n or self.pos_inf or self.neg_inf):
            return math.nan
        if self.pos_inf or self.neg_inf:
            return math.inf if self.pos_inf else -math.inf
        return self.mean_

    @property
    def std(self) -> float:
        """Population std (numpy.std): NaN when any value is infinite or NaN."""
        if self.nan or self.pos_inf or self.neg_inf or not self.n:
            return math.nan
        return math.sqrt(self.m2 / self.n)

    @property
    def mean_square(self) -> float:
        if self.nan or not (self.n or self.pos_inf or self.neg_inf):
            return math.nan
        if self.pos_inf or self.neg_inf:
            return math.inf
        return self.m2 / self.n + self.mean_ * self.mean_


class Histogram:
    """The values' count, sum and sum of squares in each of the BINS fixed bins that holds
    any (`bins`, sorted, with `counts`, `sums`, `squares` beside them). Adding chunks or
    merging histograms in any grouping gives the same counts; the sums are added per bin
    in the order the pieces come, as a dense array would add them."""

    def __init__(self) -> None:
        self.bins = np.zeros(0, np.int64)
        self.counts = np.zeros(0, np.int64)
        self.sums = np.zeros(0, np.float64)
        self.squares = np.zeros(0, np.float64)

    def add(self, x: np.ndarray) -> None:
        """Add float64 values without NaN."""
        # The top bits of each pattern (sign, exponent, MANTISSA_BITS of mantissa): the
        # bin, but for negative values counting up with the magnitude (`_ordered` turns
        # the few keys hit into bins afterwards).
        keys = x.view(np.int64) >> _SHIFT
        # Most bins between the extremes are empty (every exponent between -1e-6 and
        # 1e-6): count over the (sign, exponent) groups hit, each 2**MANTISSA_BITS bins.
        groups = keys >> MANTISSA_BITS
        groups += _GROUPS // 2
        hit = np.flatnonzero(np.bincount(groups, minlength=_GROUPS))
        offset = np.zeros(_GROUPS, np.int64)
        offset[hit] = np.arange(0, len(hit) << MANTISSA_BITS, 1 << MANTISSA_BITS)
        index = offset[groups]
        keys &= _MANTISSA_MASK
        index |= keys
        size = len(hit) << MANTISSA_BITS
        counts = np.bincount(index, minlength=size)
        sums = np.bincount(index, weights=x, minlength=size)
        with np.errstate(over="ignore"):
            squares = np.bincount(index, weights=np.square(x), minlength=size)
        used = np.flatnonzero(counts)
        bins = _ordered(((hit[used >> MANTISSA_BITS] - _GROUPS // 2) << MANTISSA_BITS)
                        | (used & _MANTISSA_MASK))
        order = np.argsort(bins)
        used = used[order]
        self._fold(bins[order], counts[used], sums[used], squares[used])

    def merge(self, other: Histogram) -> None:
        self._fold(other.bins, other.counts, other.sums, other.squares)

    def copy(self) -> Histogram:
        twin = Histogram()
        twin._fold(self.bins, self.counts, self.sums, self.squares)
        return twin

    def _fold(self, bins: np.ndarray, counts: np.ndarray, sums: np.ndarray,
              squares: np.ndarray) -> None:
        """Add per-bin figures (`bins` sorted, each once) into this histogram."""
        at = np.searchsorted(self.bins, bins)
        found = at < len(self.bins)
        found[found] = self.bins[at[found]] == bins[found]
        if found.any():
            mine = at[found]
            self.counts[mine] += counts[found]
            with np.errstate(over="ignore"):  # sums beyond the float range near 1e308
                self.sums[mine] += sums[found]
                self.squares[mine] += squares[found]
        if not found.all():
            new, where = ~found, at[~found]
            self.bins = np.insert(self.bins, where, bins[new])
            self.counts = np.insert(self.counts, where, counts[new])
            self.sums = np.insert(self.sums, where, sums[new])
            self.squares = np.insert(self.squares, where, squares[new])

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.bins, self.counts, self.sums, self.squares))


@dataclass
class _Tally:
    """One function's share of the summary."""

    output: Moments
    grad: Moments
    dead: int = 0  # f'(x) = 0
    saturated: int = 0  # in a saturated tail, not dead
    weak: int = 0  # 0 < |f'(x)| < the saturation limit between the tails (a small slope)


class Accumulator:
    """Mergeable summary of a sample of values and of `functions` applied to them.

    functions: specs as typed (`relu`, `leaky_relu:negative_slope=0.2`, a formula); they
      are kept as text so an accumulator can be pickled (sent to a Dask worker) and
      bound again. saturation: S of `catalog.properties.saturation_bounds`: a tail is
      saturated past the last point where |f'| >= S * max|f'|.
    """

    def __init__(self, functions: Sequence[str], saturation: float = DEFAULT_SATURATION) -> None:
        if not (math.isfinite(saturation) and 0 < saturation < 1):
            raise ValueError(f"the saturation threshold must be between 0 and 1, got {saturation:g}")
        self.functions = tuple(functions)
        self.saturation = saturation
        self.nan_count = 0
        self.inputs = Moments()
        self.low, self.high = math.inf, -math.inf
        # With the sum and sum of squares of each bin's values: their mean and spread.
        self.histogram = Histogram()
        self.tallies = [_Tally(Moments(), Moments()) for _ in self.functions]
        self._bind()

    def _bind(self) -> None:
        acts = [_bound(spec) for spec in self.functions]
        self._acts = acts
        self._limits = [self.saturation * act.properties.max_abs_grad for act in acts]
        # Per function, where its saturated tails begin (x < low, x > high).
        self.tails = [_tails(spec, self.saturation) for spec in self.functions]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_acts", "_limits", "tails")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._bind()

    def add(self, chunk: np.ndarray) -> None:
        """Add values (any shape, any float dtype; computed in float64)."""
        compute.reuse_large_buffers()
        x = np.asarray(chunk, dtype=np.float64).ravel()
        missing = np.isnan(x)
        if missing.any():
            self.nan_count += int(np.count_nonzero(missing))
            x = x[~missing]
        if not len(x):
            return
        passes = compute.compiled_kernels(_compiled_passes)
        if passes is not None:
            self._add_compiled(x, passes)
            return
        with np.errstate(over="ignore", invalid="ignore"):  # |x| near the largest float
            self.inputs.add(x)
        self.low, self.high = min(self.low, float(x.min())), max(self.high, float(x.max()))
        self.histogram.add(x)
        with np.errstate(all="ignore"):
            for act, limit, tails, tally in zip(self._acts, self._limits, self.tails,
                                                self.tallies):
                y, g = act.value_and_grad(x)
                tally.output.add(y)
                tally.grad.add(g)
                dead = int(np.count_nonzero(g == 0))
                tally.dead += dead
                flat = 0
                if math.isfinite(tails[0]) or math.isfinite(tails[1]):
                    flat = int(np.count_nonzero(saturated(x, g, tails)))
                    tally.saturated += flat
                # Below the limit, neither dead nor in a tail (NaN is none of them); with
                # max|f'| = 0 (binary_step) or unbounded, no slope is small.
                if 0 < limit < math.inf:
                    tally.weak += int(np.count_nonzero(np.abs(g) < limit)) - dead - flat

    def _add_compiled(self, x: np.ndarray, passes: Any) -> None:
        """`add`'s figures from the compiled passes (`stats_jit`): one pass each where
        NumPy makes several; the same counts and bins, moments to rounding."""
        self.inputs.add_parts(*passes.moments(x))
        scratch = _scratch()
        hits, low, high = passes.histogram(x, scratch.counts, scratch.sums, scratch.squares,
                                           scratch.touched)
        self.low, self.high = min(self.low, low), max(self.high, high)
        self.histogram.merge(scratch.take(hits))
        for act, limit, tails, tally in zip(self._acts, self._limits, self.tails, self.tallies):
            with np.errstate(all="ignore"):  # as in add: inf and NaN inputs warn nothing
                y, g = act.value_and_grad(x)
            tally.output.add_parts(*passes.moments(y))
            tally.grad.add_parts(*passes.moments(g))
            dead, flat, below = passes.tally(x, g, tails[0], tails[1], limit)
            tally.dead += dead
            tally.saturated += flat
            if 0 < limit < math.inf:  # (as add: neither dead nor in a tail)
                tally.weak += below - dead - flat

    def piecewise_linear(self, spec: str,
                         pieces: Sequence[tuple[Moments, float, float]]) -> Accumulator:
        """This summary's values through `spec` alone, a function that is x -> slope * x on
        each piece, from the moments of the values there, without the values: prelu with
        the slope it has now, from the moments of x > 0 and x <= 0 gathered while it was
        learned. A piece is (moments, slope, a value inside it); the pieces hold every
        value but NaN, and `spec`'s derivative is the same all over a piece, so a value
        there is dead or saturated as that one is. Exact up to rounding."""
        twin = self.copy()
        twin.functions = (spec,)
        twin._bind()
        tally = _Tally(Moments(), Moments())
        for moments, slope, inside in pieces:
            count = moments.n + moments.pos_inf + moments.neg_inf
            if not count:
                continue
            tally.output.merge(moments.scaled(slope))
            tally.grad.merge(Moments(n=count, mean_=slope))
            one = Accumulator((spec,), self.saturation)
            one.add(np.array([inside]))
            for name, value in vars(one.tallies[0]).items():  # dead, saturated, ...
                if isinstance(value, int):
                    setattr(tally, name, getattr(tally, name) + value * count)
        twin.tallies = [tally]
        return twin

    def copy(self) -> Accumulator:
        """An independent copy, without binding the functions again (which measures their
        max |f'|: a fraction of a second each)."""
        import copy

        twin = object.__new__(Accumulator)
        twin.__dict__.update(self.__dict__)
        twin.inputs, twin.tallies = copy.deepcopy(self.inputs), copy.deepcopy(self.tallies)
        twin.histogram = self.histogram.copy()
        return twin

    def merge(self, other: Accumulator) -> Accumulator:
        """Add `other`'s values (same functions and threshold) to this summary; returns self."""
        if (other.functions, other.saturation) != (self.functions, self.saturation):
            raise ValueError("only summaries of the same functions and threshold merge")
        self.nan_count += other.nan_count
        self.inputs.merge(other.inputs)
        self.low, self.high = min(self.low, other.low), max(self.high, other.high)
        self.histogram.merge(other.histogram)
        for mine, theirs in zip(self.tallies, other.tallies):
            mine.output.merge(theirs.output)
            mine.grad.merge(theirs.grad)
            mine.dead += theirs.dead
            mine.saturated += theirs.saturated
            mine.weak += theirs.weak
        return self

    @property
    def n(self) -> int:
        """Values used (NaN excluded; infinities are values)."""
        return self.inputs.n + self.inputs.pos_inf + self.inputs.neg_inf

    def quantile(self, p: float) -> float:
        """The p-quantile as numpy.quantile (linear), to QUANTILE_RELATIVE_ERROR."""
        n = self.n
        if not n:
            return math.nan
        rank = p * (n - 1)
        below = math.floor(rank)
        cumulative = np.cumsum(self.histogram.counts)
        a, b = (self._order_statistic(cumulative, k) for k in (below, min(below + 1, n - 1)))
        value = a if a == b else a + (rank - below) * (b - a)
        return min(max(value, self.low), self.high)

    def _order_statistic(self, cumulative: np.ndarray, k: int) -> float:
        """The k-th smallest value (0-based), estimated inside its bin: the values there
        taken as evenly spread over the interval with their mean and variance (all equal:
        their value), clipped to the bin's edges."""
        histogram = self.histogram
        i = int(np.searchsorted(cumulative, k, side="right"))
        count = int(histogram.counts[i])
        with np.errstate(all="ignore"):  # squares beyond the float range near 1e308
            mean = histogram.sums[i] / count
            variance = histogram.squares[i] / count - mean * mean
            spread = bool(variance > 4 * np.finfo(float).eps * mean * mean)
        if not (math.isfinite(mean) and math.isfinite(variance) and spread):
            # equal values (or rounding away their spread), infinite, or squares beyond
            # the float range (|x| > 1.3e154): the mean is inside the bin
            return float(mean)
        half = math.sqrt(3 * variance)  # of a uniform distribution with this variance
        within = k - (int(cumulative[i]) - count)
        value = mean - half + (within + 0.5) / count * 2 * half
        bin_ = int(histogram.bins[i])
        low, high = sorted((_edge(bin_), _edge(bin_ + 1)))
        return min(max(value, low, self.low), high, self.high)

    def density(self, edges: np.ndarray) -> np.ndarray:
        """Density of the whole sample over `edges`: the share of all values in each bin
        divided by its width (values outside the edges count in the total only), each
        fine bin placed at the mean of its values."""
        histogram = self.histogram
        centres = histogram.sums / histogram.counts
        counts, _ = np.histogram(centres, bins=edges, weights=histogram.counts)
        return counts / (max(self.n, 1) * np.diff(edges))

    def fractions(self) -> list[tuple[float, float]]:
        """(dead, saturated) fractions per function."""
        n = self.n
        return [(t.dead / n, t.saturated / n if math.isfinite(limit) else math.nan)
                for t, limit in zip(self.tallies, self._limits)] if n else []

    def records(self) -> list[dict[str, Any]]:
        """One dict per function with exactly the keys of KEYS."""
        if not self.n:
            what = f"all {self.nan_count} values are NaN" if self.nan_count else "no values were read"
            raise EmptyInputError(f"nothing to summarise: {what}")
        shared = {
            "n": self.n, "nan_count": self.nan_count,
            "inf_count": self.inputs.pos_inf + self.inputs.neg_inf,
            "input_mean": self.inputs.mean, "input_std": self.inputs.std,
            "input_min": self.low, "input_max": self.high,
            "input_p01": self.quantile(0.01), "input_p50": self.quantile(0.5),
            "input_p99": self.quantile(0.99),
        }
        records = []
        for spec, act, tally, tails, (dead, flat) in zip(self.functions, self._acts, self.tallies,
                                                         self.tails, self.fractions()):
            record = {"function": spec, **shared,
                      "mean": tally.output.mean, "std": tally.output.std,
                      "mean_grad": tally.grad.mean, "mean_grad_sq": tally.grad.mean_square,
                      "dead_fraction": dead, "saturated_fraction": flat}
            record["verdict"] = verdict(act, record, tails, tally.weak / self.n,
                                        self.saturation)
            records.append(record)
        return records


@functools.lru_cache(maxsize=1024)
def _bound(spec: str) -> Activation:
    """The activation of `spec`, once per process: its max|f'| (properties, measured on
    first use) costs up to a tenth of a second, and summaries are made, copied and
    unpickled (from Dask workers, from other ranks) many times over."""
    from actcli.resolve import resolve

    return resolve(spec, elementwise="stats takes elementwise functions")


@functools.lru_cache(maxsize=1024)
def _tails(spec: str, saturation: float) -> tuple[float, float]:
    """Where `spec`'s saturated tails begin, once per process (as `_bound`)."""
    return saturation_bounds(_bound(spec), saturation)


class _Scratch(threading.local):
    """Dense per-bin arrays for the compiled histogram pass, one set per thread, zeroed
    again after each chunk (np.zeros maps pages lazily: only the bins hit take memory)."""

    def __init__(self) -> None:
        self.counts = np.zeros(BINS, np.int64)
        self.sums = np.zeros(BINS, np.float64)
        self.squares = np.zeros(BINS, np.float64)
        self.touched = np.zeros(BINS, np.int64)

    def take(self, hits: int) -> Histogram:
        """The bins the last pass touched, as a Histogram; the scratch zeroed again."""
        bins = np.sort(self.touched[:hits])
        taken = Histogram()
        taken.bins = bins
        taken.counts, taken.sums, taken.squares = (
            self.counts[bins].copy(), self.sums[bins].copy(), self.squares[bins].copy())
        self.counts[bins] = 0
        self.sums[bins] = 0
        self.squares[bins] = 0
        return taken


_SCRATCH: _Scratch | None = None


def _scratch() -> _Scratch:
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = _Scratch()
    return _SCRATCH


def _compiled_passes() -> Any:
    """The compiled passes, loaded (from Numba's cache) by running each on two values."""
    from actcli.analysis import stats_jit

    probe = np.zeros(2)
    scratch = _Scratch()
    stats_jit.histogram(probe, scratch.counts, scratch.sums, scratch.squares, scratch.touched)
    stats_jit.moments(probe)
    stats_jit.tally(probe, probe, -1.0, 1.0, 0.5)
    return stats_jit


def _edge(i: int) -> float:
    """The float at the start of bin i (in the order of the bit patterns)."""
    ordered = np.int64(i - BINS // 2) << np.int64(_SHIFT)
    bits = ordered ^ ((ordered >> np.int64(63)) & _INT64_MAGNITUDE)
    return float(np.array(bits, np.int64).view(np.float64))


def _ordered(keys: np.ndarray) -> np.ndarray:
    """Bins from the top bits of float64 patterns (arithmetic shift): negative floats,
    whose patterns grow with their magnitude, made to count down."""
    return (keys ^ ((keys >> 63) & (BINS // 2 - 1))) + BINS // 2


def verdict(act: Activation, record: dict[str, Any], tails: tuple[float, float], weak: float,
            share: float = DEFAULT_SATURATION) -> str:
    """A short judgement for people: each finding with the figure behind it, and advice
    only where the figures and the catalog support it. `tails`: the saturated tails
    (`saturation_bounds`); `weak`: the share of inputs with 0 < |f'| < share * max|f'|
    outside them."""
    dead, flat, gain = record["dead_fraction"], record["saturated_fraction"], record["mean_grad_sq"]
    notes = []
    if record["inf_count"]:
        count = record["inf_count"]
        effect = (f"{act.name} maps them to finite values" if math.isfinite(record["mean"])
                  else "the mean of f is not finite")
        notes.append(f"{count} infinite input{'s' if count > 1 else ''} (an overflow upstream?): "
                     f"{effect}")
    if dead >= 0.3:
        notes.append(_dead(act, dead))
    if flat >= 0.3:
        notes.append(_saturated(act.name, flat, tails, share))
    if weak >= 0.3:
        notes.append(_weak(act, weak, share))
    if not math.isfinite(gain):
        notes.append("E[f'^2] is not finite on these inputs")
    elif gain < 0.25:
        notes.append(f"gradients shrink: E[f'^2] = {gain:.2g} per layer (see actcli depth)")
    elif gain > 4:
        notes.append(f"gradients grow: E[f'^2] = {gain:.2g} per layer (see actcli depth)")
    if not notes:
        flatness = (f"{flat:.0%} saturated" if math.isfinite(flat)
                    else "saturation n/a (f' unbounded)")
        notes.append(f"healthy: {dead:.0%} dead, {flatness}, E[f'^2] = {gain:.2g}")
    return "; ".join(notes)


def _dead(act: Activation, dead: float) -> str:
    if dead == 1:
        return "100% dead: f'(x) = 0 on every input, no gradient passes"
    # Where f' is 0 for good: relu's left, hardtanh's and relu6's both sides.
    left, right = (float(act.df(side * GRID_HALF_WIDTH)) == 0 for side in (-1, 1))
    advice = ("; leaky_relu or elu keep a gradient for negative inputs" if left and not right
              else f"; normalise the inputs into {act.name}'s sloped range" if left and right
              else "")
    return f"{dead:.0%} dead (f'(x) = 0){advice}"


def _saturated(name: str, flat: float, tails: tuple[float, float], share: float) -> str:
    low, high = tails
    if math.isfinite(low) and math.isfinite(high):
        why = (f"inputs too large in magnitude for {name}; normalise them, or use a function "
               "that does not saturate for x > 0 (relu, gelu, silu)")
    elif math.isfinite(low):
        why = f"inputs too negative for {name}; normalise or shift them"
    else:
        why = f"inputs too large for {name}; normalise them"
    return f"{flat:.0%} saturated ({describe_tails(tails)}, where |f'| < {share:g} max|f'|): {why}"


def _weak(act: Activation, weak: float, share: float) -> str:
    """Inputs on a small slope that is no tail: leaky_relu's 0.01, or a flat stretch."""
    top = act.properties.max_abs_grad
    slopes = [abs(float(act.df(side * math.inf))) for side in (-1, 1)]
    slope = next((s for s in slopes if 0 < s < share * top), None)
    if slope is not None:
        return (f"{weak:.0%} of inputs on the {slope:g} slope: the gradient is "
                f"{top / slope:.3g}x smaller there")
    return f"{weak:.0%} of inputs where 0 < |f'| < {share:g} max|f'| (not a saturated tail)"
