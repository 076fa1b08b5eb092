"""The activation catalog: records (`Spec`, `VectorSpec`) and the registry that finds them.

Adding an activation means adding one record to a module's tuple (`elementwise`,
`modern`, `classic` for elementwise records; `vector`, `gated` for vector ones); look-up,
`actcli list`, `info` and the property tests pick it up. Closed forms that several
records use (relu, silu, gelu, ...) are shared from `common`.

Inside the catalog, modules import only lower ones (tests/test_layers.py): the numerics
(`_stable`, `_normal`, `interval`, `scan`) < the engine (`spec`, `compute`, `properties`)
and the compiled loops' library (`_jitlib`) < the compiled loops (`jit`) < the records (`common` and the record modules) < this
registry.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Union

from actcli.catalog.classic import CLASSIC
from actcli.catalog.elementwise import ELEMENTWISE
from actcli.catalog.gated import GATED
from actcli.catalog.modern import MODERN
from actcli.catalog.spec import (
    Activation,
    Interval,
    Param,
    ParamError,
    ShapeError,
    Spec,
    VectorActivation,
    VectorSpec,
)
from actcli.catalog.vector import VECTOR
from actcli.errors import InputError

AnySpec = Union[Spec, VectorSpec]
AnyActivation = Union[Activation, VectorActivation]

__all__ = [
    "Activation", "AnyActivation", "AnySpec", "Interval", "Param", "ParamError", "REGISTRY",
    "Registry", "ShapeError", "Spec", "UnknownFunctionError", "VectorActivation", "VectorSpec",
]


class UnknownFunctionError(InputError, LookupError):
    """No record has this name or alias; carries close matches for a did-you-mean."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown function {name!r}{hint} (see `actcli list`)")


def normalise(name: str) -> str:
    """Look-up key: case, '-' and '_' do not matter (LeakyReLU = leaky-relu = leaky_relu)."""
    return name.strip().lower().replace("-", "").replace("_", "")


class Registry:
    """Records by canonical name, found by name or alias."""

    def __init__(self, specs: Iterable[AnySpec]) -> None:
        self._specs: dict[str, AnySpec] = {}
        self._keys: dict[str, AnySpec] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: AnySpec) -> None:
        for key in {normalise(spec.name), *map(normalise, spec.aliases)}:
            if (other := self._keys.get(key)) is not None and other is not spec:
                raise ValueError(f"{spec.name!r} and {other.name!r} both claim the name {key!r}")
            self._keys[key] = spec
        self._specs[spec.name] = spec

    def __iter__(self) -> Iterator[AnySpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalise(name) in self._keys

    def names(self) -> list[str]:
        return list(self._specs)

    def spellings(self) -> list[str]:
        """Every canonical name and alias, for completion and suggestions."""
        return [n for spec in self for n in (spec.name, *spec.aliases)]

    def lookup(self, name: str) -> AnySpec:
        try:
            return self._keys[normalise(name)]
        except KeyError:
            raise UnknownFunctionError(name, self.suggest(name)) from None

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        by_key = {normalise(n): spec.name for spec in self for n in (spec.name, *spec.aliases)}
        close = difflib.get_close_matches(normalise(name), by_key, n=limit * 2, cutoff=0.6)
        return list(dict.fromkeys(by_key[k] for k in close))[:limit]

    def get(self, name: str, **params: object) -> AnyActivation:
        return self.lookup(name).bind(**params)


REGISTRY = Registry(ELEMENTWISE + MODERN + CLASSIC + VECTOR + GATED)
