#!/usr/bin/env python3
"""Writes the interop fixtures under Tests/TorchTests/Fixtures with Python's safetensors and NumPy (run once;
the file is committed so tests never need Python)."""
import torch
from safetensors.torch import save_file

tensors = {
    "weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
    "bias": torch.tensor([-1.5, 2.25], dtype=torch.float64),
    "steps": torch.tensor([[1, -2], [3, 4]], dtype=torch.int64),
    "mask": torch.tensor([True, False, True]),
    "pixels": torch.tensor([0, 128, 255], dtype=torch.uint8),
    "counts": torch.tensor([7, -8], dtype=torch.int32),
}
save_file(tensors, "Tests/TorchTests/Fixtures/python.safetensors", metadata={"format": "pt", "source": "python"})

# NumPy fixtures for the .npy / .npz readers.
import numpy as np
np.save("Tests/TorchTests/Fixtures/numpy.npy", np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
np.savez_compressed("Tests/TorchTests/Fixtures/numpy.npz", a=np.array([[1.5, -2.0]], dtype=np.float32),
                    b=np.array([3, 4, 5], dtype=np.int64), c=np.array([True, False]))
