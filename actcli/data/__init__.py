"""Readers of value files (tensors, CSV streams) that yield bounded chunks."""
