"""The expression tree of a formula: nodes that evaluate, differentiate and print
themselves, the simplifying constructors the derivatives are built with, and the
evaluator and printer that walk the (shared) graphs.

Conventions are those of the package docstring (`actcli.expr`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actcli.catalog.spec import Activation

MAX_FORMULA = 2000  # characters of a printed derivative

Array = NDArray[np.floating]


# --- the expression tree ----------------------------------------------------------------

# Python's binding strengths, for printing with the fewest brackets that parse back.
OR, AND, NOT, CMP, ADD, MUL, UNARY, POW, ATOM = range(1, 10)


class Node:
    """A node of an expression tree; `varying` says whether it depends on x."""

    __slots__ = ("varying",)

    def children(self) -> tuple[Node, ...]:
        return ()

    def evaluate(self, ev: Evaluator) -> Any:
        raise NotImplementedError

    def derive(self, d: Callable[[Node], Node]) -> Node:
        raise NotImplementedError

    def text(self, pr: Printer) -> tuple[str, int]:
        raise NotImplementedError

    def tex(self, pr: Printer) -> tuple[str, int]:
        raise NotImplementedError


class Num(Node):
    __slots__ = ("value", "name", "latex")

    def __init__(self, value: float, name: str = "", latex: str = "") -> None:
        self.varying, self.value, self.name, self.latex = False, value, name, latex

    def evaluate(self, ev: Evaluator) -> Any:
        return ev.dtype(self.value)

    def text(self, pr: Printer) -> tuple[str, int]:
        if self.name:
            return self.name, ATOM
        return _number(self.value), UNARY if self.value < 0 else ATOM

    def tex(self, pr: Printer) -> tuple[str, int]:
        if self.latex:
            return self.latex, ATOM
        mantissa, _, exponent = _number(self.value).partition("e")
        if not exponent:
            return mantissa, UNARY if self.value < 0 else ATOM
        power = f"10^{{{int(exponent)}}}"
        return (power if mantissa == "1" else rf"{mantissa} \cdot {power}"), MUL


def _number(value: float) -> str:
    """The shortest text that reads back as `value` ("2", not "2.0"; "-0", a sign kept)."""
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return "-0" if math.copysign(1.0, value) < 0 else str(int(value))
    return repr(value)


class Var(Node):
    __slots__ = ()

    def __init__(self) -> None:
        self.varying = True

    def evaluate(self, ev: Evaluator) -> Any:
        return ev.x

    def derive(self, d: Callable[[Node], Node]) -> Node:
        return ONE

    def text(self, pr: Printer) -> tuple[str, int]:
        return "x", ATOM

    tex = text


X = Var()
ZERO, ONE, TWO = Num(0.0), Num(1.0), Num(2.0)
CONSTANTS = {
    "pi": Num(math.pi, "pi", r"\pi"), "e": Num(math.e, "e", "e"),
    "inf": Num(math.inf, "inf", r"\infty"), "nan": Num(math.nan, "nan", r"\mathrm{NaN}"),
}


class Neg(Node):
    __slots__ = ("arg",)

    def __init__(self, arg: Node) -> None:
        self.varying, self.arg = arg.varying, arg

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)

    def evaluate(self, ev: Evaluator) -> Any:
        return -ev(self.arg)

    def derive(self, d: Callable[[Node], Node]) -> Node:
        return neg(d(self.arg))

    def text(self, pr: Printer) -> tuple[str, int]:
        return "-" + pr.wrap(self.arg, UNARY), UNARY

    def tex(self, pr: Printer) -> tuple[str, int]:
        return "-" + pr.wrap(self.arg, MUL), UNARY


class Bin(Node):
    """a + b, a - b, a * b, a / b or a ** b. `zero_wins`: a product built by
    differentiation, where an exact 0 factor beats +-inf (but not NaN)."""

    __slots__ = ("op", "left", "right", "zero_wins")
    PRECEDENCE = {"+": ADD, "-": ADD, "*": MUL, "/": MUL, "**": POW}

    def __init__(self, op: str, left: Node, right: Node, zero_wins: bool = False) -> None:
        self.varying = left.varying or right.varying
        self.op, self.left, self.right, self.zero_wins = op, left, right, zero_wins

    def children(self) -> tuple[Node, ...]:
        return self.left, self.right

    def evaluate(self, ev: Evaluator) -> Any:
        a, b = ev(self.left), ev(self.right)
        if self.op == "+":
            return a + b
        if self.op == "-":
            return a - b
        if self.op == "/":
            return a / b
        if self.op == "**":
            return np.power(a, b)
        if self.zero_wins:
            return np.where(((a == 0) & np.isinf(b)) | ((b == 0) & np.isinf(a)), 0, a * b)
        return a * b

    def derive(self, d: Callable[[Node], Node]) -> Node:
        a, b = self.left, self.right
        if self.op == "+":
            return add(d(a), d(b))
        if self.op == "-":
            return sub(d(a), d(b))
        if self.op == "*":
            return add(mul(d(a), b), mul(a, d(b)))
        if self.op == "/":
            # (a/b)' = (a' - (a/b) b') / b: reuses the quotient, and does not square b.
            return div(sub(d(a), mul(self, d(b))), b) if b.varying else div(d(a), b)
        if not b.varying:
            value = _plain_number(b)
            lowered = Num(value - 1) if value is not None else sub(b, ONE)
            return mul(mul(b, power(a, lowered)), d(a))
        return mul(self, add(mul(d(b), Func("log", a)), div(mul(b, d(a)), a)))

    def text(self, pr: Printer) -> tuple[str, int]:
        p = self.PRECEDENCE[self.op]
        if self.op == "**":
            return f"{pr.wrap(self.left, ATOM)}**{pr.wrap(self.right, UNARY)}", POW
        # Exact printing keeps a + (b + c) as typed: floating-point addition and
        # multiplication are not associative, so the text must parse back to this tree.
        loose = not pr.exact and self.op in "+*"
        right = pr.wrap(self.right, p if loose else p + 1)
        spaced = f" {self.op} " if p == ADD else self.op
        return f"{pr.wrap(self.left, p)}{spaced}{right}", p

    def tex(self, pr: Printer) -> tuple[str, int]:
        if self.op == "/":
            return rf"\frac{{{pr.show(self.left)[0]}}}{{{pr.show(self.right)[0]}}}", ATOM
        if self.op == "**":
            return f"{{{pr.wrap(self.left, ATOM)}}}^{{{pr.show(self.right)[0]}}}", POW
        if self.op == "+":
            return f"{pr.wrap(self.left, ADD)} + {pr.wrap(self.right, ADD)}", ADD
        if self.op == "-":
            return f"{pr.wrap(self.left, ADD)} - {pr.wrap(self.right, MUL)}", ADD
        left, right = pr.wrap(self.left, MUL), pr.wrap(self.right, MUL)
        juxtapose = isinstance(self.left, Num) and not right[:1].isdigit()  # 1.702 x
        return left + (" " if juxtapose else r" \cdot ") + right, MUL


def _plain_number(node: Node) -> float | None:
    """The value of a literal number or a negated one, else None."""
    if isinstance(node, Neg) and isinstance(node.arg, Num) and not node.arg.name:
        return -node.arg.value
    return node.value if isinstance(node, Num) and not node.name else None


@cache
def _scipy_special() -> Any:
    """scipy.special, imported only when a formula uses erf or erfc (0.3 s)."""
    import scipy.special

    return scipy.special


def _sech(u: Array) -> Array:
    """1/cosh(u) = 2e/(1 + e^2) with e = exp(-|u|): no overflow, exact in the tails."""
    e = np.exp(-np.abs(u))
    return 2 * e / (1 + e * e)


def _erf_prime(u: Node) -> Node:
    return mul(Bin("/", TWO, Func("sqrt", CONSTANTS["pi"])), Func("exp", neg(power(u, TWO))))


@dataclass(frozen=True)
class Elementary:
    numpy: Callable[[Any], Any]
    derivative: Callable[[Node, Node], Node]  # (the call f(u), u) -> f'(u)
    latex: str  # with @ for the argument


ELEMENTARY: dict[str, Elementary] = {
    "exp": Elementary(np.exp, lambda f, u: f, "e^{@}"),
    "expm1": Elementary(np.expm1, lambda f, u: Func("exp", u),
                        r"\operatorname{expm1}\left(@\right)"),
    "log": Elementary(np.log, lambda f, u: div(ONE, u), r"\log\left(@\right)"),
    "log1p": Elementary(np.log1p, lambda f, u: div(ONE, add(ONE, u)),
                        r"\operatorname{log1p}\left(@\right)"),
    "sqrt": Elementary(np.sqrt, lambda f, u: div(Num(0.5), f), r"\sqrt{@}"),
    "abs": Elementary(np.abs, lambda f, u: Func("sign", u), r"\left|@\right|"),
    "sign": Elementary(np.sign, lambda f, u: ZERO, r"\operatorname{sign}\left(@\right)"),
    "sin": Elementary(np.sin, lambda f, u: Func("cos", u), r"\sin\left(@\right)"),
    "cos": Elementary(np.cos, lambda f, u: neg(Func("sin", u)), r"\cos\left(@\right)"),
    "tanh": Elementary(np.tanh, lambda f, u: power(Func("sech", u), TWO), r"\tanh\left(@\right)"),
    "sech": Elementary(_sech, lambda f, u: neg(mul(f, Func("tanh", u))),
                       r"\operatorname{sech}\left(@\right)"),
    "sinh": Elementary(np.sinh, lambda f, u: Func("cosh", u), r"\sinh\left(@\right)"),
    "cosh": Elementary(np.cosh, lambda f, u: Func("sinh", u), r"\cosh\left(@\right)"),
    "atan": Elementary(np.arctan, lambda f, u: div(ONE, add(ONE, power(u, TWO))),
                       r"\arctan\left(@\right)"),
    "erf": Elementary(lambda u: _scipy_special().erf(u), lambda f, u: _erf_prime(u),
                      r"\operatorname{erf}\left(@\right)"),
    "erfc": Elementary(lambda u: _scipy_special().erfc(u), lambda f, u: neg(_erf_prime(u)),
                       r"\operatorname{erfc}\left(@\right)"),
}
NON_SMOOTH = {"abs", "sign"}


class Func(Node):
    """An elementary function of one argument (see ELEMENTARY)."""

    __slots__ = ("name", "arg")

    def __init__(self, name: str, arg: Node) -> None:
        self.varying, self.name, self.arg = arg.varying, name, arg

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)

    def evaluate(self, ev: Evaluator) -> Any:
        return ELEMENTARY[self.name].numpy(ev(self.arg))

    def derive(self, d: Callable[[Node], Node]) -> Node:
        return mul(ELEMENTARY[self.name].derivative(self, self.arg), d(self.arg))

    def text(self, pr: Printer) -> tuple[str, int]:
        return f"{self.name}({pr.show(self.arg)[0]})", ATOM

    def tex(self, pr: Printer) -> tuple[str, int]:
        return ELEMENTARY[self.name].latex.replace("@", pr.show(self.arg)[0]), ATOM


class Catalog(Node):
    """A catalog function (bound to its parameters) or, for order 1 and 2, its derivative."""

    __slots__ = ("act", "order", "arg")

    def __init__(self, act: Activation, order: int, arg: Node) -> None:
        self.varying, self.act, self.order, self.arg = arg.varying, act, order, arg

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)

    def evaluate(self, ev: Evaluator) -> Any:
        return self.act.derivative(self.order)(ev(self.arg))

    def derive(self, d: Callable[[Node], Node]) -> Node:
        if self.order == 2:
            raise AssertionError("only f' and f'' are built")
        return mul(Catalog(self.act, self.order + 1, self.arg), d(self.arg))

    def _params(self) -> list[str]:
        return [f"{name}={_param_text(value)}" for name, value in self.act.changed_params.items()]

    def text(self, pr: Printer) -> tuple[str, int]:
        args = ", ".join([pr.show(self.arg)[0], *self._params()])
        return self.act.name + "'" * self.order + f"({args})", ATOM

    def tex(self, pr: Printer) -> tuple[str, int]:
        name = self.act.name.replace("_", r"\_")
        params = "; ".join(p.replace("_", r"\_") for p in self._params())
        args = pr.show(self.arg)[0] + (f"; {params}" if params else "")
        return rf"\operatorname{{{name}}}" + "'" * self.order + rf"\left({args}\right)", ATOM


def _param_text(value: object) -> str:
    return _number(value) if isinstance(value, float) else repr(value)


class Extremum(Node):
    """max(a, b) or min(a, b)."""

    __slots__ = ("kind", "left", "right")

    def __init__(self, kind: str, left: Node, right: Node) -> None:
        self.varying = left.varying or right.varying
        self.kind, self.left, self.right = kind, left, right

    def children(self) -> tuple[Node, ...]:
        return self.left, self.right

    def evaluate(self, ev: Evaluator) -> Any:
        return (np.maximum if self.kind == "max" else np.minimum)(ev(self.left), ev(self.right))

    def derive(self, d: Callable[[Node], Node]) -> Node:
        da, db = d(self.left), d(self.right)
        if _is(da, 0) and _is(db, 0):
            return ZERO
        return ExtremumSlope(self, (da, db))

    def text(self, pr: Printer) -> tuple[str, int]:
        return f"{self.kind}({pr.show(self.left)[0]}, {pr.show(self.right)[0]})", ATOM

    def tex(self, pr: Printer) -> tuple[str, int]:
        return rf"\{self.kind}\left({pr.show(self.left)[0]}, {pr.show(self.right)[0]}\right)", ATOM


class ExtremumSlope(Node):
    """f' (given the derivatives (a', b')) or f'' (given (a', b', a'', b'')) of an extremum,
    with the tie rule of the module docstring."""

    __slots__ = ("of", "slopes")

    def __init__(self, of: Extremum, slopes: tuple[Node, ...]) -> None:
        self.varying, self.of, self.slopes = True, of, slopes

    def children(self) -> tuple[Node, ...]:
        return (self.of, *self.slopes)

    def evaluate(self, ev: Evaluator) -> Any:
        a, b = ev(self.of.left), ev(self.of.right)
        first_wins, second_wins = (a > b, a < b) if self.of.kind == "max" else (a < b, a > b)
        p, q = ev(self.slopes[0]), ev(self.slopes[1])
        same_side = np.sign(p) * np.sign(q) >= 0  # else 0 lies between the slopes
        if len(self.slopes) == 2:
            tie = np.where(same_side, np.where(np.abs(p) <= np.abs(q), p, q), 0)
            pick_a, pick_b = p, q
        else:
            pick_a, pick_b = ev(self.slopes[2]), ev(self.slopes[3])
            tangent = (np.maximum if self.of.kind == "max" else np.minimum)(pick_a, pick_b)
            chosen = np.where(np.abs(p) < np.abs(q), pick_a, pick_b)
            tie = np.where(p == q, tangent, np.where(same_side, chosen, 0))
        tie = np.where(a == b, tie, np.nan)  # NaN when a or b is
        return np.where(first_wins, pick_a, np.where(second_wins, pick_b, tie))

    def derive(self, d: Callable[[Node], Node]) -> Node:
        if len(self.slopes) == 4:
            raise AssertionError("only f' and f'' are built")
        second = tuple(map(d, self.slopes))
        if all(_is(s, 0) for s in second):
            return ZERO
        return ExtremumSlope(self.of, (*self.slopes, *second))

    def _pieces(self, pr: Printer) -> tuple[str, str, str]:
        """Shown as where(a > b, a', b') (a < b for min); the tie rule is in `kink_rule`."""
        op = ">" if self.of.kind == "max" else "<"
        cond = f"{pr.wrap(self.of.left, ADD)} {op} {pr.wrap(self.of.right, ADD)}"
        first, second = self.slopes[-2:]
        return cond, pr.show(first)[0], pr.show(second)[0]

    def text(self, pr: Printer) -> tuple[str, int]:
        return "where({}, {}, {})".format(*self._pieces(pr)), ATOM

    def tex(self, pr: Printer) -> tuple[str, int]:
        return _cases(*self._pieces(pr)), ATOM


def _cases(cond: str, a: str, b: str) -> str:
    return rf"\begin{{cases}} {a} & {cond} \\ {b} & \text{{otherwise}} \end{{cases}}"


class Select(Node):
    """where(cond, a, b)."""

    __slots__ = ("cond", "left", "right")

    def __init__(self, cond: Node, left: Node, right: Node) -> None:
        self.varying = cond.varying or left.varying or right.varying
        self.cond, self.left, self.right = cond, left, right

    def children(self) -> tuple[Node, ...]:
        return self.cond, self.left, self.right

    def evaluate(self, ev: Evaluator) -> Any:
        return np.where(ev(self.cond), ev(self.left), ev(self.right))

    def derive(self, d: Callable[[Node], Node]) -> Node:
        da, db = d(self.left), d(self.right)
        if isinstance(da, Num) and isinstance(db, Num) and da.value == db.value:
            return da
        return Select(self.cond, da, db)

    def text(self, pr: Printer) -> tuple[str, int]:
        parts = (pr.show(n)[0] for n in self.children())
        return "where({}, {}, {})".format(*parts), ATOM

    def tex(self, pr: Printer) -> tuple[str, int]:
        return _cases(*(pr.show(n)[0] for n in self.children())), ATOM


class Compare(Node):
    """a < b, a <= b, a > b, a >= b, a == b or a != b (a condition of where)."""

    __slots__ = ("op", "left", "right")
    NUMPY = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
             "==": np.equal, "!=": np.not_equal}
    LATEX = {"<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq", "==": "=", "!=": r"\neq"}

    def __init__(self, op: str, left: Node, right: Node) -> None:
        self.varying = left.varying or right.varying
        self.op, self.left, self.right = op, left, right

    def children(self) -> tuple[Node, ...]:
        return self.left, self.right

    def evaluate(self, ev: Evaluator) -> Any:
        return self.NUMPY[self.op](ev(self.left), ev(self.right))

    def text(self, pr: Printer) -> tuple[str, int]:
        return f"{pr.wrap(self.left, ADD)} {self.op} {pr.wrap(self.right, ADD)}", CMP

    def tex(self, pr: Printer) -> tuple[str, int]:
        return f"{pr.wrap(self.left, ADD)} {self.LATEX[self.op]} {pr.wrap(self.right, ADD)}", CMP


class Logic(Node):
    """`a and b`, `a or b` or `not a` over conditions."""

    __slots__ = ("op", "args")
    PRECEDENCE = {"or": OR, "and": AND, "not": NOT}
    LATEX = {"or": r"\lor", "and": r"\land", "not": r"\lnot"}

    def __init__(self, op: str, args: tuple[Node, ...]) -> None:
        self.varying, self.op, self.args = any(a.varying for a in args), op, args

    def children(self) -> tuple[Node, ...]:
        return self.args

    def evaluate(self, ev: Evaluator) -> Any:
        values = [ev(a) for a in self.args]
        if self.op == "not":
            return np.logical_not(values[0])
        return (np.logical_and if self.op == "and" else np.logical_or).reduce(values)

    def _join(self, pr: Printer, word: str) -> str:
        p = self.PRECEDENCE[self.op]
        if self.op == "not":
            return f"{word} {pr.wrap(self.args[0], NOT)}"
        return f" {word} ".join(pr.wrap(a, p + 1) for a in self.args)

    def text(self, pr: Printer) -> tuple[str, int]:
        return self._join(pr, self.op), self.PRECEDENCE[self.op]

    def tex(self, pr: Printer) -> tuple[str, int]:
        return self._join(pr, self.LATEX[self.op]), self.PRECEDENCE[self.op]


# --- building derivatives: constructors that simplify -----------------------------------

def _is(node: Node, value: float) -> bool:
    return isinstance(node, Num) and node.value == value


def neg(a: Node) -> Node:
    if isinstance(a, Neg):
        return a.arg
    if isinstance(a, Num) and not a.name:
        return ZERO if a.value == 0 else Num(-a.value)
    return Neg(a)


def _same(a: Node, b: Node) -> bool:
    """The same node, or the same operation on the same nodes (built twice)."""
    return a is b or (isinstance(a, Bin) and isinstance(b, Bin) and a.op == b.op
                      and a.left is b.left and a.right is b.right)


def add(a: Node, b: Node) -> Node:
    if _is(a, 0):
        return b
    if _is(b, 0):
        return a
    if _same(a, b):
        return mul(TWO, a)
    if isinstance(b, Bin) and b.op == "+" and _same(b.left, a):
        return add(mul(TWO, a), b.right)
    if isinstance(b, Neg):
        return sub(a, b.arg)
    if isinstance(a, Neg):
        return sub(b, a.arg)
    return Bin("+", a, b)


def sub(a: Node, b: Node) -> Node:
    if _is(b, 0):
        return a
    if _is(a, 0):
        return neg(b)
    if isinstance(b, Neg):
        return add(a, b.arg)
    if isinstance(a, Neg):
        return neg(add(a.arg, b))
    return Bin("-", a, b)


def mul(a: Node, b: Node) -> Node:
    if _is(a, 0) or _is(b, 0):
        return ZERO
    if _is(a, 1):
        return b
    if _is(b, 1):
        return a
    if _is(a, -1) or isinstance(a, Neg):
        return neg(mul(ONE if isinstance(a, Num) else a.arg, b))
    if _is(b, -1) or isinstance(b, Neg):
        return neg(mul(a, ONE if isinstance(b, Num) else b.arg))
    if a is b:
        return power(a, TWO)
    if _is_reciprocal(a):  # (1/u)*v = v/u
        return div(b, a.right)
    if _is_reciprocal(b):
        return div(a, b.right)
    if a.varying and not b.varying:  # constant factors first: 1.702*x, not x*1.702
        a, b = b, a
    return Bin("*", a, b, zero_wins=True)


def _is_reciprocal(node: Node) -> bool:
    return isinstance(node, Bin) and node.op == "/" and _is(node.left, 1)


def div(a: Node, b: Node) -> Node:
    if _is(a, 0):
        return ZERO
    if _is(b, 1):
        return a
    if a is b:
        return ONE
    if isinstance(a, Neg):
        return neg(div(a.arg, b))
    return Bin("/", a, b)


def power(a: Node, b: Node) -> Node:
    if _is(b, 0):
        return ONE
    if _is(b, 1):
        return a
    return Bin("**", a, b)


def derivatives(root: Node) -> tuple[Node, Node]:
    """The trees of f' and f'' for f = `root`. Each subtree is differentiated once, in
    both passes together, so the results are graphs of a size linear in the input's and
    f'' reuses the nodes of f' (which lets add(u, u) become 2*u)."""
    done: dict[int, tuple[Node, Node]] = {}

    def d(node: Node) -> Node:
        if not node.varying:
            return ZERO
        key = id(node)
        if key not in done:
            done[key] = (node, node.derive(d))  # keeps `node` alive: ids stay unique
        return done[key][1]

    first = d(root)
    return first, d(first)


# --- evaluating and printing ------------------------------------------------------------

class Evaluator:
    """Values of the nodes at `x`, each node computed once (the derivative graphs share
    subtrees with f). Constants are scalars of x's dtype, so float32 stays float32."""

    def __init__(self, x: Array) -> None:
        self.x, self.dtype = x, x.dtype.type
        self._done: dict[int, Any] = {}

    def __call__(self, node: Node) -> Any:
        key = id(node)
        if key not in self._done:
            self._done[key] = node.evaluate(self)
        return self._done[key]


class TooLong(Exception):
    """A printed formula past the printer's limit."""


class Printer:
    """Text (exact: parses back to the same tree; or readable) or LaTeX of a tree, each
    shared subtree printed once. A derivative graph can expand to a tree far larger than
    itself, so printing gives up past `limit` characters."""

    def __init__(self, latex: bool = False, exact: bool = True,
                 limit: float = MAX_FORMULA) -> None:
        self.latex, self.exact, self.limit = latex, exact, limit
        self._done: dict[int, tuple[str, int]] = {}

    def show(self, node: Node) -> tuple[str, int]:
        key = id(node)
        if key not in self._done:
            shown = node.tex(self) if self.latex else node.text(self)
            if len(shown[0]) > self.limit:
                raise TooLong
            self._done[key] = shown
        return self._done[key]

    def wrap(self, node: Node, at_least: int) -> str:
        """The node's text, bracketed if it binds less tightly than `at_least`."""
        text, precedence = self.show(node)
        if precedence >= at_least:
            return text
        return rf"\left({text}\right)" if self.latex else f"({text})"
