"""The explorer's web page as its users meet it: headless Chromium (Debian's package,
driven by Playwright for Python) opens the page from file://, alone and inside an
<iframe>, and a test moves the cursor with keys, the mouse and a touch, moves sliders
with the keyboard, picks a select, toggles what is shown, and reads the page's text:
every number read equals what actcli computes at that x. No console error, no request
but the page itself.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import actcli
from actcli.catalog.properties import describe_tails, saturation_bounds
from actcli.present.plot.figure import PALETTE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without the networking flags Chromium reaches out for updates and components.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STEP = 0.02  # the page's x step on -3 3 (a 1-2-5 step, at most 400 intervals)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed (the test extra)")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian's package; .ci/run installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for name, (functions, start, stop) in {
        "example": (("leaky_relu", "gelu", "elu"), -3, 3),  # the issue's
        "regions": (("relu", "tanh", "hardtanh"), -5, 5),
        "float32": (("gelu", "sigmoid"), -1, 1),
    }.items():
        written[name] = folder / f"{name}.html"
        dtype = "float32" if name == "float32" else "float64"
        actcli.explore(*functions, start=start, stop=stop, dtype=dtype).save(written[name])
    host = folder / "host.html"  # the example inside an <iframe>, as a notebook shows it
    frame = actcli.explore("leaky_relu", "gelu", "elu", start=-3, stop=3)._repr_html_()
    host.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>host</title></head>"
                    f"<body><p>A notebook's output:</p>{frame}</body></html>", encoding="utf-8")
    written["host"] = host
    return written


@dataclass
class Visit:
    """A page opened in a fresh browser context, and what it did: console messages,
    uncaught errors and requests."""

    page: Any
    messages: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def check_quiet(self) -> None:
        assert self.messages == []
        assert all(url.startswith(("file:", "data:", "about:")) for url in self.requests), self.requests


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_page(path: Path, *, width: int = 1100, height: int = 900, scheme: str = "light",
                  touch: bool = False) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme=scheme, has_touch=touch)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda m: seen.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda error: seen.messages.append(f"error: {error}"))
        page.on("request", lambda request: seen.requests.append(request.url))
        page.goto(path.as_uri())
        return seen

    yield open_page
    for context in contexts:
        context.close()


def people_text(value: float) -> str:
    """A float as the page writes it: the shortest text that reads back (Python's
    repr), without ".0" or the sign of a zero."""
    text = repr(float(value) + 0.0)
    return text[:-2] if text.endswith(".0") else text


def readout(scope: Any) -> dict[str, str]:
    """The page's readout, term by term: {"x": "0.06", "gelu(x)": ..., "gelu'(x)": ...}."""
    terms = scope.locator("#readout .term").all_inner_texts()
    return dict(term.split(" = ", 1) for term in terms)


def check_readout(scope: Any, functions: dict[str, Any], orders: tuple[int, ...] = (0, 1)) -> float:
    """Every number of the readout is the text of actcli's value at the cursor's x (and
    only the orders shown are there); returns x."""
    shown = readout(scope)
    x = float(shown.pop("x"))
    expected = {}
    for name, act in functions.items():
        values = act.derivatives(np.array([x]), orders)
        expected |= {f"{name}{chr(39) * order}(x)": people_text(v[0]) for order, v in zip(orders, values)}
    assert shown == expected
    return x


def press(page: Any, key: str, times: int = 1, *, on: str = "cursor x") -> None:
    """Focus the slider named `on` (the plot's cursor by default) and press `key`."""
    page.get_by_role("slider", name=on, exact=True).focus()
    for _ in range(times):
        page.keyboard.press(key)


def example_functions(**changed: Any) -> dict[str, Any]:
    defaults = {"leaky_relu": actcli.get("leaky_relu"), "gelu": actcli.get("gelu"),
                "elu": actcli.get("elu")}
    return defaults | changed


def test_the_page_opens_offline_quietly_at_x_zero_with_the_catalogs_conventions(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    assert page.title() == "actcli explore: leaky_relu, gelu, elu"
    assert check_readout(page, example_functions()) == 0.0
    assert readout(page)["leaky_relu'(x)"] == "0.01"  # the negative branch at the kink
    assert "at a kink: f'(0) = negative_slope" in page.inner_text("#readout")
    assert page.locator("#plot svg path").count() >= 6  # f and f' of three functions
    seen.check_quiet()
    assert seen.requests == [pages["example"].as_uri()]


def test_keys_move_the_cursor_on_the_grid_and_the_readout_follows(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    press(page, "ArrowRight", 3)
    assert check_readout(page, example_functions()) == 0.06
    page.keyboard.press("Shift+ArrowRight")  # to the next multiple of ten steps
    assert check_readout(page, example_functions()) == 0.2
    page.keyboard.press("ArrowLeft")
    assert check_readout(page, example_functions()) == 0.18
    cursor = page.get_by_role("slider", name="cursor x")
    assert cursor.get_attribute("aria-valuetext").startswith("x = 0.18; leaky_relu: ")
    press(page, "Shift+ArrowLeft", 6)
    assert check_readout(page, example_functions()) == -1.0
    page.keyboard.press("Home")
    assert check_readout(page, example_functions()) == -3.0
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # stays at the end
    assert check_readout(page, example_functions()) == 3.0
    seen.check_quiet()


def test_the_arrows_move_the_cursor_when_nothing_is_focused(visit, pages):
    seen = visit(pages["example"])
    seen.page.keyboard.press("ArrowLeft")
    assert check_readout(seen.page, example_functions()) == -STEP
    seen.check_quiet()


def _tick(page: Any, label: str) -> tuple[float, float]:
    """The screen position of the x axis's tick labelled `label`, and the plot's middle."""
    box = page.locator("#plot svg text.tick-label", has_text=re.compile(f"^{re.escape(label)}$")).first.bounding_box()
    plot = page.locator("#plot").bounding_box()
    return box["x"] + box["width"] / 2, plot["y"] + plot["height"] / 2


def test_the_mouse_and_a_touch_move_the_cursor(visit, pages):
    seen = visit(pages["example"], touch=True)
    page = seen.page
    page.mouse.move(*_tick(page, "1.5"))
    assert check_readout(page, example_functions()) == 1.5
    x, y = _tick(page, "-2")
    page.mouse.move(x + 7, y)  # between grid points: the nearest one
    landed = check_readout(page, example_functions())
    assert -2 < landed < -1.8 and abs(landed / STEP - round(landed / STEP)) < 1e-9
    page.touchscreen.tap(*_tick(page, "-0.5"))
    assert check_readout(page, example_functions()) == -0.5
    seen.check_quiet()


def test_a_slider_moved_with_the_keyboard_changes_curves_readout_and_command(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    press(page, "Shift+ArrowLeft", 5)
    curve = page.locator(f'#plot svg path[stroke="{PALETTE[0]}"]').first
    before = curve.get_attribute("d")
    press(page, "ArrowRight", 14, on="leaky_relu negative_slope")
    slider = page.get_by_role("slider", name="leaky_relu negative_slope")
    assert slider.get_attribute("aria-valuetext") == "negative_slope = 0.15"
    assert page.locator("#param-0-0-value").inner_text() == "negative_slope = 0.15"
    changed = actcli.get("leaky_relu", negative_slope=0.15)
    assert check_readout(page, example_functions(leaky_relu=changed)) == -1.0
    assert readout(page)["leaky_relu(x)"] == "-0.15"
    assert curve.get_attribute("d") != before
    assert page.get_by_text("leaky_relu (negative_slope=0.15)", exact=True).count() == 1  # legend
    assert page.locator("#command").input_value() == (
        "actcli plot leaky_relu:negative_slope=0.15 gelu elu -3 3 --grad -o actcli-explore.png")
    slider.press("Home")
    assert check_readout(page, example_functions(leaky_relu=actcli.get("leaky_relu", negative_slope=0))) == -1.0
    seen.check_quiet()


def test_in_float32_the_readout_is_float32s_shortest_text(visit, pages):
    seen = visit(pages["float32"])
    page = seen.page
    press(page, "ArrowRight", 3)
    shown = readout(page)
    x = np.float32(0.015)  # three steps of 0.005
    assert shown.pop("x") == "0.015"
    expected = {}
    for name in ("gelu", "sigmoid"):
        f, df = actcli.get(name).value_and_grad(x)
        assert f.dtype == np.float32
        expected |= {f"{name}(x)": str(f), f"{name}'(x)": str(df)}  # NumPy's shortest for float32
    assert shown == expected
    digits = [len(text.lstrip("-0.").replace(".", "")) for text in shown.values()]
    assert max(digits) <= 9  # float32's shortest, not float64's 17 digits
    seen.check_quiet()


def test_the_select_of_gelus_approximate(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    page.get_by_role("combobox", name="gelu approximate").select_option(label="tanh")
    page.get_by_role("slider", name="cursor x").press("End")
    tanh_form = actcli.get("gelu", approximate="tanh")
    assert check_readout(page, example_functions(gelu=tanh_form)) == 3.0
    assert readout(page)["gelu(x)"] != people_text(actcli.get("gelu").f(3.0))
    assert "gelu:approximate=tanh" in page.locator("#command").input_value()
    seen.check_quiet()


def test_the_derivative_toggles(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    page.get_by_role("checkbox", name="f″ (dotted)").check()
    assert check_readout(page, example_functions(), (0, 1, 2)) == 0.0
    assert page.get_by_text("d²/dx² gelu", exact=True).count() == 1
    assert page.locator("#command").input_value().endswith("-3 3 --grad --grad2 -o actcli-explore.png")
    page.get_by_role("checkbox", name="f′ (dashed)").uncheck()
    assert check_readout(page, example_functions(), (0, 2)) == 0.0
    assert page.get_by_text("d/dx gelu", exact=True).count() == 0
    assert page.locator("#plot svg path[stroke-dasharray]").count() == 2 * 3  # f'' and its outline
    assert page.locator("#command").input_value().endswith("-3 3 --grad2 -o actcli-explore.png")
    seen.check_quiet()


def test_the_regions_toggle_shades_dead_and_saturated_spans(visit, pages):
    seen = visit(pages["regions"])
    page = seen.page
    assert page.locator("#plot svg rect[fill^='url(#actcli-hatch']").count() == 0
    page.get_by_role("checkbox", name="dead and saturated regions").check()
    hatched = page.locator("#plot svg rect[fill='url(#actcli-hatch-0)']")  # relu: x <= 0
    assert hatched.count() == 1
    left, zero = _tick(page, "-5")[0], _tick(page, "0")[0]
    box = hatched.bounding_box()
    assert box["x"] == pytest.approx(left, abs=1.5) and box["x"] + box["width"] == pytest.approx(zero, abs=1.5)
    assert page.get_by_text("relu: dead (f′ = 0)", exact=True).count() == 1
    assert page.locator("#plot svg rect[fill='url(#actcli-hatch-2)']").count() == 2  # hardtanh
    tinted = page.locator(f"#plot svg rect[fill='{PALETTE[1]}']")  # tanh's tails
    assert tinted.count() == 2
    high = saturation_bounds(actcli.get("tanh"))[1]
    assert page.get_by_text(f"tanh: saturated ({describe_tails((-high, high))})", exact=True).count() == 1
    right = tinted.nth(1).bounding_box()
    five = _tick(page, "5")[0]
    assert right["x"] + right["width"] == pytest.approx(five, abs=1.5)
    assert right["x"] == pytest.approx(zero + (five - zero) * high / 5, abs=1.5)
    seen.check_quiet()


def test_a_combination_the_catalog_refuses_leaves_the_slider_and_says_why(visit, pages):
    seen = visit(pages["regions"])
    page = seen.page
    low = page.get_by_role("slider", name="hardtanh min_val")
    high = page.get_by_role("slider", name="hardtanh max_val")
    low.press("End")
    assert low.get_attribute("aria-valuetext") == "min_val = 0"
    high.press("Home")
    assert high.get_attribute("aria-valuetext") == "max_val = 1"
    with pytest.raises(actcli.ParamError) as refusal:
        actcli.get("hardtanh", min_val=0, max_val=0)
    assert page.get_by_role("status").filter(has_text=str(refusal.value)).count() == 1
    seen.check_quiet()


def test_the_properties_panel_follows_the_selection_and_the_sliders(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    assert page.locator("#properties caption").inner_text() == "leaky_relu"
    page.get_by_role("combobox", name="Properties of").select_option(label="elu")
    assert page.locator("#properties caption").inner_text() == "elu"
    page.get_by_role("slider", name="elu alpha").press("ArrowRight")
    assert page.locator("#properties caption").inner_text() == "elu(alpha=1.1)"
    assert "1.1 (default 1;" in page.locator("#properties").inner_text()
    seen.check_quiet()


def test_every_control_has_a_name_for_a_screen_reader(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    for role, name in [("slider", "cursor x"), ("slider", "leaky_relu negative_slope"),
                       ("slider", "elu alpha"), ("combobox", "gelu approximate"),
                       ("checkbox", "f′ (dashed)"), ("checkbox", "f″ (dotted)"),
                       ("checkbox", "dead and saturated regions"),
                       ("textbox", "The actcli plot command of this plot"), ("button", "Copy"),
                       ("combobox", "Properties of")]:
        assert page.get_by_role(role, name=name, exact=True).count() == 1, (role, name)
    tree = page.locator("body").aria_snapshot()
    controls = [line.strip() for line in tree.splitlines()
                if re.match(r"\s*- (slider|checkbox|combobox|textbox|button)\b", line)]
    assert len(controls) == 10 and all('"' in line for line in controls), controls
    seen.check_quiet()


def test_the_copy_button_copies_or_selects_without_an_error(visit, pages):
    seen = visit(pages["example"])
    page = seen.page
    page.get_by_role("button", name="Copy").click()
    status = page.locator("#copy-status")
    status.filter(has_text=re.compile("Copied|Selected")).wait_for()
    seen.check_quiet()


def test_the_page_works_inside_an_iframe(visit, pages):
    seen = visit(pages["host"])
    frame = seen.page.frame_locator("iframe")
    frame.get_by_role("slider", name="cursor x").press("ArrowRight")
    assert check_readout(frame, example_functions()) == STEP
    frame.get_by_role("slider", name="elu alpha").press("ArrowLeft")
    assert check_readout(frame, example_functions(elu=actcli.get("elu", alpha=0.9))) == STEP
    seen.check_quiet()


@pytest.mark.parametrize("scheme, width", [("light", 1280), ("dark", 1280), ("light", 380),
                                           ("dark", 380)])
def test_the_page_draws_in_light_and_dark_at_any_width(visit, pages, scheme, width, tmp_path):
    from PIL import Image

    seen = visit(pages["example"], width=width, scheme=scheme)
    page = seen.page
    plot = page.locator("#plot")
    box = plot.bounding_box()
    assert box["width"] <= width and box["height"] >= 240
    picture = Image.open(io.BytesIO(plot.screenshot())).convert("RGB")
    pixels = np.asarray(picture).reshape(-1, 3)
    background = np.array((255, 255, 255) if scheme == "light" else (0x16, 0x18, 0x1b))
    assert np.mean(np.any(pixels != background, axis=1)) > 0.02  # not blank
    for colour in PALETTE[:3]:  # each function's curve is there in its colour
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        assert np.any(np.all(np.abs(pixels.astype(int) - rgb) <= 8, axis=1)), colour
    keep = os.environ.get("ACTCLI_KEEP_SCREENSHOTS")  # to look at them
    if keep:
        page.screenshot(path=str(Path(keep) / f"page-{scheme}-{width}.png"), full_page=True)
    seen.check_quiet()


def test_the_plot_follows_the_windows_size(visit, pages):
    seen = visit(pages["example"], width=1100)
    page = seen.page
    wide = float(page.locator("#plot svg").get_attribute("width"))
    page.set_viewport_size({"width": 480, "height": 800})
    page.wait_for_function("document.querySelector('#plot svg').getAttribute('width') < 480")
    narrow = float(page.locator("#plot svg").get_attribute("width"))
    assert 300 < narrow < 480 < wide
    assert page.locator("#plot svg").bounding_box()["width"] == pytest.approx(narrow, abs=1)
    assert check_readout(page, example_functions()) == 0.0  # the cursor stays where it was
    seen.check_quiet()
