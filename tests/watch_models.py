"""The small model and batches of tests/test_watch.py, importable without pytest (the
processes of its two-rank test import only torch, actcli and this)."""

from __future__ import annotations

import torch
from torch import nn


def mlp(seed: int = 0, dtype: torch.dtype = torch.float32) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(12, 48), nn.ReLU(), nn.Linear(48, 48), nn.LeakyReLU(0.1),
                         nn.Linear(48, 48), nn.GELU(approximate="tanh"), nn.Linear(48, 32),
                         nn.ELU(alpha=0.5), nn.Linear(32, 3)).to(dtype)


def batches(count: int, seed: int = 1, size: int = 64,
            dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(size, 12, generator=generator).to(dtype) * 2 for _ in range(count)]
