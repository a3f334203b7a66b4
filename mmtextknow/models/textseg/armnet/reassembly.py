"""Content-aware reassembly (CARAFE's operator) with a pure-PyTorch path.

mmcv's ``carafe`` op only has CUDA (and MLU) kernels. This module gives the
same operator in plain PyTorch so that ARM-Net's decoder builds, trains and
is tested on CPU; on CUDA tensors it dispatches to mmcv's kernel.
"""
import torch
import torch.nn.functional as F
from mmcv.ops.carafe import carafe
from torch import Tensor


def _reassemble_torch(features: Tensor, kernels: Tensor, k_up: int,
                      scale: int, group_size: int) -> Tensor:
    """Vectorised reassembly: unfold the source, contract with the kernels.

    Output position ``(y, x)`` reads the ``k_up x k_up`` neighbourhood of
    source position ``(y // scale, x // scale)``, so with ``y = h * scale + i``
    the neighbourhood depends on ``h`` only and the kernels of the ``scale^2``
    sub-positions ``(i, j)`` are contracted with the same unfolded patch.
    """
    n, c, h, w = features.shape
    kk = k_up * k_up
    # (n, G, C/G, k^2, h, w): the zero-padded neighbourhood of each source.
    patches = F.unfold(features, k_up, padding=(k_up - 1) // 2)
    patches = patches.view(n, group_size, c // group_size, kk, h, w)
    # (n, G*k^2, sh, sw) -> (n, G, k^2, h, i, w, j)
    kernels = kernels.view(n, group_size, kk, h, scale, w, scale)
    out = torch.einsum('ngckhw,ngkhiwj->ngchiwj', patches, kernels)
    return out.reshape(n, c, h * scale, w * scale)


def content_aware_reassembly(features: Tensor,
                             kernels: Tensor,
                             k_up: int,
                             scale: int,
                             group_size: int = 1) -> Tensor:
    """Reassemble ``features`` with per-output-position kernels (CARAFE).

    ``out[n, c, y, x] = sum_{a, b} features[n, c, y // s + a - r,
    x // s + b - r] * kernels[n, g * k^2 + a * k + b, y, x]`` with
    ``r = (k_up - 1) // 2``, ``s = scale``, ``g`` the group of channel ``c``
    and zeros outside ``features``: exactly the semantics of
    ``mmcv.ops.carafe(features, kernels, k_up, group_size, scale)``.
    The kernels are used as given; normalise them first (softmax over the
    ``k_up^2`` weights, e.g. ``CARAFEPack.kernel_normalizer``).

    On CUDA tensors mmcv's kernel is called; elsewhere an unfold + einsum
    implementation runs (it holds ``k_up^2`` copies of ``features``).

    Args:
        features (Tensor): Source features, ``N x C x H x W``.
        kernels (Tensor): Reassembly kernels,
            ``N x (group_size * k_up^2) x sH x sW``, channel
            ``g * k_up^2 + a * k_up + b`` weighting the neighbour at row
            offset ``a - r`` and column offset ``b - r``.
        k_up (int): Odd reassembly kernel size ``k_up``.
        scale (int): Integer up-sampling ratio ``s``.
        group_size (int): Channel groups sharing one kernel. Defaults to 1.

    Returns:
        Tensor: ``N x C x sH x sW`` reassembled features.
    """
    n, c, h, w = features.shape
    if k_up < 1 or k_up % 2 == 0:
        raise ValueError(f'k_up must be odd and positive, got {k_up}')
    if c % group_size:
        raise ValueError(f'{c} channels do not split into {group_size} '
                         'groups')
    expected = (n, group_size * k_up * k_up, h * scale, w * scale)
    if tuple(kernels.shape) != expected:
        raise ValueError(f'kernels must have shape {expected}, got '
                         f'{tuple(kernels.shape)}')
    # Under autocast the softmax-normalised kernels may be float32.
    kernels = kernels.to(features.dtype)
    if features.is_cuda and kernels.is_cuda and torch.cuda.is_available():
        return carafe(features.contiguous(), kernels.contiguous(), k_up,
                      group_size, scale)
    return _reassemble_torch(features, kernels, k_up, scale, group_size)
