"""Gated linear units of current Transformers (SwiGLU, GeGLU, ReGLU): vector functions of
an even-length input split into halves a and b, returning act(a) * b.

The activated half is the first one, as in Megatron-LM and Transformer Engine (the
`gate_proj` of Llama-style MLPs comes first). torch.nn.functional.glu gates the other
way round: a * sigmoid(b), the sigmoid on the second half.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from actcli.catalog._stable import Array
from actcli.catalog.elementwise import _gelu, _gelu_df, _relu, _silu, _silu_df
from actcli.catalog.spec import Interval, Param, ShapeError, VectorSpec

Elementwise = Callable[..., Array]


def _split(name: str, x: Array, axis: int) -> tuple[Array, Array]:
    n = x.shape[axis]
    if n % 2:
        raise ShapeError(f"{name} needs an even number of inputs along the axis, got {n}")
    a, b = np.split(x, 2, axis=axis)
    return a, b


def _product(u: Array, v: Array) -> Array:
    with np.errstate(over="ignore"):  # a product beyond the float range is inf, truly
        return u * v


def _gated_unit(name: str, act: Elementwise, act_df: Elementwise) -> dict[str, Callable[..., Array]]:
    """f, jacobian and jvp of act(a) * b, where act takes the record's parameters."""

    def f(x: Array, axis: int = -1, **params: object) -> Array:
        a, b = _split(name, x, axis)
        return _product(act(a, **params), b)

    def jacobian(x: Array, **params: object) -> Array:
        a, b = _split(name, x, 0)
        return np.hstack([np.diag(_product(act_df(a, **params), b)), np.diag(act(a, **params))])

    def jvp(x: Array, v: Array, axis: int = -1, **params: object) -> Array:
        a, b = _split(name, x, axis)
        va, vb = _split(name, v, axis)
        return act_df(a, **params) * b * va + act(a, **params) * vb

    return {"f": f, "jacobian": jacobian, "jvp": jvp}


_DIRECTION = ("The first half is activated (act(a) * b), as in Megatron-LM and Transformer "
              "Engine; torch.nn.functional.glu gates the other way (a * sigmoid(b)). ")
_SHAPE = "The input length along the axis must be even; the output has half as many entries."


def _relu_df(x: Array) -> Array:
    return np.where(x > 0, 1, 0).astype(x.dtype)


SWIGLU = VectorSpec(
    name="swiglu", family="gated linear unit", aliases=("SwiGLU",),
    summary="silu(a) * b of the vector's halves a, b: the MLP of Llama, Mistral and PaLM.",
    formula="f(a, b) = silu(a) * b, where x = [a, b]",
    latex=r"\operatorname{SwiGLU}(a, b) = \operatorname{silu}(a) \otimes b",
    reference="Shazeer 2020, GLU Variants Improve Transformer",
    **_gated_unit("swiglu", lambda a: _silu(a, 1.0), lambda a: _silu_df(a, 1.0)),
    output_range=Interval(-np.inf, np.inf), output_size=lambda n: n // 2,
    frameworks={"PyTorch": "transformer_engine.pytorch.LayerNormMLP(activation='swiglu')"},
    notes=_DIRECTION + "The Jacobian is [diag(silu'(a) b), diag(silu(a))]. " + _SHAPE,
)

GEGLU = VectorSpec(
    name="geglu", family="gated linear unit", aliases=("GeGLU",),
    summary="gelu(a) * b of the vector's halves a, b: the MLP of T5 v1.1 and Gemma.",
    formula="f(a, b) = gelu(a) * b, where x = [a, b]",
    latex=r"\operatorname{GeGLU}(a, b) = \operatorname{gelu}(a) \otimes b",
    reference="Shazeer 2020, GLU Variants Improve Transformer",
    params=(Param("approximate", "none", "gelu's form: 'none' (exact) or 'tanh'",
                  choices=("none", "tanh")),),
    **_gated_unit("geglu", _gelu, _gelu_df),
    output_range=Interval(-np.inf, np.inf), output_size=lambda n: n // 2,
    frameworks={"PyTorch": "transformer_engine.pytorch.LayerNormMLP(activation='geglu')"},
    notes=_DIRECTION + "Gemma uses the tanh form of gelu (approximate=tanh). The Jacobian is "
          "[diag(gelu'(a) b), diag(gelu(a))]. " + _SHAPE,
)

REGLU = VectorSpec(
    name="reglu", family="gated linear unit", aliases=("ReGLU",),
    summary="relu(a) * b of the vector's halves a, b.",
    formula="f(a, b) = relu(a) * b, where x = [a, b]",
    latex=r"\operatorname{ReGLU}(a, b) = \max(0, a) \otimes b",
    reference="Shazeer 2020, GLU Variants Improve Transformer",
    **_gated_unit("reglu", _relu, _relu_df),
    output_range=Interval(-np.inf, np.inf), output_size=lambda n: n // 2,
    frameworks={"PyTorch": "transformer_engine.pytorch.LayerNormMLP(activation='reglu')"},
    notes=_DIRECTION + "The Jacobian is [diag(relu'(a) b), diag(relu(a))], with relu'(0) = 0 "
          "(PyTorch). " + _SHAPE,
)

GATED: tuple[VectorSpec, ...] = (SWIGLU, GEGLU, REGLU)
