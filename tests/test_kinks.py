"""Oracles at the kinks: for every record with a kink, f'(kink) against PyTorch's
autograd where PyTorch has the function (float64, the same parameters), gated units
included; elsewhere, f'(kink) is one of the two one-sided slopes, the one the record's
kink rule names. The conventions are the product (FRAMEWORKS.md): relu'(0) = 0,
leaky_relu'(0) = negative_slope, hardswish'(-3) = 0 and hardswish'(3) = 1, ...
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import actcli
from actcli.catalog import REGISTRY

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Record name -> PyTorch's function of (x, params) for the records PyTorch has.
TORCH = {
    "softsign": lambda x, p: F.softsign(x),
    "hardsigmoid": lambda x, p: F.hardsigmoid(x),
    "hardtanh": lambda x, p: F.hardtanh(x, p["min_val"], p["max_val"]),
    "relu": lambda x, p: F.relu(x),
    "leaky_relu": lambda x, p: F.leaky_relu(x, p["negative_slope"]),
    "prelu": lambda x, p: F.prelu(x, torch.tensor([p["weight"]], dtype=x.dtype)),
    "rrelu": lambda x, p: F.rrelu(x, p["lower"], p["upper"], training=False),
    "relu6": lambda x, p: F.relu6(x),
    "threshold": lambda x, p: F.threshold(x, p["threshold"], p["value"]),
    "elu": lambda x, p: F.elu(x, p["alpha"]),
    "selu": lambda x, p: F.selu(x),
    "celu": lambda x, p: F.celu(x, p["alpha"]),
    "hardswish": lambda x, p: F.hardswish(x),
    "softshrink": lambda x, p: F.softshrink(x, p["lambd"]),
    "hardshrink": lambda x, p: F.hardshrink(x, p["lambd"]),
    # transformers' ReLUSquaredActivation is relu(x) ** 2
    "relu_squared": lambda x, p: F.relu(x) ** 2,
}
SETTINGS = {
    "hardtanh": [{}, {"min_val": -2.0, "max_val": 3.0}],
    "leaky_relu": [{}, {"negative_slope": 0.2}, {"negative_slope": -0.5}],
    "prelu": [{}, {"weight": 0.1}],
    "rrelu": [{}, {"lower": 0.0, "upper": 0.5}],
    "threshold": [{}, {"threshold": 1.0, "value": -2.0}],
    "elu": [{}, {"alpha": 0.5}, {"alpha": 2.0}],
    "celu": [{}, {"alpha": 2.0}],
    "softshrink": [{}, {"lambd": 1.0}],
    "hardshrink": [{}, {"lambd": 1.0}],
}


def torch_slope(name: str, params: dict, x: float) -> float:
    t = torch.tensor([x], dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(TORCH[name](t, params).sum(), t)
    return float(grad[0])


def _with_torch():
    for spec in REGISTRY:
        if spec.kind == "elementwise" and spec.name in TORCH:
            for given in SETTINGS.get(spec.name, [{}]):
                act = spec.bind(**given)
                for kink in act.kinks:
                    yield pytest.param(spec.name, dict(act.params), kink,
                                       id=f"{act.label}@{kink:g}")


@pytest.mark.parametrize("name, params, kink", list(_with_torch()))
def test_the_slope_at_every_kink_is_pytorchs(name, params, kink):
    act = actcli.get(name, **params)
    expected = torch_slope(name, params, kink)
    # (to an ulp: actcli rounds selu's scale * alpha once, torch twice)
    assert float(act.df(kink)) == pytest.approx(expected, rel=2e-16, abs=0)
    assert float(act.df(np.array([kink]))[0]) == pytest.approx(expected, rel=2e-16, abs=0)


def _without_torch():
    for spec in REGISTRY:
        if spec.kind == "elementwise" and spec.name not in TORCH:
            act = spec.bind()
            for kink in act.kinks:
                yield pytest.param(spec.name, kink, id=f"{spec.name}@{kink:g}")


@pytest.mark.parametrize("name, kink", list(_without_torch()))
def test_elsewhere_the_slope_at_a_kink_is_a_one_sided_one(name, kink):
    """No framework to ask: f'(kink) is the slope just left or just right of it (not an
    average, not a stray value), as the record's kink rule says."""
    act = actcli.get(name)
    at = float(act.df(kink))
    step = 1e-7 * max(1.0, abs(kink))
    left, right = float(act.df(kink - step)), float(act.df(kink + step))
    assert any(math.isclose(at, side, rel_tol=1e-5, abs_tol=1e-5) for side in (left, right)), (
        at, left, right, act.spec.kink_rule)


def test_binary_step_has_no_slope_anywhere_as_its_record_says():
    # torch.heaviside has no derivative in autograd; the catalog's convention is 0.
    act = actcli.get("binary_step")
    assert np.all(act.df(np.array([-1.0, 0.0, 1.0])) == 0)


GATED = {
    "reglu": lambda a, b: F.relu(a) * b,
    "swiglu": lambda a, b: F.silu(a) * b,
    "geglu": lambda a, b: F.gelu(a) * b,
    "glu": None,  # torch's own: glu(x) = a * sigmoid(b)
}


@pytest.mark.parametrize("name", sorted(GATED))
def test_gated_units_jacobians_at_their_kinks_are_pytorchs(name):
    """The inner activation's convention carries into the unit: reglu's d/da at a = 0 is
    relu'(0) b = 0, as torch's autograd gives."""
    x = np.array([0.0, -0.0, 1.5, -2.0, 3.0, -1.0, 0.5, 2.0])  # a = first half, b = second
    unit = GATED[name]

    def function(t):
        return F.glu(t, dim=0) if unit is None else unit(t[:4], t[4:])

    expected = torch.autograd.functional.jacobian(function, torch.tensor(x, dtype=torch.float64))
    np.testing.assert_allclose(actcli.get(name).jacobian(x), expected.numpy(), rtol=1e-12,
                               atol=1e-15)
    if name == "reglu":
        assert np.all(actcli.get(name).jacobian(x)[:2, :2] == 0)  # relu'(+-0) b = 0
