"""Analyses built on the catalog: `depth` (signals and gradients through a deep random
network), `stats` (a mergeable summary of a sample through each function) and `cluster`
(the same summary on a Dask cluster's workers).
"""
