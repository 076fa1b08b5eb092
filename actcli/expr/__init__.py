"""Custom activations from a formula in x, with exact first and second derivatives.

    >>> from actcli import expr
    >>> act = expr.parse("x*sigmoid(1.702*x)").spec().bind()   # an Activation
    >>> act.label, round(float(act.f(1.0)), 6)
    ('x*sigmoid(1.702*x)', 0.845796)
    >>> expr.parse("max(0, x)").formula(1)
    'where(0 > x, 0, 1)'

Grammar: numbers, x, pi, e, inf, nan; + - * / ** and unary -, brackets; exp expm1 log
log1p sqrt abs sign sin cos tanh sech sinh cosh atan erf erfc (erf/erfc import SciPy on
first use); max(a, b, ...), min(...), clip(u, lo, hi) and where(cond, a, b), the condition
made of < <= > >= == != (chains allowed), and, or, not; every elementwise catalog function
by name or alias, its parameters positional in the record's order or by keyword:
leaky_relu(x, 0.2), LeakyReLU(x, alpha=0.2), gelu(x, approximate='tanh').

Safety (`actcli.expr.syntax`): the text is checked for size, characters and bracket
nesting *before* `ast.parse(mode="eval")` sees it, then converted node by node against a
whitelist into the small tree of `actcli.expr.tree`. Nothing is compiled or run by
Python, and every number is a NumPy float from the start (`9**9**9` is a float overflow
to inf, never a bignum).

Derivatives are symbolic: f' and f'' are trees built from f by the chain, product and
quotient rules with light simplification (identities of 0 and 1), and evaluated like f.
Kink conventions (PyTorch's):
- max/min at a tie (a = b) take the one-sided derivative nearest 0, the minimum-norm
  subgradient: max(0, x)' = 0 at 0, max(x, 0.1*x)' = 0.1, min(max(x, -1), 1)' = 0 at +-1,
  max(x, -x)' = 0. When both sides have the same slope, f'' is the max (min) of theirs.
- abs'(0) = sign(0) = 0 and sign' = 0; where(c, a, b) has the derivative of the branch
  that c selects (as autograd through torch.where); catalog functions keep their rules.
Arithmetic is IEEE in the input's dtype with warnings silenced: overflow gives +-inf and
an indeterminate form (inf - inf, 0 * inf, log(-1)) gives NaN, the honest value of the
formula; f' and f'' are NaN wherever f is. One exception, in products that
differentiation creates: an exact 0 (a saturated derivative) beats +-inf (an overflowed
factor), so x*sigmoid(x) has f'(inf) = 1 rather than inf*0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cached_property

import numpy as np

from actcli.catalog import Spec
from actcli.expr.measure import Measured, measure
from actcli.expr.syntax import (
    MAX_DEPTH, MAX_LENGTH, MAX_NESTING, MAX_NODES, ExpressionError, to_tree,
)
from actcli.expr.tree import (
    MAX_FORMULA, NON_SMOOTH, ZERO, Array, Catalog, Compare, Evaluator, Extremum, Func, Node, Num,
    Printer, TooLong, derivatives,
)

__all__ = [
    "MAX_DEPTH", "MAX_FORMULA", "MAX_LENGTH", "MAX_NESTING", "MAX_NODES", "Expression",
    "ExpressionError", "Measured", "is_expression", "parse",
]

KINK_RULE = ("max/min at a tie take the one-sided derivative nearest 0 (max(0, x)' = 0 at 0); "
             "abs'(0) = sign(0) = 0; where(c, a, b) differentiates the branch c selects; "
             "catalog functions keep their own rules")


# How catalog spellings look: a name (letters, digits, '_', '-'), optionally followed by
# `:key=value,...` parameters. Anything else is meant as a formula.
_CATALOG_SYNTAX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(:.*)?", re.S)


def is_expression(text: str) -> bool:
    """Cheap test: is this meant as a formula rather than a catalog name? True for "x"
    and for anything that is not a name with optional `:key=value` parameters (formulas
    have operators, brackets, dots, digits first...). Look catalog names up first."""
    text = text.strip()
    return text == "x" or not _CATALOG_SYNTAX.fullmatch(text)


def parse(text: str) -> Expression:
    """Parse and check a formula in x; raises ExpressionError with a one-line message."""
    return Expression(to_tree(text))


class Expression:
    """A checked formula: f and its exact derivatives f', f'' as trees."""

    def __init__(self, root: Node) -> None:
        self.trees = (root, *derivatives(root))
        # The formula normalised: canonical names and spacing, the fewest brackets. The
        # syntax tree is a tree, so this is about as long as the input.
        self.text = Printer(limit=math.inf).show(root)[0]

    def __repr__(self) -> str:
        return f"<Expression {self.text}>"

    def evaluate(self, x: Array, order: int = 0) -> Array:
        """f (order 0), f' or f'' at a float32/float64 array, in its dtype, without
        warnings. Derivatives are NaN where f is."""
        ev = Evaluator(x)
        with np.errstate(all="ignore"):
            out = ev(self.trees[order])
            if order:
                out = np.where(np.isnan(ev(self.trees[0])), np.nan, out)
        out = np.asarray(out, dtype=x.dtype)
        return out if out.shape == x.shape else np.full(x.shape, out)  # a constant

    def formula(self, order: int = 0) -> str:
        """f (the normalised text), f' or f''; the derivatives readable rather than exact
        (a*(b*c) shown as a*b*c; `name'` is a catalog function's derivative)."""
        return self._show(Printer(exact=False), order) if order else self.text

    def latex(self, order: int = 0) -> str:
        return self._show(Printer(latex=True), order)

    def _show(self, printer: Printer, order: int) -> str:
        try:
            return printer.show(self.trees[order])[0]
        except TooLong:
            return f"(longer than {MAX_FORMULA} characters)"

    def nodes(self) -> Iterator[Node]:
        """Every node of f (shared ones once)."""
        seen: set[int] = set()
        stack = [self.trees[0]]
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                yield node
                stack.extend(node.children())

    @cached_property
    def switches(self) -> tuple[tuple[Node, Node], ...]:
        """Pairs (a, b) of subtrees of f where a piece of f changes as a - b crosses 0:
        max/min, abs/sign, where() comparisons and the kinks of catalog functions."""
        found: list[tuple[Node, Node]] = []
        for node in self.nodes():
            if isinstance(node, (Extremum, Compare)):
                found.append((node.left, node.right))
            elif isinstance(node, Func) and node.name in NON_SMOOTH:
                found.append((node.arg, ZERO))
            elif isinstance(node, Catalog) and node.act.smoothness != "Cinf":
                found.extend((node.arg, Num(k)) for k in node.act.kinks)
        return tuple((a, b) for a, b in found if a.varying or b.varying)

    @cached_property
    def measured(self) -> Measured:
        return measure(self)

    def spec(self) -> Spec:
        """A catalog record for this formula: `.bind()` gives an Activation that works
        wherever a catalog function does. Range, monotonicity, smoothness and kinks are
        measured on a grid (see `measure`) the first time they are asked for."""
        smooth = not self.switches
        return Spec(
            name=self.text, family="custom",
            summary="A custom activation given by a formula in x.",
            formula=f"f(x) = {self.text}", latex=f"f(x) = {self.latex()}",
            reference="user expression",
            f=lambda x: self.evaluate(x, 0),
            df=lambda x: self.evaluate(x, 1),
            d2f=lambda x: self.evaluate(x, 2),
            output_range=lambda: self.measured.output_range,
            monotonic=lambda: self.measured.monotonic,
            smoothness="Cinf" if smooth else lambda: self.measured.smoothness,
            kinks=() if smooth else lambda: self.measured.kinks,
            kink_rule="" if smooth else KINK_RULE,
            notes=f"f'(x) = {self.formula(1)}; f''(x) = {self.formula(2)}. Range, "
                  "monotonicity, smoothness and kinks are measured on a grid.",
        )
