"""Dense CRF loss of MGNet (eq. 4): the relaxed DenseCRF / Potts term of
Tang et al. (ECCV 2018), computed with a bilateral grid, never with an
N x N affinity.

For a text probability map :math:`x \\in [0, 1]^N` (text and background
form the two Potts classes) the energy is

.. math::
    E(x) = x^\\top W (1 - x) + (1 - x)^\\top W x = 2\\, x^\\top W (1 - x),
    \\quad W_{ij} = \\exp\\Bigl(-\\frac{|p_i - p_j|^2}{2 s_{xy}^2}
    - \\frac{|I_i - I_j|^2}{2 s_{rgb}^2}\\Bigr),\\ i \\neq j, W_{ii} = 0.

MGNet abbreviates it as :math:`x^\\top A x`, which taken literally is
minimised by an all-background prediction; the cited loss is the form above.

**Approximation (bilateral grid, Paris & Durand 2006 / Chen et al. 2007).**
Every pixel is a point :math:`f_i = (p_i / s_{xy}, I_i / s_{rgb})` in a 5-D
space (2 + colour channels). The grid has one vertex every ``grid_step``
standard deviations along each axis (0.75 by default; 1.0, the usual
"sampling rate = sigma", is coarser and less accurate). :math:`W v` is
computed as

1. *splat*: each pixel adds :math:`v_i` to the :math:`2^5` vertices of its
   grid cell with multilinear (tent) weights;
2. *blur*: a separable Gaussian along each of the 5 grid axes (a small
   L x L matrix product per axis, L = the number of vertices on that axis);
3. *slice*: each pixel reads the blurred grid back with the same weights.

The result :math:`\\tilde W = S^\\top B S` is symmetric. The tents add
:math:`h^2/3` of variance (:math:`h` = ``grid_step`` in units of sigma) per
axis, so the grid Gaussian uses the reduced deviation
:math:`\\sqrt{1 - h^2/3}` and the amplitude :math:`1 / \\sqrt{1 - h^2/3}`:
the effective kernel then has the exact variance and the exact mass of the
target Gaussian. The self term :math:`\\tilde W_{ii}` (separable, computed in
closed form) is removed, as the formula sums over :math:`i \\neq j`. Memory
and time are linear in the pixel count (plus the grid, whose size depends on
the image extent over the sigmas, not on N). Measured against the dense
formula on 48 x 48 and 64 x 64 images (smooth colours, or noisy flat
blocks; s_xy from 5 to 100): relative error of the energy <= 3.5 % and
gradient cosine >= 0.997 (relative L2 error <= 8 %) at ``grid_step=0.75``;
<= 10 % (gradient <= 20 %) at 1.0; < 1 % at 0.5. Per-pair values are
rougher (a single pair can be off by ~30 %): the errors average out over
the many pairs of a real image. :func:`direct_crf_energy` evaluates the
exact dense formula for tiny images only.
"""
import math
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmocr.registry import MODELS
from .soft_iou_loss import SampleWeight, graph_zero, sample_weighted_mean

# The dense reference builds an N x N matrix: tiny images only.
MAX_DIRECT_PIXELS = 4096


def _pixel_features(image: Tensor, sigma_rgb: float,
                    sigma_xy: float) -> Tensor:
    """Per-pixel features (y / s_xy, x / s_xy, colour / s_rgb).

    Args:
        image (Tensor): (B, K, H, W) colour image.
        sigma_rgb (float): Colour deviation.
        sigma_xy (float): Spatial deviation in pixels.

    Returns:
        Tensor: (B, N, 2 + K) float32 features, N = H * W.
    """
    b, _, h, w = image.shape
    ys = torch.arange(h, device=image.device, dtype=torch.float32)
    xs = torch.arange(w, device=image.device, dtype=torch.float32)
    yy, xx = torch.meshgrid(ys, xs, indexing='ij')
    pos = torch.stack((yy, xx)).flatten(1).t() / sigma_xy
    colour = image.float().flatten(2).transpose(1, 2) / sigma_rgb
    return torch.cat((pos.expand(b, -1, -1), colour), dim=2)


def direct_crf_energy(x: Tensor,
                      image: Tensor,
                      sigma_rgb: float = 15.,
                      sigma_xy: float = 100.) -> Tensor:
    """Exact relaxed DenseCRF energy :math:`2 x^\\top W (1 - x)` with the
    dense N x N affinity (zero diagonal). A test reference for tiny images.

    Args:
        x (Tensor): Probabilities of shape (B, C, H, W), H * W <= 4096;
            channels are summed. Computed in float32 or in float64 for a
            float64 ``x``.
        image (Tensor): (B, K, H, W) colour image (0..255 for the default
            ``sigma_rgb``).
        sigma_rgb (float): Colour deviation. Defaults to 15.
        sigma_xy (float): Spatial deviation in pixels. Defaults to 100.

    Returns:
        Tensor: Energies of shape (B, ).
    """
    n = x.shape[-2] * x.shape[-1]
    assert n <= MAX_DIRECT_PIXELS, (
        f'direct_crf_energy builds an N x N matrix; N={n} > '
        f'{MAX_DIRECT_PIXELS}')
    dtype = torch.promote_types(x.dtype, torch.float32)
    feats = _pixel_features(image, sigma_rgb, sigma_xy).to(dtype)
    affinity = torch.exp(-0.5 * torch.cdist(feats, feats).square())
    affinity = affinity * (1 - torch.eye(n, dtype=affinity.dtype,
                                         device=affinity.device))
    v = x.flatten(2).to(affinity.dtype)
    energy = 2 * torch.einsum('bci,bij,bcj->b', v, affinity, 1 - v)
    return energy.to(x.dtype)


class BilateralGrid:
    """Splat / blur / slice operator :math:`\\tilde W = S^\\top B S`
    approximating the Gaussian affinity of a batch of images.

    The grid holds :math:`\\prod_d (\\lfloor e_d / h \\rfloor + 2)` cells
    per image, :math:`e_d` = the extent of feature d over the batch (in
    deviations) and :math:`h` = ``grid_step``: at the loss' defaults
    (512 x 512 input evaluated at 256 x 256, s_xy = 50 there, s_rgb = 15,
    full 0..255 colour range) 8 x 8 x 24^3 ~ 0.9 M cells, independent of
    the pixel count. A small ``sigma_xy`` on a large image makes it grow as
    (H / sigma_xy)^2.

    Args:
        features (Tensor): (B, N, D) pixel features already divided by their
            deviations (see :func:`_pixel_features`).
        grid_step (float): Vertex spacing in deviations, in (0, 1.5].
    """

    def __init__(self, features: Tensor, grid_step: float = 0.75) -> None:
        assert 0 < grid_step <= 1.5, 'grid_step must be in (0, 1.5]'
        feats = features / grid_step
        feats = feats - feats.amin(dim=1, keepdim=True)
        floor = feats.floor()
        frac = feats - floor
        floor = floor.long()
        # Vertices 0 .. max(floor) + 1 per axis, shared by the batch.
        self.sizes = [int(s) + 2 for s in floor.amax(dim=(0, 1)).tolist()]
        self.cells = math.prod(self.sizes)
        self.index, self.weight = self._corners(floor, frac)
        self.kernels, self.self_affinity = self._kernels(frac, grid_step)

    def _corners(self, floor: Tensor, frac: Tensor) -> Tuple[Tensor, Tensor]:
        """Flat grid indices and multilinear weights of the 2^D corners.

        Returns:
            tuple[Tensor, Tensor]: index (B, N * 2^D) into a (B * cells)
            buffer and weights (B, N, 2^D).
        """
        b, n, dims = floor.shape
        index = torch.arange(b, device=floor.device).view(b, 1, 1) * \
            self.cells
        weight = floor.new_ones((b, n, 1), dtype=frac.dtype)
        stride = self.cells
        for d in range(dims):
            stride //= self.sizes[d]
            lo = floor[..., d, None]
            idx_d = torch.cat((lo, lo + 1), dim=2) * stride
            u = frac[..., d, None]
            w_d = torch.cat((1 - u, u), dim=2)
            index = (index.unsqueeze(-1) + idx_d.unsqueeze(2)).flatten(2)
            weight = (weight.unsqueeze(-1) * w_d.unsqueeze(2)).flatten(2)
        return index.flatten(1), weight

    def _kernels(self, frac: Tensor,
                 grid_step: float) -> Tuple[List[Tensor], Tensor]:
        """Per-axis Gaussian blur matrices and the self affinity
        :math:`\\tilde W_{ii}`.

        Returns:
            tuple[list[Tensor], Tensor]: D matrices (L_d, L_d) and (B, N)
            self affinities.
        """
        var_frac = 1 - grid_step**2 / 3  # reduced variance / target variance
        amplitude = var_frac**-0.5
        kernels = []
        for size in self.sizes:
            k = torch.arange(size, device=frac.device, dtype=frac.dtype)
            dist2 = (k[:, None] - k[None, :]).square() * grid_step**2
            kernel = torch.exp(-dist2 / (2 * var_frac))
            # Truncate at ~7 deviations: no denormal floats (slow on CPUs).
            kernels.append(amplitude * kernel * (kernel > 1e-12))
        # Per axis: (1-u)^2 K0 + u^2 K0 + 2u(1-u) K1, with K0 = K(0).
        k1 = math.exp(-grid_step**2 / (2 * var_frac))
        cross = 2 * frac * (1 - frac)
        self_affinity = (amplitude * (1 - cross * (1 - k1))).prod(dim=2)
        return kernels, self_affinity

    def _blur(self, grid: Tensor) -> Tensor:
        """Separable Gaussian over the D grid axes of a flat (M, cells)
        grid: per axis, a (P, Q, L) layout times the symmetric (L, L)
        matrix, which torch runs as one matrix product (a broadcast
        ``kernel @ (P, L, Q)`` would copy the kernel P times)."""
        inner = self.cells
        for size, kernel in zip(self.sizes, self.kernels):
            inner //= size
            grid = grid.reshape(-1, size, inner).transpose(1, 2) @ kernel
            grid = grid.transpose(1, 2)
        return grid.reshape(-1, self.cells)

    def apply(self, values: Tensor) -> Tensor:
        """Compute :math:`\\tilde W v` (self term included).

        Args:
            values (Tensor): (B, C, N) per-pixel values.

        Returns:
            Tensor: (B, C, N) filtered values.
        """
        b, c, n = values.shape
        corners = self.weight.shape[-1]
        # Channels become extra batch entries sharing the same indices.
        src = (values.unsqueeze(-1) * self.weight.unsqueeze(1))
        src = src.transpose(0, 1).reshape(c, -1)
        index = self.index.reshape(1, -1).expand(c, -1)
        grid = values.new_zeros(c, b * self.cells).scatter_add(1, index, src)
        grid = self._blur(grid.view(c * b, self.cells))
        sliced = grid.reshape(c, -1).gather(1, index)
        sliced = sliced.view(c, b, n, corners).transpose(0, 1)
        return (sliced * self.weight.unsqueeze(1)).sum(-1)


def crf_energy(x: Tensor,
               image: Tensor,
               sigma_rgb: float = 15.,
               sigma_xy: float = 100.,
               grid_step: float = 0.75) -> Tensor:
    """Relaxed DenseCRF energy :math:`2 x^\\top W (1 - x)` (zero diagonal)
    through a bilateral grid: linear in the pixel count, no N x N tensor.

    Args:
        x (Tensor): Probabilities of shape (B, C, H, W); channels are summed.
        image (Tensor): (B, K, H, W) colour image (0..255 for the default
            ``sigma_rgb``). It carries no gradient.
        sigma_rgb (float): Colour deviation. Defaults to 15.
        sigma_xy (float): Spatial deviation in pixels of ``x``. Defaults to
            100.
        grid_step (float): Grid vertex spacing in deviations; smaller is
            more accurate and slower. Defaults to 0.75.

    Returns:
        Tensor: Energies of shape (B, ), differentiable w.r.t. ``x``.
    """
    assert x.shape[0] == image.shape[0] and x.shape[2:] == image.shape[2:], (
        f'x {tuple(x.shape)} and image {tuple(image.shape)} must share the '
        'batch and spatial sizes')
    with torch.no_grad():
        grid = BilateralGrid(
            _pixel_features(image, sigma_rgb, sigma_xy), grid_step)
    v = x.flatten(2).float()
    filtered = grid.apply(1 - v)
    self_term = grid.self_affinity.unsqueeze(1) * (1 - v)
    return 2 * (v * (filtered - self_term)).sum(dim=(1, 2))


@MODELS.register_module()
class DenseCRFLoss(nn.Module):
    """CRF loss of MGNet (TIP 2021, eq. 4): Tang et al.'s relaxed DenseCRF
    (Potts) energy of a text probability map under a colour + position
    Gaussian affinity, on a down-scaled image and prediction.

    The loss of one sample is :math:`E(x) / (N \\cdot m)`, where E is the
    energy of :func:`crf_energy` on the ``scale_factor``-resized prediction
    (bilinear) and image, N that map's pixel count and m a normaliser:
    ``normalize='pixels'`` gives :math:`m = 1` (energy per pixel);
    ``normalize='kernel'`` gives :math:`m = 2 \\pi s_{xy}'^2`, the mass of
    the spatial Gaussian at the evaluated scale, so that the loss lies in
    about [0, 0.5] whatever the resolution, ``scale_factor`` or ``sigma_xy``
    (the per-pixel energy itself grows with the number of neighbours,
    :math:`\\approx 2 \\pi s_{xy}'^2`, up to ~10^4 at the defaults). As in
    Tang et al., ``sigma_xy`` is given in pixels of the prediction and is
    multiplied by the resize factor. See the module docstring for the
    bilateral-grid approximation.

    Args:
        loss_weight (float): Multiplier of the loss (MGNet: 0.1). Defaults
            to 1.0.
        sigma_rgb (float): Colour deviation, for 0..255 colours. Defaults to
            15 (Tang et al.).
        sigma_xy (float): Spatial deviation in pixels of the prediction.
            Defaults to 100 (Tang et al.'s DeepLab setting).
        scale_factor (float): Resize factor applied before the energy.
            Defaults to 0.5 (Tang et al.).
        grid_step (float): Bilateral-grid vertex spacing in deviations.
            Defaults to 0.75.
        normalize (str): ``'kernel'`` or ``'pixels'``, see above. Defaults
            to ``'kernel'``.
        img_mean (Sequence[float], optional): If the image given to
            ``forward`` was normalised by the data preprocessor, its mean;
            the loss de-normalises ``image * std + mean`` back to 0..255.
            None (default): the image is already in 0..255.
        img_std (Sequence[float], optional): The preprocessor's std, used
            with ``img_mean``.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 sigma_rgb: float = 15.,
                 sigma_xy: float = 100.,
                 scale_factor: float = 0.5,
                 grid_step: float = 0.75,
                 normalize: str = 'kernel',
                 img_mean: Optional[Sequence[float]] = None,
                 img_std: Optional[Sequence[float]] = None) -> None:
        super().__init__()
        assert normalize in ('kernel', 'pixels'), normalize
        assert (img_mean is None) == (img_std is None), (
            'img_mean and img_std go together')
        self.loss_weight = loss_weight
        self.sigma_rgb = sigma_rgb
        self.sigma_xy = sigma_xy
        self.scale_factor = scale_factor
        self.grid_step = grid_step
        self.normalize = normalize
        self.img_mean = None if img_mean is None else tuple(img_mean)
        self.img_std = None if img_std is None else tuple(img_std)

    def _prepare(self, pred: Tensor, image: Tensor) -> Tuple[Tensor, Tensor]:
        """De-normalise the image and resize both to the evaluated size."""
        image = image.detach().float()
        if self.img_mean is not None:
            mean = image.new_tensor(self.img_mean).view(1, -1, 1, 1)
            std = image.new_tensor(self.img_std).view(1, -1, 1, 1)
            image = image * std + mean
        h, w = pred.shape[-2:]
        size = (max(1, round(h * self.scale_factor)),
                max(1, round(w * self.scale_factor)))
        pred = pred.float()
        if size != (h, w):
            pred = F.interpolate(
                pred, size=size, mode='bilinear', align_corners=False)
        if image.shape[-2:] != size:
            image = F.interpolate(
                image, size=size, mode='bilinear', align_corners=False)
        return pred, image

    def forward(self,
                pred: Tensor,
                image: Tensor,
                weight: SampleWeight = None) -> Tensor:
        """Compute the loss.

        Args:
            pred (Tensor): Text probabilities of shape (B, 1, H, W).
            image (Tensor): (B, 3, H', W') image, RGB or BGR in 0..255 (or
                normalised, see ``img_mean``); resized to the evaluated size.
            weight (Tensor or list, optional): Per-sample indicator / weight
                (B, ) of the samples the loss applies to: in MGNet the
                outputs WITHOUT ground truth, i.e. ``1 - l_kappa``. None:
                all samples apply.

        Returns:
            Tensor: ``loss_weight`` times the mean loss over the applicable
            samples; a graph-connected 0 when none applies. Only the
            applicable samples are evaluated.
        """
        assert pred.dim() == 4 and image.dim() == 4, 'expect B x C x H x W'
        if weight is None:
            weight = pred.new_ones(pred.shape[0])
        weight = torch.as_tensor(weight, device=pred.device).float().flatten()
        keep = weight > 0
        if not bool(keep.any()):
            return graph_zero(pred)
        x, img = self._prepare(pred[keep], image[keep])
        sigma_xy = self.sigma_xy * x.shape[-2] / pred.shape[-2]
        # Grid sums reach ~N: keep them out of float16 under mixed precision.
        with torch.autocast(device_type=x.device.type, enabled=False):
            energy = crf_energy(x, img, self.sigma_rgb, sigma_xy,
                                self.grid_step)
        norm = x.shape[-2] * x.shape[-1]
        if self.normalize == 'kernel':
            norm *= 2 * math.pi * sigma_xy**2
        per_sample = energy / norm
        return self.loss_weight * sample_weighted_mean(
            per_sample, weight[keep], pred)
