"""scripts/mutation_check.py's entries still point at code: a snippet that moved or changed
fails here, with the tests, rather than at the end of CI."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT


def test_every_mutation_snippet_occurs_exactly_once():
    spec = importlib.util.spec_from_file_location("mutation_check", ROOT / "scripts" / "mutation_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_check"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    assert module.check_snippets(module.MUTATIONS) == []
