"""Plots to PNG, SVG or PDF: `figure` (set-up and atomic saving), `functions` (curves of
activations and derivatives) and `depth` (the figure of `actcli depth`).
"""
