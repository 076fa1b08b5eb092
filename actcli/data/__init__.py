"""Data in: input specs as NumPy arrays (`grid`: numbers and ranges), CSV/JSON Lines
streams (`stream`) and tensor files read in chunks (`tensors`: .npy, .npz, .safetensors);
none of them knows the catalog.
"""
