"""Data in: input specs as NumPy arrays (`grid`: numbers and ranges) and CSV/JSON Lines
streams (`stream`), which know nothing of the catalog.
"""
