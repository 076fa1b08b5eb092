"""Coefficients of actcli.catalog._normal: Q(t) = Phi(-t) exp(t^2 / 2) on [0, TOP].

    python scripts/normal_cdf_coefficients.py      # prints the tuples to paste

(t + K) Q(t) is fitted with a Chebyshev polynomial (mpmath.chebyfit, 40 digits) in
y = (t - K) / (t + K), which maps [0, inf) onto [-1, 1) and makes the function smooth
at both ends: Q(0) = 1/2 and Q(t) ~ 1 / (t sqrt(2 pi)) for large t. Printed highest
power first, for Horner's rule.
"""

from __future__ import annotations

import mpmath as m

m.mp.dps = 40
K = 3.0
TOP = 38.0


def q(t: m.mpf) -> m.mpf:
    return m.erfc(t / m.sqrt(2)) / 2 * m.exp(t * t / 2)


def fit(terms: int) -> tuple[list[float], float]:
    def h(y: m.mpf) -> m.mpf:
        t = K * (1 + y) / (1 - y)
        return (t + K) * q(t)

    poly, error = m.chebyfit(h, [-1, (TOP - K) / (TOP + K)], terms, error=True)
    return [float(c) for c in poly], float(error)


if __name__ == "__main__":
    for name, terms in (("FLOAT64", 24), ("FLOAT32", 12)):
        coefficients, error = fit(terms)
        print(f"# {terms} terms, fit error {error:.2g} (absolute; (t + K) Q(t) falls from K/2 to 0.4)")
        print(f"_{name} = (")
        for c in coefficients:
            print(f"    {c!r},")
        print(")")
