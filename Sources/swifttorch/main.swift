import Torch
print(Tensor([[1.0, 2.0], [3.0, 4.0]]).shape)
