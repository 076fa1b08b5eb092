"""Plots to PNG, SVG or PDF: `figure` (set-up and atomic saving), `functions` (curves of
activations and derivatives), `depth` (the figure of `actcli depth`) and `data` (curves
over the histogram of a user's values).
"""
