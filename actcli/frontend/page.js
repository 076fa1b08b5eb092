// actcli explore as a web page. Every number comes from the data that actcli embedded
// when it wrote the page (values on its grid of x, for every stop of every slider):
// this script draws them and looks them up. No activation function is computed here.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("actcli-data").textContent);
  var single = data.dtype === "float32";
  var style = data.style;  // the PNG plots' widths (points), nesting and dashes
  var PX = 4 / 3;  // CSS pixels per point
  var ORDER_WIDTH = [style.width, style.derivative, style.derivative];
  // Dashes as long as at a derivative's usual width, whatever its width (as the PNG).
  var ORDER_DASH = style.dashes.map(function (dashes) {
    return dashes ? dashes.map(function (d) { return r(d * style.derivative * PX); }).join(" ") : "";
  });

  // --- the data ------------------------------------------------------------------------

  var decoded = {};
  function array(index) {
    if (!decoded[index]) {
      var text = atob(data.arrays[index]);
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      var view = new DataView(bytes.buffer);
      var size = single ? 4 : 8;
      var values = new Float64Array(bytes.length / size);
      for (var k = 0; k < values.length; k++) {
        values[k] = single ? view.getFloat32(k * size, true) : view.getFloat64(k * size, true);
      }
      decoded[index] = values;
    }
    return decoded[index];
  }

  var xs = array(data.x);
  var last = xs.length - 1;
  var state = {
    cursor: data.cursor,
    grad: true,
    grad2: data.grad2,
    regions: false,
    stops: data.functions.map(function (f) { return f.sliders.map(function (s) { return s.start; }); }),
    selected: 0
  };

  function comboIndex(fn, stops) {
    var index = 0;
    fn.sliders.forEach(function (slider, k) { index = index * slider.values.length + stops[k]; });
    return index;
  }

  function combo(i) {
    var fn = data.functions[i];
    return fn.combos[comboIndex(fn, state.stops[i])];
  }

  function visibleOrders() {
    return [0].concat(state.grad ? [1] : [], state.grad2 ? [2] : []);
  }

  function yView() {
    return data.views[(state.grad ? 1 : 0) + (state.grad2 ? 2 : 0)];
  }

  // A number as actcli writes it for people: the shortest text that reads back as the
  // same float (float32's own shortest with --dtype float32), exponents as Python's.
  function shortest(v) {
    if (!single) return v.toExponential();
    for (var digits = 1; digits < 9; digits++) {
      var text = v.toExponential(digits - 1);
      if (Math.fround(parseFloat(text)) === v) return text;
    }
    return v.toExponential(8);
  }

  function format(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return "nan";
    if (v === Infinity) return "inf";
    if (v === -Infinity) return "-inf";
    if (v === 0) return "0";
    var match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest(v));
    var sign = match[1], digits = match[2] + (match[3] || ""), exp = parseInt(match[4], 10);
    if (exp >= -4 && exp < 16) {
      if (exp >= 0) {
        var whole = digits.slice(0, exp + 1);
        while (whole.length < exp + 1) whole += "0";
        var rest = digits.slice(exp + 1);
        return sign + whole + (rest ? "." + rest : "");
      }
      return sign + "0." + "0".repeat(-exp - 1) + digits;
    }
    var mantissa = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  }

  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  // The grid index of x, or -1 (the kinks and jumps are on the grid).
  function indexOf(x) {
    var lo = 0, hi = last;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (xs[mid] < x) lo = mid + 1; else if (xs[mid] > x) hi = mid - 1; else return mid;
    }
    return -1;
  }

  function nearest(x) {
    var lo = 0, hi = last;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (xs[mid] <= x) lo = mid; else hi = mid;
    }
    return Math.abs(xs[hi] - x) < Math.abs(x - xs[lo]) ? hi : lo;
  }

  // --- the plot ------------------------------------------------------------------------

  var plot = document.getElementById("plot");
  var geometry = null;  // the scales of the plot as last drawn

  function layout(width) {
    var view = yView();
    var height = Math.round(Math.min(520, Math.max(250, width * 0.56)));
    var yTicks = chooseYTicks(view, height);
    var labelWidth = Math.max.apply(null, [1].concat(yTicks.map(function (t) { return t[1].length; })));
    var left = 30 + labelWidth * 7.2, right = 14, top = 10, bottom = 40;
    var g = {
      width: width, height: height, left: left, right: width - right, top: top, bottom: height - bottom,
      x0: data.start, x1: data.stop, y0: view.low, y1: view.high, yTicks: yTicks
    };
    g.xTicks = chooseXTicks(g);
    return g;
  }

  // The most ticks (of the sets actcli chose) that keep their labels apart.
  function pickTicks(sets, length, span, room) {
    for (var k = sets.length - 1; k >= 0; k--) {
      var ticks = sets[k];
      if (ticks.length < 2 || length * (ticks[1][0] - ticks[0][0]) / span >= room(ticks)) return ticks;
    }
    return sets[0] || [];
  }

  function chooseYTicks(view, height) {
    return pickTicks(view.ticks, height - 50, view.high - view.low, function () { return 26; });
  }

  function chooseXTicks(g) {
    return pickTicks(data.xTicks, g.right - g.left, g.x1 - g.x0, function (ticks) {
      return 7.5 * Math.max.apply(null, ticks.map(function (t) { return t[1].length; })) + 16;
    });
  }

  function px(g, x) { return g.left + (x - g.x0) / (g.x1 - g.x0) * (g.right - g.left); }
  function py(g, y) {
    var p = g.bottom - (y - g.y0) / (g.y1 - g.y0) * (g.bottom - g.top);
    return Math.max(-1e5, Math.min(1e5, p));  // far off the plot: clipped, not overflowing
  }
  function r(v) { return Math.round(v * 100) / 100; }

  function curvePath(g, values, jumps) {
    var d = "", pen = false;
    function to(x, y) {
      if (y === null || !isFinite(y)) { pen = false; return; }
      d += (pen ? "L" : "M") + r(px(g, x)) + " " + r(py(g, y));
      pen = true;
    }
    for (var i = 0; i <= last; i++) {
      var jump = jumps[i];
      if (jump) {  // the line ends at the left limit and starts again at the right one
        to(xs[i], jump[3]);
        pen = false;
        to(xs[i], jump[4]);
      } else {
        to(xs[i], values[i]);
      }
    }
    return d;
  }

  function drawPlot() {
    var width = Math.max(200, Math.floor(plot.clientWidth));
    var g = geometry = layout(width);
    var parts = [];
    parts.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + g.width + '" height="' + g.height +
               '" viewBox="0 0 ' + g.width + " " + g.height + '" aria-hidden="true" focusable="false">');
    parts.push('<defs><clipPath id="actcli-clip"><rect x="' + r(g.left) + '" y="' + g.top + '" width="' +
               r(g.right - g.left) + '" height="' + (g.bottom - g.top) + '"/></clipPath>');
    data.functions.forEach(function (fn, i) {
      parts.push('<pattern id="actcli-hatch-' + i + '" width="7" height="7" patternUnits="userSpaceOnUse" ' +
                 'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="7" stroke="' + fn.colour +
                 '" stroke-width="1.6" stroke-opacity="0.55"/></pattern>');
    });
    parts.push("</defs>");
    // grid and ticks
    g.xTicks.forEach(function (t) {
      var x = r(px(g, t[0]));
      parts.push('<line class="gridline" x1="' + x + '" x2="' + x + '" y1="' + g.top + '" y2="' + g.bottom + '"/>');
      parts.push('<line class="axis" x1="' + x + '" x2="' + x + '" y1="' + g.bottom + '" y2="' + (g.bottom + 5) + '"/>');
      parts.push('<text class="tick-label" x="' + x + '" y="' + (g.bottom + 18) + '" text-anchor="middle">' +
                 escapeText(t[1]) + "</text>");
    });
    g.yTicks.forEach(function (t) {
      var y = r(py(g, t[0]));
      parts.push('<line class="gridline" x1="' + r(g.left) + '" x2="' + r(g.right) + '" y1="' + y + '" y2="' + y + '"/>');
      parts.push('<line class="axis" x1="' + r(g.left - 5) + '" x2="' + r(g.left) + '" y1="' + y + '" y2="' + y + '"/>');
      parts.push('<text class="tick-label" x="' + r(g.left - 8) + '" y="' + (y + 4) + '" text-anchor="end">' +
                 escapeText(t[1]) + "</text>");
    });
    parts.push('<text class="axis-label" x="' + r(g.right) + '" y="' + (g.height - 6) + '" text-anchor="end">x</text>');
    parts.push('<text class="axis-label" transform="translate(13 ' + r((g.top + g.bottom) / 2) + ') rotate(-90)" ' +
               'text-anchor="middle">' + visibleOrders().map(function (order) { return ["f(x)", "f′(x)", "f″(x)"][order]; })
               .join(", ") + "</text>");
    parts.push('<g clip-path="url(#actcli-clip)">');
    if (state.regions) {
      data.functions.forEach(function (fn, i) {
        var c = combo(i);
        c.dead.forEach(function (span) { parts.push(band(g, span, 'fill="url(#actcli-hatch-' + i + ')"')); });
        c.saturated.forEach(function (span) {
          parts.push(band(g, span, 'fill="' + fn.colour + '" fill-opacity="0.13"'));
        });
      });
    }
    if (g.y0 < 0 && g.y1 > 0) {
      var y0 = r(py(g, 0));
      parts.push('<line class="zero" x1="' + r(g.left) + '" x2="' + r(g.right) + '" y1="' + y0 + '" y2="' + y0 + '"/>');
    }
    if (g.x0 < 0 && g.x1 > 0) {
      var x0 = r(px(g, 0));
      parts.push('<line class="zero" x1="' + x0 + '" x2="' + x0 + '" y1="' + g.top + '" y2="' + g.bottom + '"/>');
    }
    var markers = [], curves = [];
    // In the PNG's order: every f, then each function's derivatives (drawn over them).
    data.functions.forEach(function (fn, i) { curves.push({fn: fn, index: i, order: 0}); });
    data.functions.forEach(function (fn, i) {
      visibleOrders().slice(1).forEach(function (order) { curves.push({fn: fn, index: i, order: order}); });
    });
    curves.forEach(function (curve) { curve.values = array(combo(curve.index).curves[curve.order]); });
    var widths = nestedWidths(curves, g);
    curves.forEach(function (curve, k) {
      var fn = curve.fn, order = curve.order, c = combo(curve.index), jumps = {};
      c.jumps.forEach(function (jump) {
        if (jump[0] !== order) return;
        var at = indexOf(jump[1]);
        if (at >= 0) jumps[at] = jump;
        if (jump[2] !== null) markers.push(dot(g, jump[1], jump[2], fn.colour, true));
        jump[5].forEach(function (limit) {
          if (limit !== null) markers.push(dot(g, jump[1], limit, fn.colour, false));
        });
      });
      var d = curvePath(g, curve.values, jumps);
      // Dashes with flat ends, outlined in the background's colour as in the PNG.
      var look = ' fill="none" stroke-linejoin="round"' + (ORDER_DASH[order] ?
                 ' stroke-linecap="butt" stroke-dasharray="' + ORDER_DASH[order] + '"' : ' stroke-linecap="round"');
      if (order > 0) {
        parts.push('<path class="halo" d="' + d + '" stroke-width="' + r((widths[k] + style.halo) * PX) + '"' + look + "/>");
      }
      parts.push('<path d="' + d + '" stroke="' + fn.colour + '" stroke-width="' + r(widths[k] * PX) + '"' + look + "/>");
    });
    parts.push(markers.join(""));
    parts.push("</g>");
    // kinks: a mark under the x axis in the colour of their function
    data.functions.forEach(function (fn, i) {
      combo(i).kinks.forEach(function (k) {
        var x = r(px(g, k));
        parts.push('<path d="M' + x + " " + (g.bottom - 1) + "l-4 -7h8z" + '" fill="' + fn.colour + '"><title>kink of ' +
                   escapeText(fn.name) + " at x = " + escapeText(format(k)) + "</title></path>");
      });
    });
    parts.push('<line class="axis" x1="' + r(g.left) + '" x2="' + r(g.right) + '" y1="' + g.bottom + '" y2="' + g.bottom + '"/>');
    parts.push('<line class="axis" x1="' + r(g.left) + '" x2="' + r(g.left) + '" y1="' + g.top + '" y2="' + g.bottom + '"/>');
    parts.push('<g id="cursor-layer"></g></svg>');
    plot.innerHTML = parts.join("");
    drawCursor();
  }

  // Each curve's width: a curve that later curves lie on (within a share of the y
  // range on a share of its points) is drawn wider than they are, so that it shows at
  // their edges (relu under leaky_relu for x > 0): the rule of the PNG plots.
  function nestedWidths(curves, g) {
    var tolerance = style.coincide * (g.y1 - g.y0);
    function liesOn(below, above) {
      var y = curves[below].values, other = curves[above].values, close = 0;
      for (var i = 0; i < y.length; i++) {
        if (y[i] >= g.y0 && y[i] <= g.y1 && Math.abs(y[i] - other[i]) <= tolerance) close++;
      }
      return close >= style.share * y.length;
    }
    var functions = [], derivatives = [], widths = curves.map(function () { return 0; });
    curves.forEach(function (curve, k) { (curve.order ? derivatives : functions).push(k); });
    derivatives.slice().reverse().forEach(function (i, back) {
      var place = derivatives.length - 1 - back, widest = style.derivative;
      derivatives.slice(place + 1).forEach(function (j) {
        if (liesOn(i, j)) widest = Math.max(widest, widths[j] + style.halo + style.nest);
      });
      widths[i] = Math.min(style.derivative + style.most, widest);
    });
    functions.slice().reverse().forEach(function (i, back) {
      var place = functions.length - 1 - back, widest = style.width;
      functions.slice(place + 1).forEach(function (j) {
        if (liesOn(i, j)) widest = Math.max(widest, widths[j] + style.nest);
      });
      derivatives.forEach(function (j) {
        if (liesOn(i, j)) widest = Math.max(widest, widths[j] + style.halo + style.nest);
      });
      widths[i] = Math.min(style.width + style.most, widest);
    });
    return widths;
  }

  function band(g, span, fill) {
    var x0 = r(px(g, span[0])), x1 = r(px(g, span[1]));
    return '<rect x="' + x0 + '" y="' + g.top + '" width="' + Math.max(1, r(x1 - x0)) + '" height="' +
           (g.bottom - g.top) + '" ' + fill + "/>";
  }

  function dot(g, x, y, colour, filled) {
    return '<circle cx="' + r(px(g, x)) + '" cy="' + r(py(g, y)) + '" r="4.2" ' +
           (filled ? 'fill="' + colour + '"' : 'class="hollow" stroke="' + colour + '" stroke-width="1.6"') + "/>";
  }

  function drawCursor() {
    var g = geometry, layer = document.getElementById("cursor-layer");
    if (!g || !layer) return;
    var x = xs[state.cursor], cx = r(px(g, x));
    var parts = ['<line class="cursor" x1="' + cx + '" x2="' + cx + '" y1="' + g.top + '" y2="' + g.bottom + '"/>'];
    visibleOrders().forEach(function (order) {
      data.functions.forEach(function (fn, i) {
        var y = array(combo(i).curves[order])[state.cursor];
        if (isFinite(y) && y >= g.y0 && y <= g.y1) {
          parts.push('<circle cx="' + cx + '" cy="' + r(py(g, y)) + '" r="3" fill="' + fn.colour +
                     '" stroke="var(--bg)" stroke-width="1"/>');
        }
      });
    });
    layer.innerHTML = parts.join("");
  }

  // --- legend, readout, command, properties ---------------------------------------------

  function sample(colour, order) {
    return '<svg width="40" height="10" aria-hidden="true" focusable="false"><line x1="1" y1="5" x2="39" y2="5" stroke="' +
           colour + '" stroke-width="' + r(ORDER_WIDTH[order] * PX) + '" stroke-linecap="' + (order ? "butt" : "round") + '"' +
           (ORDER_DASH[order] ? ' stroke-dasharray="' + ORDER_DASH[order] + '"' : "") + "/></svg>";
  }

  function patch(colour, dead) {
    var hatch = dead ? '<path d="M1 9l6-8M6 11l8-10M12 11l5-6" stroke="' + colour + '" stroke-width="1.4"/>' : "";
    return '<svg width="18" height="12" aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="17" height="11" ' +
           'stroke="' + colour + '" stroke-opacity="0.6" ' + (dead ? 'fill="none"' : 'fill="' + colour + '" fill-opacity="0.3"') +
           "/>" + hatch + "</svg>";
  }

  function drawLegend() {
    var items = [], jumps = false;
    data.functions.forEach(function (fn, i) {
      var c = combo(i);
      visibleOrders().forEach(function (order) {
        items.push("<li>" + sample(fn.colour, order) + "<span>" + escapeText(data.orders[order] + c.label) + "</span></li>");
        jumps = jumps || c.jumps.some(function (jump) { return jump[0] === order; });
      });
    });
    if (jumps) {
      items.push('<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4" fill="currentColor"/></svg>' +
                 "<span>value at the jump (PyTorch)</span></li>");
      items.push('<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4" fill="none" ' +
                 'stroke="currentColor" stroke-width="1.6"/></svg><span>one-sided limit</span></li>');
    }
    if (state.regions) {
      data.functions.forEach(function (fn, i) {
        var c = combo(i);
        if (c.dead.length) items.push("<li>" + patch(fn.colour, true) + "<span>" + escapeText(c.label) + ": dead (f′ = 0)</span></li>");
        if (c.saturated.length) {
          items.push("<li>" + patch(fn.colour, false) + "<span>" + escapeText(c.label) + ": saturated (" +
                     escapeText(c.tails) + ")</span></li>");
        }
      });
    }
    document.getElementById("legend").innerHTML = items.join("");
  }

  function readoutText() {
    var lines = ["x = " + format(xs[state.cursor])];
    data.functions.forEach(function (fn, i) {
      var c = combo(i);
      var terms = visibleOrders().map(function (order) {
        return fn.headings[order] + " = " + format(array(c.curves[order])[state.cursor]);
      });
      lines.push(c.label + ": " + terms.join(", "));
    });
    return lines.join("; ");
  }

  function drawReadout() {
    var x = xs[state.cursor];
    var html = ['<div class="row"><span class="term">x = ' + escapeText(format(x)) + "</span></div>"];
    data.functions.forEach(function (fn, i) {
      var c = combo(i);
      var row = '<div class="row"><span class="swatch" style="background:' + fn.colour + '" title="' +
                escapeText(c.label) + '"></span>';
      visibleOrders().forEach(function (order) {
        row += '<span class="term">' + escapeText(fn.headings[order]) + " = " +
               escapeText(format(array(c.curves[order])[state.cursor])) + "</span>";
      });
      if (c.kinks.indexOf(x) >= 0 && fn.kinkRule) {
        row += '<span class="kink">at a kink: ' + escapeText(fn.kinkRule) + "</span>";
      }
      html.push(row + "</div>");
    });
    document.getElementById("readout").innerHTML = html.join("");
    plot.setAttribute("aria-valuenow", String(x));
    plot.setAttribute("aria-valuetext", readoutText());
  }

  function drawCommand() {
    var words = [data.command.before];
    data.functions.forEach(function (fn, i) { words.push(combo(i).word); });
    words.push(data.command.after[(state.grad ? 1 : 0) + (state.grad2 ? 2 : 0)]);
    document.getElementById("command").value = words.join(" ");
  }

  function drawProperties() {
    var c = combo(state.selected);
    document.getElementById("properties").innerHTML = c.info.map(function (k) { return data.lines[k]; }).join("\n");
  }

  function drawAll() {
    drawLegend();
    drawPlot();
    drawReadout();
    drawCommand();
    drawProperties();
  }

  // --- controls --------------------------------------------------------------------------

  function names() {
    // A function shown twice (with other parameters) is told apart by its place.
    return data.functions.map(function (fn, i) {
      var same = data.functions.filter(function (other) { return other.name === fn.name; }).length;
      return same > 1 ? fn.name + " (" + (i + 1) + ")" : fn.name;
    });
  }

  function buildParameters() {
    var box = document.getElementById("parameters");
    var labels = names();
    data.functions.forEach(function (fn, i) {
      if (!fn.sliders.length) return;
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.id = "fn-" + i;
      legend.innerHTML = '<span class="swatch" style="background:' + fn.colour + '"></span>';
      legend.appendChild(document.createTextNode(labels[i]));
      set.appendChild(legend);
      var problem = document.createElement("p");
      problem.className = "problem";
      problem.setAttribute("role", "status");
      fn.sliders.forEach(function (slider, k) {
        var id = "param-" + i + "-" + k;
        var row = document.createElement("div");
        row.className = "param";
        var label = document.createElement("label");
        label.htmlFor = id;
        label.id = id + "-label";
        label.textContent = slider.name;
        var control, output = document.createElement("output");
        output.htmlFor = id;
        output.id = id + "-value";
        if (slider.choice) {
          control = document.createElement("select");
          slider.values.forEach(function (value, v) {
            var option = document.createElement("option");
            option.value = String(v);
            option.textContent = value;
            control.appendChild(option);
          });
        } else {
          control = document.createElement("input");
          control.type = "range";
          control.min = "0";
          control.max = String(slider.values.length - 1);
          control.step = "1";
        }
        control.id = id;
        control.value = String(state.stops[i][k]);
        // Named "leaky_relu negative_slope": the function's name, then the parameter's.
        control.setAttribute("aria-labelledby", "fn-" + i + " " + label.id);
        function show() {
          var text = slider.name + " = " + slider.values[state.stops[i][k]];
          output.textContent = text;
          if (!slider.choice) control.setAttribute("aria-valuetext", text);
        }
        control.addEventListener(slider.choice ? "change" : "input", function () {
          var wanted = parseInt(control.value, 10);
          var stops = state.stops[i].slice();
          stops[k] = wanted;
          var next = fn.combos[comboIndex(fn, stops)];
          if (next.error) {  // a combination the catalog refuses: the slider stays
            control.value = String(state.stops[i][k]);
            problem.textContent = next.error;
            return;
          }
          problem.textContent = "";
          state.stops[i] = stops;
          show();
          drawAll();
        });
        show();
        row.appendChild(label);
        row.appendChild(control);
        row.appendChild(output);
        set.appendChild(row);
      });
      set.appendChild(problem);
      box.appendChild(set);
    });
    var select = document.getElementById("selected");
    labels.forEach(function (label, i) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = label;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      state.selected = parseInt(select.value, 10);
      drawProperties();
    });
  }

  function buildToggles() {
    [["show-grad", "grad"], ["show-grad2", "grad2"], ["show-regions", "regions"]].forEach(function (pair) {
      var box = document.getElementById(pair[0]);
      box.checked = state[pair[1]];
      box.addEventListener("change", function () {
        state[pair[1]] = box.checked;
        drawAll();
      });
    });
  }

  function buildCopy() {
    var field = document.getElementById("command"), status = document.getElementById("copy-status");
    function selected() {
      field.focus();
      field.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      status.textContent = done ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.";
    }
    document.getElementById("copy").addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          status.textContent = "Copied.";
        }, selected);
      } else {
        selected();
      }
    });
  }

  // --- the cursor --------------------------------------------------------------------------

  function moveTo(index) {
    index = Math.max(0, Math.min(last, index));
    if (index === state.cursor) return;
    state.cursor = index;
    drawCursor();
    drawReadout();
  }

  function step(direction, large) {
    if (!large) return moveTo(state.cursor + direction);
    var majors = data.major, i;
    if (direction > 0) {
      for (i = 0; i < majors.length; i++) if (majors[i] > state.cursor) return moveTo(majors[i]);
    } else {
      for (i = majors.length - 1; i >= 0; i--) if (majors[i] < state.cursor) return moveTo(majors[i]);
    }
  }

  function onKey(event) {
    var keys = {ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1};
    if (event.key in keys) step(keys[event.key], event.shiftKey);
    else if (event.key === "PageDown") step(-1, true);
    else if (event.key === "PageUp") step(1, true);
    else if (event.key === "Home") moveTo(0);
    else if (event.key === "End") moveTo(last);
    else return;
    event.preventDefault();
  }

  plot.addEventListener("keydown", onKey);
  document.addEventListener("keydown", function (event) {
    // With nothing focused, the arrows move the cursor too.
    if (document.activeElement === document.body || document.activeElement === null) onKey(event);
  });

  function pointer(event) {
    var g = geometry;
    if (!g) return;
    var box = plot.getBoundingClientRect();
    var scale = g.width / box.width;
    var x = g.x0 + ((event.clientX - box.left) * scale - g.left) / (g.right - g.left) * (g.x1 - g.x0);
    moveTo(nearest(Math.max(g.x0, Math.min(g.x1, x))));
  }
  plot.addEventListener("pointermove", pointer);
  plot.addEventListener("pointerdown", pointer);

  var drawnWidth = 0, pending = false;
  function resized() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      var width = Math.floor(plot.clientWidth);
      if (width !== drawnWidth) {
        drawnWidth = width;
        drawPlot();
      }
    });
  }
  if (window.ResizeObserver) new ResizeObserver(resized).observe(plot);
  window.addEventListener("resize", resized);

  plot.setAttribute("aria-valuemin", String(xs[0]));
  plot.setAttribute("aria-valuemax", String(xs[last]));
  buildParameters();
  buildToggles();
  buildCopy();
  drawAll();
  drawnWidth = Math.floor(plot.clientWidth);
}());
