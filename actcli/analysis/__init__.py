"""Analyses built on the catalog: `depth` (signals and gradients through a deep
random network).
"""
