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
    """Reassembly as ``k_up^2`` shifted multiply-adds at the output size.

    Output position ``(y, x)`` reads the ``k_up x k_up`` neighbourhood of
    source position ``(y // scale, x // scale)``: the zero-padded source,
    nearest-upsampled by ``scale``, shifted by ``scale`` times the
    neighbour offset ``(a, b)``, is that neighbour for every output
    position at once. Each offset is one product with its kernel weights
    (broadcast over the channels of a group), summed. Memory: the padded,
    upsampled source and the output (an unfold would hold ``k_up^2``
    copies of the source, and a batched einsum over positions runs
    thousands of tiny matrix products).
    """
    n, c, h, w = features.shape
    pad = (k_up - 1) // 2
    sh, sw = h * scale, w * scale
    source = F.interpolate(
        F.pad(features, (pad, pad, pad, pad)), scale_factor=scale,
        mode='nearest').view(n, group_size, c // group_size,
                             (h + 2 * pad) * scale, (w + 2 * pad) * scale)
    kernels = kernels.view(n, group_size, 1, k_up * k_up, sh, sw)
    out = None
    for a in range(k_up):
        for b in range(k_up):
            term = source[..., a * scale:a * scale + sh,
                          b * scale:b * scale + sw] * kernels[:, :, :,
                                                              a * k_up + b]
            out = term if out is None else out + term
    return out.view(n, c, sh, sw)


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

    On CUDA tensors mmcv's kernel is called; elsewhere a pure-PyTorch
    implementation runs (``k_up^2`` shifted multiply-adds).

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
