"""Analyses of activations on data and in networks."""
