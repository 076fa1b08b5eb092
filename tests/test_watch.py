"""actcli.watch(model) on real PyTorch (no mocks): every figure against torch itself on the
same inputs (captured by hooks of the test's own, f and f' by autograd in float64), the
model untouched, the hooks gone, the report saved and printed by `actcli stats --report`,
and two gloo ranks merged."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, subprocess_env
from typer.testing import CliRunner

import actcli
from actcli import cli
from actcli.analysis.stats import KEYS, QUANTILE_RELATIVE_ERROR
from actcli.errors import InputError

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional
from watch_models import batches, mlp  # noqa: E402 (needs torch)

runner = CliRunner()
ROW_KEYS = ["layer", "module", *KEYS]
COMPARED = ("input_mean", "input_std", "input_min", "input_max", "mean", "std", "mean_grad",
            "mean_grad_sq")


def capture(modules: dict[str, nn.Module], part=None) -> tuple[dict[str, list], list]:
    """Pre-hooks of the test's own: each module's inputs, in float64, per call."""
    seen: dict[str, list] = {name: [] for name in modules}
    handles = []
    for name, module in modules.items():
        def hook(module, args, name=name):
            x = args[0].detach()
            seen[name].append((part(x) if part else x).double().clone().reshape(-1))
        handles.append(module.register_forward_pre_hook(hook))
    return seen, handles


def reference(f, x: torch.Tensor) -> dict:
    """The figures of a row from torch: f and f' (autograd) in float64 on the values."""
    nan = torch.isnan(x)
    x = x[~nan].clone().requires_grad_()
    y = f(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    y, x = y.detach(), x.detach()
    return {"n": x.numel(), "nan_count": int(nan.sum()),
            "input_mean": x.mean(), "input_std": x.std(correction=0),
            "input_min": x.min(), "input_max": x.max(),
            "mean": y.mean(), "std": y.std(correction=0), "mean_grad": g.mean(),
            "mean_grad_sq": (g * g).mean(), "dead_fraction": (g == 0).double().mean(),
            "_x": x}


def assert_row(row: dict, expected: dict, rel: float = 1e-9) -> None:
    assert list(row) == ROW_KEYS
    assert (row["n"], row["nan_count"]) == (expected["n"], expected["nan_count"])
    for key in COMPARED:
        assert row[key] == pytest.approx(float(expected[key]), rel=rel, abs=1e-300), key
    assert row["dead_fraction"] == float(expected["dead_fraction"])
    ordered = torch.sort(expected["_x"]).values
    for key, p in (("input_p01", 0.01), ("input_p50", 0.5), ("input_p99", 0.99)):
        k = math.floor(p * (len(ordered) - 1))
        around = max(abs(ordered[k]), abs(ordered[min(k + 1, len(ordered) - 1)]))
        truth = float(torch.quantile(ordered, p))
        assert abs(row[key] - truth) <= QUANTILE_RELATIVE_ERROR * float(around), key


FUNCTIONS = {"1": F.relu, "3": lambda x: F.leaky_relu(x, 0.1),
             "5": lambda x: F.gelu(x, approximate="tanh"), "7": lambda x: F.elu(x, 0.5)}


def train(model: nn.Module, data: list, steps_each: int = 1) -> None:
    optimiser = torch.optim.SGD(model.parameters(), lr=0.05)
    for xb in data:
        for _ in range(steps_each):
            optimiser.zero_grad()
            model(xb).square().mean().backward()
            optimiser.step()


def no_hooks_left(model: nn.Module) -> bool:
    return (all(not m._forward_pre_hooks and not m._forward_hooks for m in model.modules())
            and not any(t.name == "actcli-watch" for t in threading.enumerate()))


# --- the numbers, against torch -------------------------------------------------------------

def test_every_figure_matches_torch_autograd_with_dead_units_and_a_what_if():
    model = mlp()
    with torch.no_grad():
        model[0].bias[:20] -= 10.0  # 20 of 48 ReLU units never fire: dead
    seen, handles = capture({name: model[int(name)] for name in FUNCTIONS})
    with actcli.watch(model, what_if=["silu"]) as w:
        train(model, batches(4))
    for handle in handles:
        handle.remove()
    report = w.report()
    assert [(r["layer"], r["module"], r["function"]) for r in report.rows] == [
        ("1", "ReLU", "relu"), ("1", "what if", "silu"),
        ("3", "LeakyReLU", "leaky_relu:negative_slope=0.1"), ("3", "what if", "silu"),
        ("5", "GELU", "gelu:approximate=tanh"), ("5", "what if", "silu"),
        ("7", "ELU", "elu:alpha=0.5"), ("7", "what if", "silu")]
    rows = {(r["layer"], r["module"] == "what if"): r for r in report.rows}
    for name, f in FUNCTIONS.items():
        x = torch.cat(seen[name])
        assert_row(rows[name, False], reference(f, x))
        assert_row(rows[name, True], reference(F.silu, x))
    assert rows["1", False]["dead_fraction"] > 20 / 48  # the shifted units, and more
    assert "dead" in rows["1", False]["verdict"]


# (module, torch function of float64 x, inputs that sit on its kinks)
MODULES = [
    (nn.ReLU(), F.relu, [0.0, -0.0]),
    (nn.ReLU6(), F.relu6, [0.0, 6.0]),
    (nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2), [0.0]),
    (nn.ELU(alpha=0.5), lambda x: F.elu(x, 0.5), [0.0]),
    (nn.SELU(), F.selu, [0.0]),
    (nn.CELU(alpha=0.7), lambda x: F.celu(x, 0.7), [0.0]),
    (nn.GELU(), F.gelu, [0.0]),
    (nn.GELU(approximate="tanh"), lambda x: F.gelu(x, approximate="tanh"), [0.0]),
    (nn.SiLU(), F.silu, [0.0]),
    (nn.Mish(), F.mish, [0.0]),
    (nn.Softplus(), F.softplus, [20.0, 25.0]),
    (nn.Softplus(beta=2.0, threshold=5.0), lambda x: F.softplus(x, 2.0, 5.0), [2.5, 3.0]),
    (nn.Tanh(), torch.tanh, [0.0]),
    (nn.Sigmoid(), torch.sigmoid, [0.0]),
    (nn.Hardtanh(-2.0, 1.5), lambda x: F.hardtanh(x, -2.0, 1.5), [-2.0, 1.5]),
    (nn.Hardswish(), F.hardswish, [-3.0, 3.0]),
    (nn.Hardsigmoid(), F.hardsigmoid, [-3.0, 3.0]),
    (nn.Softsign(), F.softsign, [0.0]),
    (nn.LogSigmoid(), F.logsigmoid, [0.0]),
    (nn.Tanhshrink(), F.tanhshrink, [0.0]),
    (nn.Softshrink(0.25), lambda x: F.softshrink(x, 0.25), [0.25, -0.25]),
    (nn.Hardshrink(0.25), lambda x: F.hardshrink(x, 0.25), [0.25, -0.25]),
    (nn.Threshold(0.5, -1.0), lambda x: F.threshold(x, 0.5, -1.0), [0.5]),
]


@pytest.mark.parametrize("module,f,kinks", MODULES, ids=lambda v: repr(v) if isinstance(v, nn.Module) else "")
def test_each_module_is_its_catalog_function_with_its_parameters(module, f, kinks):
    generator = torch.Generator().manual_seed(3)
    # Within +-6: further left torch's tanh-form gelu' is 0 where the true value is tiny
    # (test_exact_derivatives_where_torch_rounds_to_zero).
    x = torch.cat([(torch.randn(4000, generator=generator, dtype=torch.float64) * 3).clamp(-6, 6),
                   torch.tensor(kinks * 50, dtype=torch.float64)])
    with actcli.watch(module) as w:
        module(x)
    (row,) = w.report().rows
    assert row["layer"] == "(model)" and row["module"] == type(module).__name__
    expected = reference(f, x)
    # torch's float64 hardsigmoid' uses a float32 1/6 (FRAMEWORKS.md), and its celu' is
    # as far off (5e-8 relative at x = -3, against mpmath; the catalog's is exact).
    loose = isinstance(module, (nn.Hardsigmoid, nn.CELU))
    assert_row(row, expected, rel=1e-7 if loose else 1e-9)
    # The same numbers as `actcli stats` on a dump of those inputs.
    (from_stats,) = stats_json(row["function"], values=x.numpy())
    for key in KEYS:
        assert_same(from_stats[key], row[key], key)


def test_exact_derivatives_where_torch_rounds_to_zero():
    # torch's tanh-form gelu' cancels to 0 below x ~ -7 in float64; the catalog's is the
    # tiny true value there, so those inputs count as saturated, not dead.
    x = torch.tensor([-7.5, -8.0, -9.0, 1.0], dtype=torch.float64)
    module = nn.GELU(approximate="tanh")
    with actcli.watch(module) as w:
        module(x)
    (row,) = w.report().rows
    assert reference(lambda v: F.gelu(v, approximate="tanh"), x)["dead_fraction"] == 0.75
    assert row["dead_fraction"] == 0.0 and row["saturated_fraction"] == 0.75


def stats_json(*functions: str, values: np.ndarray) -> list[dict]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pre.npy"
        np.save(path, values)
        result = runner.invoke(cli.app, ["stats", *functions, "-i", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def assert_same(a, b, key: str) -> None:
    """Equal, to the rounding of summing in other chunks (JSON writes NaN as "nan")."""
    if isinstance(a, str) and a in ("nan", "inf", "-inf"):
        a = float(a)
    if isinstance(b, float) and isinstance(a, float):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-300), key
    else:
        assert a == b, key


def test_prelu_uses_the_slope_it_has_when_the_report_is_made():
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(12, 32), nn.PReLU(), nn.Linear(32, 1))
    seen, handles = capture({"1": model[1]})
    with actcli.watch(model, what_if=["relu"]) as w:
        train(model, batches(3), steps_each=3)  # the slope moves from 0.25
    handles[0].remove()
    slope = model[1].weight.detach().double()
    assert float(slope) != 0.25
    own, what_if = w.report().rows
    assert own["function"].startswith("prelu:weight=")
    assert float(own["function"].split("=")[1]) == model[1].weight.item()
    x = torch.cat(seen["1"])
    assert_row(own, reference(lambda v: F.prelu(v, slope), x))
    assert_row(what_if, reference(F.relu, x))
    assert any("slope as it stands" in note for note in w.report().notes)


def test_prelu_counts_its_inputs_that_are_exactly_zero():
    # Zeros (after a ReLU, from padding or masks) are inputs too, on the slope's side as
    # in torch (prelu'(0) = the slope).
    module = nn.PReLU(init=0.25).double()
    generator = torch.Generator().manual_seed(4)
    x = torch.cat([torch.randn(1000, generator=generator, dtype=torch.float64),
                   torch.zeros(300, dtype=torch.float64), torch.full((200,), -0.0,
                                                                     dtype=torch.float64)])
    with actcli.watch(module) as w:
        module(x)
    (row,) = w.report().rows
    assert row["function"] == "prelu:weight=0.25"
    weight = module.weight.detach()
    assert_row(row, reference(lambda v: F.prelu(v, weight), x))


def test_prelu_with_a_slope_per_channel_has_what_if_rows_only():
    model = nn.Sequential(nn.Linear(12, 8), nn.PReLU(8))
    with actcli.watch(model, what_if=["relu"]) as w:
        model(batches(1)[0])
    report = w.report()
    assert [(r["module"], r["function"]) for r in report.rows] == [("what if", "relu")]
    assert any("8 slopes" in note for note in report.notes)


def test_glu_is_its_gate_half_through_sigmoid():
    model = nn.Sequential(nn.Linear(12, 32), nn.GLU())
    seen, handles = capture({"1": model[1]}, part=lambda x: x.chunk(2, dim=-1)[1])
    with actcli.watch(model) as w:
        model(batches(2)[1])
    handles[0].remove()
    (row,) = w.report().rows
    assert (row["module"], row["function"]) == ("GLU", "sigmoid")
    assert_row(row, reference(torch.sigmoid, torch.cat(seen["1"])))
    assert any("gate half" in note for note in w.report().notes)


# --- the model is untouched ----------------------------------------------------------------

def test_outputs_gradients_and_training_are_bit_for_bit_unchanged():
    data = batches(3)
    plain, watched = mlp(7), mlp(7)
    watched[1] = nn.ReLU(inplace=True)  # its input is overwritten right after the hook
    train(plain, data, steps_each=2)
    with actcli.watch(watched, what_if=["gelu"]):
        train(watched, data, steps_each=2)
    for a, b in zip(plain.parameters(), watched.parameters()):
        assert torch.equal(a, b) and torch.equal(a.grad, b.grad)
    assert no_hooks_left(watched)
    xb = data[0]
    assert torch.equal(plain(xb), watched(xb))


def test_hooks_are_removed_after_an_exception_and_the_report_stays():
    model = mlp()
    with pytest.raises(RuntimeError, match="mat1 and mat2"):
        with actcli.watch(model) as w:
            model(batches(1)[0])
            model(torch.zeros(2, 5))  # a shape error inside the block
    assert no_hooks_left(model)
    assert w.report().rows[0]["n"] == 64 * 48  # the pass before the error


def test_inplace_relu_is_summarised_before_it_overwrites_its_input():
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(inplace=True))
    seen, handles = capture({"1": model[1]})
    with actcli.watch(model) as w:
        model(batches(1)[0])
    handles[0].remove()
    assert_row(w.report().rows[0], reference(F.relu, torch.cat(seen["1"])))


# --- which modules, which passes -----------------------------------------------------------

class Functional(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(12, 16), nn.Linear(16, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def test_a_model_with_functional_activations_says_so_and_after_watches_them():
    model = Functional()
    with pytest.raises(InputError) as info:
        actcli.watch(model)
    message = str(info.value)
    assert "\n" not in message and "F.relu" in message and "nn.ReLU()" in message
    assert "after={'fc1': 'relu'}" in message
    seen: list = []
    hook = model.fc1.register_forward_hook(lambda m, a, out: seen.append(out.detach().double()))
    with actcli.watch(model, after={"fc1": "relu"}) as w:
        model(batches(1)[0])
    hook.remove()
    (row,) = w.report().rows
    assert (row["layer"], row["module"], row["function"]) == ("fc1", "Linear output", "relu")
    assert_row(row, reference(F.relu, torch.cat(seen).reshape(-1)))
    assert no_hooks_left(model)


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(8, 8))
        self.mlp.add_module("act", nn.GELU())
        self.gate = nn.Sigmoid()

    def forward(self, x):
        return self.mlp(x) * self.gate(x)


class Encoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(3)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


def test_nested_modules_are_named_as_named_modules_and_chosen_by_names_and_types():
    model = nn.Sequential()
    model.add_module("encoder", Encoder())
    x = torch.randn(4, 8)
    with actcli.watch(model) as w:
        model(x)
    expected = [f"encoder.blocks.{i}.{part}" for i in range(3) for part in ("mlp.act", "gate")]
    assert [r["layer"] for r in w.report().rows] == expected == w.layers
    with actcli.watch(model, names="encoder.blocks.2.*") as w:
        model(x)
    assert w.layers == ["encoder.blocks.2.mlp.act", "encoder.blocks.2.gate"]
    with actcli.watch(model, types=nn.GELU) as w, actcli.watch(model, types="Sigmoid") as v:
        model(x)
    assert w.layers == expected[::2] and v.layers == expected[1::2]
    with pytest.raises(InputError, match="no activation module matches"):
        actcli.watch(model, names="decoder.*")
    assert no_hooks_left(model)


def test_every_summarises_one_forward_pass_in_n():
    model = mlp()
    data = batches(7)
    with actcli.watch(model, every=3) as w:
        for xb in data:
            model(xb)
    row = w.report().rows[0]
    expected = torch.cat([model[0](xb).detach().double().reshape(-1) for xb in data[::3]])
    assert_row(row, reference(F.relu, expected))  # passes 1, 4 and 7
    assert any("every=3" in note for note in w.report().notes)
    w.reset()
    assert w.report().rows == []
    for bad in (0, 1.5, True):
        with pytest.raises(InputError, match="every"):
            actcli.watch(model, every=bad)


def test_reset_forgets_and_keeps_watching():
    model = mlp()
    data = batches(2)
    with actcli.watch(model) as w:
        model(data[0])
        w.reset()
        model(data[1])
    assert_row(w.report().rows[0], reference(F.relu, model[0](data[1]).detach().double().reshape(-1)))


def test_nan_inputs_are_counted_and_left_out():
    model = mlp()
    xb = batches(1)[0]
    xb[3, 5] = math.nan  # one sample's pre-activations are all NaN after the Linear
    with actcli.watch(model) as w:
        model(xb)
    row = w.report().rows[0]
    assert row["nan_count"] == 48
    assert_row(row, reference(F.relu, model[0](xb).detach().double().reshape(-1)))


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16, torch.float64])
def test_inputs_of_any_float_dtype(dtype):
    model = mlp(dtype=dtype)
    seen, handles = capture({"1": model[1], "5": model[5]})
    with actcli.watch(model) as w:
        for xb in batches(2, dtype=dtype):
            model(xb)
    for handle in handles:
        handle.remove()
    rows = w.report().rows
    assert_row(rows[0], reference(F.relu, torch.cat(seen["1"])))
    assert_row(rows[2], reference(lambda x: F.gelu(x, approximate="tanh"), torch.cat(seen["5"])))


def test_bad_options_are_one_line_input_errors():
    model = mlp()
    cases = [(dict(what_if=["nosuch"]), "nosuch"), (dict(what_if=["softmax"]), "vector"),
             (dict(after={"fc9": "relu"}), "fc9"), (dict(saturation=2.0), "saturation")]
    for options, words in cases:
        with pytest.raises(InputError) as info:
            actcli.watch(model, **options)
        assert words in str(info.value).lower() and "\n" not in str(info.value)
    with pytest.raises(InputError, match="torch.nn.Module"):
        actcli.watch(lambda x: x)
    with pytest.raises(InputError, match="not initialised"):
        with actcli.watch(model) as w:
            model(batches(1)[0])
        w.report(all_ranks=True)
    assert no_hooks_left(model)


# --- the report ----------------------------------------------------------------------------

@pytest.fixture
def saved(tmp_path):
    model = mlp()
    with actcli.watch(model, what_if=["silu", "tanh"]) as w:
        train(model, batches(2))
    report = w.report()
    report.save(tmp_path / "run.json")
    return report, tmp_path / "run.json"


def test_report_rows_json_and_save_round_trip(saved):
    report, path = saved
    assert json.loads(report.to_json()) == json.loads(json.dumps(report.rows))
    loaded = actcli.frontend.watch.Report.load(path)
    assert loaded.rows == report.rows and loaded.notes == report.notes
    assert "<actcli Report: 4 layer(s), 12 row(s)>" == repr(report)


def test_stats_report_prints_the_saved_report_in_every_format(saved):
    report, path = saved
    printed = runner.invoke(cli.app, ["stats", "--report", str(path), "-f", "json"])
    assert printed.exit_code == 0 and json.loads(printed.stdout) == json.loads(report.to_json())
    csv_text = runner.invoke(cli.app, ["stats", "--report", str(path), "-f", "csv"]).stdout
    lines = csv_text.splitlines()
    assert lines[0] == ",".join(ROW_KEYS) and len(lines) == 1 + len(report.rows)
    assert lines[1].startswith("1,ReLU,relu,")
    for fmt in ("tsv", "jsonl", "markdown"):
        out = runner.invoke(cli.app, ["stats", "--report", str(path), "-f", fmt])
        assert out.exit_code == 0 and "leaky_relu:negative_slope=0.1" in out.stdout, fmt
    table = runner.invoke(cli.app, ["stats", "--report", str(path), "-f", "table"],
                          terminal_width=80).stdout
    assert "Activations" in table and "Inputs of each layer" in table
    assert max(map(len, table.splitlines())) <= 80
    assert "1 relu: " in table  # the verdicts, by layer and function
    assert str(report).splitlines()[0].strip() == "Activations"


def test_a_saved_report_keeps_its_saturation_threshold(tmp_path):
    model = mlp()
    with actcli.watch(model, saturation=0.2) as w:
        model(batches(1)[0])
    report = w.report()
    report.save(tmp_path / "run.json")
    loaded = actcli.frontend.watch.Report.load(tmp_path / "run.json")
    assert loaded.saturation == report.saturation == 0.2
    printed = runner.invoke(cli.app, ["stats", "--report", str(tmp_path / "run.json"),
                                      "-f", "markdown"])
    assert printed.exit_code == 0, printed.stderr
    assert "past the last |f'(x)| >= 0.2 max|f'|" in printed.stdout


def test_stats_report_errors(saved, tmp_path):
    _, path = saved
    def fails(code, *args):
        result = runner.invoke(cli.app, ["stats", *args])
        assert result.exit_code == code, result.stderr
        assert result.stderr.startswith("actcli: error: ") and result.stderr.count("\n") == 1
        return result.stderr
    assert "--report" in fails(2, "relu", "--report", str(path))
    assert "no such file" in fails(2, "--report", str(tmp_path / "none.json"))
    (tmp_path / "other.json").write_text('[{"x": 1}]')
    assert "not a report" in fails(1, "--report", str(tmp_path / "other.json"))
    document = json.loads(path.read_text())
    document["rows"][0]["n"] = "many"
    (tmp_path / "edited.json").write_text(json.dumps(document))
    assert "not a count" in fails(1, "--report", str(tmp_path / "edited.json"))
    assert "--report FILE" in fails(2)


def test_stats_report_in_a_real_process_imports_no_torch(saved):
    _, path = saved
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "actcli", "stats",
                           "--report", str(path), "-f", "csv"], capture_output=True, text=True,
                          env=subprocess_env(), timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[0] == ",".join(ROW_KEYS)
    modules = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in done.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    assert "actcli" in modules and "torch" not in modules


def test_a_notebook_shows_the_report_as_html(saved):
    report, _ = saved
    page = report._repr_html_()
    assert page.count('<table class="actcli">') == 2
    assert "<caption>Activations</caption>" in page and "leaky_relu:negative_slope=0.1" in page
    assert "E[f&#x27;²]" in page or "E[f'²]" in page


def test_import_actcli_does_not_import_torch():
    code = "import sys, actcli; actcli.watch; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=subprocess_env())


# --- torch.distributed: two gloo ranks -------------------------------------------------------

RANK = r"""
import json, os, sys
import torch
import torch.distributed as dist
sys.path.insert(0, os.environ["TESTS"])
from watch_models import batches, mlp
import actcli

dist.init_process_group("gloo")
rank = dist.get_rank()
model = torch.nn.parallel.DistributedDataParallel(mlp())
data = batches(4)
with actcli.watch(model, what_if=["silu"]) as w:
    for xb in data[rank::2]:
        model(xb).square().mean().backward()  # DDP averages the gradients
report = w.report(all_ranks=True)
with open(os.environ["OUT"] + f".{rank}", "w") as out:
    json.dump(report.rows, out)
dist.destroy_process_group()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gloo_ranks_merge_to_the_one_process_result(tmp_path):
    env = subprocess_env(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()), WORLD_SIZE="2",
                         TESTS=str(ROOT / "tests"), OUT=str(tmp_path / "rows"),
                         OMP_NUM_THREADS="1")
    ranks = [subprocess.Popen([sys.executable, "-c", RANK], env={**env, "RANK": str(r)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for r in range(2)]
    for rank in ranks:
        _, err = rank.communicate(timeout=120)
        assert rank.returncode == 0, err[-3000:]
    merged = [json.loads((tmp_path / f"rows.{r}").read_text()) for r in range(2)]
    assert merged[0] == merged[1]  # every rank gets the whole
    model = mlp()
    with actcli.watch(model, what_if=["silu"]) as w:
        for xb in batches(4):
            model(xb).square().mean().backward()
    for a, b in zip(merged[0], w.report().rows, strict=True):
        for key in ROW_KEYS:
            if key.startswith("input_p"):  # a bin's place: sums added in another order
                assert a[key] == pytest.approx(b[key], rel=1e-9), key
            else:
                assert_same(a[key], b[key], key)
