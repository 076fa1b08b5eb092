"""Gated linear units: vector functions of an even-length input split into halves a and
b. GLU (Dauphin et al.) returns a * sigmoid(b); the variants of current Transformers
(SwiGLU, GeGLU, ReGLU) return act(a) * b.

The variants activate the first half, as in Megatron-LM and Transformer Engine (the
`gate_proj` of Llama-style MLPs comes first). torch.nn.functional.glu gates the other
way round: a * sigmoid(b), the sigmoid on the second half.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from actcli.catalog import _stable as st
from actcli.catalog._stable import Array
from actcli.catalog.common import gelu, gelu_df, halves, relu, relu_df, silu, silu_df
from actcli.catalog.spec import Interval, Param, VectorSpec

Elementwise = Callable[..., Array]


def _product(u: Array, v: Array) -> Array:
    with np.errstate(over="ignore"):  # a product beyond the float range is inf, truly
        return u * v


def _gated_unit(name: str, act: Elementwise, act_df: Elementwise) -> dict[str, Callable[..., Array]]:
    """f, jacobian and jvp of act(a) * b, where act takes the record's parameters."""

    def f(x: Array, axis: int = -1, **params: object) -> Array:
        a, b = halves(name, x, axis)
        return _product(act(a, **params), b)

    def jacobian(x: Array, **params: object) -> Array:
        a, b = halves(name, x, 0)
        return np.hstack([np.diag(_product(act_df(a, **params), b)), np.diag(act(a, **params))])

    def jvp(x: Array, v: Array, axis: int = -1, **params: object) -> Array:
        a, b = halves(name, x, axis)
        va, vb = halves(name, v, axis)
        return act_df(a, **params) * b * va + act(a, **params) * vb

    return {"f": f, "jacobian": jacobian, "jvp": jvp}


_DIRECTION = ("The first half is activated (act(a) * b), as in Megatron-LM and Transformer "
              "Engine; torch.nn.functional.glu gates the other way (a * sigmoid(b)). ")
_SHAPE = "The input length along the axis must be even; the output has half as many entries."


SWIGLU = VectorSpec(
    name="swiglu", family="gated linear unit", aliases=("SwiGLU",),
    summary="silu(a) * b of the vector's halves a, b: the MLP of Llama, Mistral and PaLM.",
    formula="f(a, b) = silu(a) * b, where x = [a, b]",
    latex=r"\operatorname{SwiGLU}(a, b) = \operatorname{silu}(a) \otimes b",
    reference="Shazeer 2020, GLU Variants Improve Transformer",
    **_gated_unit("swiglu", lambda a: silu(a, 1.0), lambda a: silu_df(a, 1.0)),
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
    **_gated_unit("geglu", gelu, gelu_df),
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
    **_gated_unit("reglu", relu, relu_df),
    output_range=Interval(-np.inf, np.inf), output_size=lambda n: n // 2,
    frameworks={"PyTorch": "transformer_engine.pytorch.LayerNormMLP(activation='reglu')"},
    notes=_DIRECTION + "The Jacobian is [diag(relu'(a) b), diag(relu(a))], with relu'(0) = 0 "
          "(PyTorch). " + _SHAPE,
)

def _glu(x: Array, axis: int = -1) -> Array:
    a, b = halves("glu", x, axis)
    return st.times_vanishing(a, st.sigmoid(b))


def _glu_jacobian(x: Array) -> Array:
    a, b = halves("glu", x, 0)
    return np.hstack([np.diag(st.sigmoid(b)), np.diag(a * st.sigmoid_prime(b))])


def _glu_jvp(x: Array, v: Array, axis: int = -1) -> Array:
    a, b = halves("glu", x, axis)
    va, vb = halves("glu", v, axis)
    return st.sigmoid(b) * va + a * st.sigmoid_prime(b) * vb


GLU = VectorSpec(
    name="glu", family="gated linear unit", aliases=("GLU",),
    summary="a * sigmoid(b) of the vector's halves a, b: an output half as long.",
    formula="f(a, b) = a * sigmoid(b), where x = [a, b]",
    latex=r"\operatorname{GLU}(a, b) = a \otimes \sigma(b)",
    reference="Dauphin et al. 2017, Language Modeling with Gated Convolutional Networks",
    f=_glu, jacobian=_glu_jacobian, jvp=_glu_jvp,
    output_range=Interval(-np.inf, np.inf),
    output_size=lambda n: n // 2,
    frameworks={"PyTorch": "torch.nn.functional.glu", "JAX": "jax.nn.glu",
                "Keras": "keras.activations.glu"},
    notes=_SHAPE,
)


GATED: tuple[VectorSpec, ...] = (GLU, SWIGLU, GEGLU, REGLU)
