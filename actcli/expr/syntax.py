"""Text -> expression tree: checks of size, characters and nesting before `ast.parse`
(so that the parser itself can neither recurse too deep nor run out of memory), then a
node-by-node conversion of the Python syntax tree against a whitelist. Nothing is ever
compiled or evaluated by Python; numbers become floats at once.
"""

from __future__ import annotations

import ast
import difflib
import warnings

import numpy as np

from actcli.catalog import REGISTRY, ParamError, normalise
from actcli.expr.tree import (
    CONSTANTS, ELEMENTARY, X, Bin, Catalog, Compare, Evaluator, Extremum, Func, Logic, Neg, Node,
    Num, Select,
)
from actcli.errors import InputError

MAX_LENGTH = 1000  # characters
MAX_NESTING = 32  # open brackets at once, checked before parsing
MAX_DEPTH = 50  # levels of the syntax tree
MAX_NODES = 400  # nodes of the syntax tree


class ExpressionError(InputError):
    """A formula that cannot be used. The message is one line and names the 1-based
    column of the offending part; `column` holds it (None when it is the whole text)."""

    def __init__(self, problem: str, column: int | None = None, hint: str = "") -> None:
        self.column = column
        where = "" if column is None else f" at column {column}"
        super().__init__(f"{problem}{where}{hint}")


_REFUSED = {
    ast.Attribute: "attribute access is", ast.Subscript: "subscripts are",
    ast.Lambda: "lambda is", ast.ListComp: "comprehensions are", ast.SetComp: "comprehensions are",
    ast.DictComp: "comprehensions are", ast.GeneratorExp: "comprehensions are",
    ast.JoinedStr: "f-strings are", ast.IfExp: "conditional expressions are",
    ast.NamedExpr: "assignment expressions are", ast.List: "lists are", ast.Tuple: "tuples are",
    ast.Set: "sets are", ast.Dict: "dicts are",
}
_HINTS = {ast.IfExp: "; use where(condition, a, b)"}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                    ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^"}
_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
                ast.NotEq: "!="}
_PIECEWISE = ("min", "max", "clip", "where")


def _check_text(text: str, indent: int) -> None:
    """Refuse what could make the parser itself fail (length, nesting) or that has no
    meaning here (characters outside printable ASCII), before parsing."""
    if not text:
        raise ExpressionError("empty expression")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text)} characters; "
                              f"the limit is {MAX_LENGTH})")
    depth = 0
    for i, char in enumerate(text, start=indent + 1):
        if not (" " <= char <= "~"):
            raise ExpressionError(f"unexpected character {char!r}", i)
        if char in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise ExpressionError(f"brackets nested too deeply (limit {MAX_NESTING})", i)
        elif char in ")]}":
            depth = max(depth - 1, 0)


def _check_tree(tree: ast.AST, indent: int) -> None:
    """Node count and depth, walked without recursion: nothing below recurses deeper."""
    count, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"expression too large (more than {MAX_NODES} syntax nodes)")
        if depth > MAX_DEPTH:
            offset = getattr(node, "col_offset", None)  # not every node has one
            raise ExpressionError(f"expression nested too deeply (limit {MAX_DEPTH} levels)",
                                  None if offset is None else indent + offset + 1)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.expr_context, ast.operator, ast.unaryop,
                                               ast.cmpop, ast.boolop)))


class _Converter:
    """The Python syntax tree of a formula -> an expression tree, refusing all else."""

    def __init__(self, text: str, indent: int) -> None:
        self.text, self.indent = text, indent

    def error(self, problem: str, node: ast.AST | int, hint: str = "") -> ExpressionError:
        offset = node if isinstance(node, int) else node.col_offset  # type: ignore[attr-defined]
        return ExpressionError(problem, self.indent + offset + 1, hint)

    def refuse(self, node: ast.AST) -> ExpressionError:
        what = _REFUSED.get(type(node), f"{type(node).__name__} is")
        # x.attr and x[i] point at the '.' or '[' rather than at x.
        at = node.value.end_col_offset if isinstance(node, (ast.Attribute, ast.Subscript)) \
            else node.col_offset  # type: ignore[attr-defined]
        return self.error(f"{what} not allowed", at, _HINTS.get(type(node), ""))

    def number(self, node: ast.expr) -> Node:
        """A numeric expression."""
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.error(f"{value!r} is not a number", node)
            try:
                return Num(float(value))
            except OverflowError:  # an integer literal beyond the float range
                return CONSTANTS["inf"]
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return Neg(self.number(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self.number(node.operand)
            if isinstance(node.op, ast.Not):
                raise self.error("'not' belongs in a where() condition", node)
            raise self.error("operator '~' is not supported", node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            raise self.error("a comparison is only allowed as the condition of where()", node)
        raise self.refuse(node)

    def binary(self, node: ast.BinOp) -> Node:
        op = _ARITHMETIC.get(type(node.op))
        if op is None:
            symbol = _OTHER_OPERATORS[type(node.op)]
            gap = self.text[node.left.end_col_offset:node.right.col_offset]  # type: ignore[misc]
            at = node.left.end_col_offset + gap.find(symbol)  # type: ignore[operator]
            hint = "; use ** for powers" if symbol == "^" else ""
            raise self.error(f"operator '{symbol}' is not supported", at, hint)
        return Bin(op, self.number(node.left), self.number(node.right))

    def condition(self, node: ast.expr) -> Node:
        """A condition: comparisons joined by and/or/not."""
        if isinstance(node, ast.Compare):
            operands = [self.number(node.left), *map(self.number, node.comparators)]
            pairs = []
            for op, a, b in zip(node.ops, operands, operands[1:]):
                if type(op) not in _COMPARISONS:
                    raise self.error("only the comparisons < <= > >= == != are supported", node)
                pairs.append(Compare(_COMPARISONS[type(op)], a, b))
            return pairs[0] if len(pairs) == 1 else Logic("and", tuple(pairs))
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return Logic(op, tuple(map(self.condition, node.values)))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Logic("not", (self.condition(node.operand),))
        raise self.error("a condition must be a comparison such as x > 0", node)

    def name(self, node: ast.Name) -> Node:
        if node.id == "x":
            return X
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in ELEMENTARY or node.id in _PIECEWISE or node.id in REGISTRY:
            raise self.error(f"function {node.id} without an argument", node,
                             f"; write {node.id}(x)")
        raise self.unknown(node.id, node)

    def unknown(self, name: str, node: ast.AST) -> ExpressionError:
        ours = difflib.get_close_matches(name, [*ELEMENTARY, *_PIECEWISE, *CONSTANTS, "x"],
                                         n=1, cutoff=0.7)
        close = [*ours, *REGISTRY.suggest(name, limit=1)]
        if not close:
            return self.error(f"unknown name {name!r}", node)
        key = normalise(name)
        best = max(close, key=lambda c: difflib.SequenceMatcher(None, key, normalise(c)).ratio())
        return self.error(f"unknown name {name!r}", node, f"; did you mean {best}?")

    def call(self, node: ast.Call) -> Node:
        if not isinstance(node.func, ast.Name):
            if type(node.func) in _REFUSED:
                raise self.refuse(node.func)
            raise self.error("only named functions can be called", node.func)
        name = node.func.id
        if name == "x" or name in CONSTANTS:
            raise self.error(f"{name} is not a function", node.func)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.error("starred arguments are not allowed", node)
        if name in ELEMENTARY or name in _PIECEWISE:
            if node.keywords:
                raise self.error(f"{name}() takes no keyword arguments", node.keywords[0].value)
            return self.builtin(name, node)
        if name in REGISTRY:
            return self.catalog(name, node)
        raise self.unknown(name, node.func)

    def builtin(self, name: str, node: ast.Call) -> Node:
        args = node.args
        wanted = {"where": 3, "clip": 3}.get(name, 1)
        if name in ("min", "max"):
            if len(args) < 2:
                raise self.error(f"{name}() needs at least two arguments", node)
        elif len(args) != wanted:
            plural = "s" if wanted > 1 else ""
            raise self.error(f"{name}() takes {wanted} argument{plural}, got {len(args)}", node)
        if name == "where":
            return Select(self.condition(args[0]), self.number(args[1]), self.number(args[2]))
        values = [self.number(a) for a in args]
        if name == "clip":
            return Extremum("min", Extremum("max", values[0], values[1]), values[2])
        if name in ("min", "max"):
            result = values[0]
            for value in values[1:]:
                result = Extremum(name, result, value)
            return result
        return Func(name, values[0])

    def catalog(self, name: str, node: ast.Call) -> Node:
        spec = REGISTRY.lookup(name)
        if spec.kind != "elementwise":
            raise self.error(f"{spec.name} acts on whole vectors; only elementwise functions "
                             "can be used in an expression", node)
        if not node.args:
            raise self.error(f"{spec.name}() needs its input, as in {spec.name}(x)", node)
        extra = node.args[1:]
        if len(extra) > len(spec.params):
            raise self.error(f"{spec.name}() takes {len(spec.params)} parameter(s) after its "
                             f"input, got {len(extra)}", extra[len(spec.params)])
        given: dict[str, object] = {}
        for param, arg in zip(spec.params, extra):
            given[param.name] = self.parameter(arg)
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.error("**keyword arguments are not allowed", keyword.value)
            try:
                canonical = spec.param(keyword.arg).name
            except ParamError as e:
                raise self.error(str(e), keyword.value) from None
            if canonical in given:
                raise self.error(f"{spec.name}: {canonical} is given twice", keyword.value)
            given[canonical] = self.parameter(keyword.value)
        try:
            act = spec.bind(**given)
        except ParamError as e:
            raise self.error(str(e), node) from None
        return Catalog(act, 0, self.number(node.args[0]))

    def parameter(self, node: ast.expr) -> object:
        """A catalog parameter: a string (a choice) or a constant numeric expression."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        value = self.number(node)
        if value.varying:
            raise self.error("a parameter must be a constant, not depend on x", node)
        with np.errstate(all="ignore"):
            return float(Evaluator(np.zeros(0))(value))


def _last_token(text: str) -> tuple[str, int]:
    """The last token of `text` and its 1-based column (the last character if `text`
    does not tokenize)."""
    import io
    import tokenize

    skipped = (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT)
    last = (text[-1:], len(text))
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in skipped:
                last = (token.string, token.start[1] + 1)
    except (tokenize.TokenError, SyntaxError):
        pass  # an unclosed bracket: the tokens read so far
    return last


def to_tree(text: str) -> Node:
    """The expression tree of `text`, a formula in x; raises ExpressionError."""
    stripped, indent = text.strip(), len(text) - len(text.lstrip())
    _check_text(stripped, indent)
    try:
        with warnings.catch_warnings():  # e.g. an invalid escape in a string: refused below
            warnings.simplefilter("ignore")
            tree = ast.parse(stripped, mode="eval")
    except SyntaxError as e:
        if e.offset:
            raise ExpressionError(e.msg, indent + e.offset) from None
        # No offset: the parser ran out of formula ("x**"): point at its last token.
        text, column = _last_token(stripped)
        raise ExpressionError(f"unfinished formula: nothing after {text!r}", indent + column) from None
    except (RecursionError, MemoryError):  # prevented by the checks above; belt and braces
        raise ExpressionError("expression too complex to parse") from None
    _check_tree(tree, indent)
    return _Converter(stripped, indent).number(tree.body)
