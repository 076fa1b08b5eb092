"""actcli in Jupyter: an activation shows itself as its plot (f and f', inline SVG),
its formula and the table of `actcli info`. (An explorer page shows itself: see
`page.Page`.) The facade registers `activation_html` with IPython's HTML formatter.
"""

from __future__ import annotations

import html
import io

from actcli.catalog import Activation, AnyActivation
from actcli.present import tables
from actcli.present.plot.figure import PlotOptions
from actcli.present.render import write_record

# The picture's size in inches: 640 x 400 CSS pixels, SVG being measured in points.
PICTURE_SIZE = (6.4, 4.0)


def activation_html(act: AnyActivation) -> str:
    """The HTML of `act` in a notebook: the plot of f and f' (for an elementwise
    function), the formula as LaTeX (typeset by Jupyter's MathJax) and the `info` table."""
    parts = ['<div class="actcli-activation">']
    if isinstance(act, Activation):
        parts.append(f'<div style="max-width: 640px">{activation_svg(act)}</div>')
    parts.append(f'<p class="actcli-formula">$${html.escape(act.spec.latex)}$$</p>')
    table = io.StringIO()
    write_record(act.label, tables.info_record(act, nested=False), "html", table)
    parts.append(table.getvalue())
    parts.append("</div>")
    return "\n".join(parts)


def activation_svg(act: Activation) -> str:
    """f and f' of `act` on -5 5 as `actcli plot FN --grad -o plot.svg` draws them, as an
    <svg> element to put inside HTML."""
    from actcli.present.plot import functions

    picture = io.BytesIO()
    functions.plot_functions([act], picture, grad=True, fmt="svg",
                             options=PlotOptions(size=PICTURE_SIZE, dpi=100))
    text = picture.getvalue().decode("utf-8")
    return text[text.index("<svg"):]  # without the XML declaration and doctype
