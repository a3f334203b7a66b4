"""Benchmark MGNet's dense CRF loss (bilateral-grid approximation).

Times ``DenseCRFLoss`` forward + backward on synthetic 512 x 512 inputs
(smooth random colours with pixel noise, a smooth soft prediction) for each
batch size and device, reports the median over the timed runs after warm-up,
the peak CUDA memory where CUDA is used, and how large the dense N x N
affinity of the same input would be (computed, not run).

Example::

    python tools/analysis_tools/benchmark_crf_loss.py --batch-sizes 2 1

``tools/analysis_tools/benchmark_mgnet_step.py`` times a whole MGNet
training step against the CRF loss in the same run.
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import statistics


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Time the dense CRF loss (forward + backward)')
    parser.add_argument('--size', type=int, default=512, help='Input side')
    parser.add_argument(
        '--batch-sizes', type=int, nargs='+', default=[2, 1])
    parser.add_argument('--repeats', type=int, default=10,
                        help='Timed runs per setting (median reported)')
    parser.add_argument('--warmup', type=int, default=2,
                        help='Untimed runs before the timed ones')
    parser.add_argument('--devices', nargs='+', default=None,
                        help='Default: cpu, plus cuda when available')
    parser.add_argument('--scale-factor', type=float, default=0.5)
    parser.add_argument('--grid-step', type=float, default=0.75)
    parser.add_argument('--sigma-rgb', type=float, default=15.)
    parser.add_argument('--sigma-xy', type=float, default=100.)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch\'s choice)')
    return parser.parse_args()


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import torch
import torch.nn.functional as F

from mmtextknow.models.textseg.losses import DenseCRFLoss
from mmtextknow.utils.timing import time_callable

GIB = 1024**3


def synthetic_inputs(batch: int, size: int, device: torch.device,
                     seed: int = 0):
    """A smooth random colour image with pixel noise (0..255) and a smooth
    soft text probability map, both (B, C, size, size)."""
    gen = torch.Generator().manual_seed(seed)

    def smooth(channels: int, cell: int) -> torch.Tensor:
        coarse = torch.randn(batch, channels, size // cell + 2,
                             size // cell + 2, generator=gen)
        return F.interpolate(coarse, size=(size, size), mode='bicubic',
                             align_corners=False)

    image = smooth(3, 32) * 80 + 128 + 10 * torch.randn(
        batch, 3, size, size, generator=gen)
    prob = torch.sigmoid(3 * smooth(1, 16))
    return image.clamp(0, 255).to(device), prob.to(device)


def dense_affinity_gib(pixels: int, bytes_per_entry: int = 4) -> float:
    """Memory of one dense N x N float32 affinity, in GiB."""
    return pixels**2 * bytes_per_entry / GIB


def benchmark(loss: DenseCRFLoss, batch: int, size: int,
              device: torch.device, repeats: int, warmup: int) -> dict:
    """Median forward + backward time of ``loss`` on synthetic inputs."""
    image, prob = synthetic_inputs(batch, size, device)
    leaf = prob.clone().requires_grad_()

    def step():
        leaf.grad = None
        loss(leaf, image).backward()

    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
    times = time_callable(step, repeats, warmup, device, label='crf')
    result = dict(median_s=statistics.median(times), min_s=min(times))
    if device.type == 'cuda':
        result['peak_mib'] = torch.cuda.max_memory_allocated(device) / 2**20
    return result


def main() -> None:
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    devices = args.devices or (['cpu', 'cuda']
                               if torch.cuda.is_available() else ['cpu'])
    loss = DenseCRFLoss(
        sigma_rgb=args.sigma_rgb,
        sigma_xy=args.sigma_xy,
        scale_factor=args.scale_factor,
        grid_step=args.grid_step)
    evaluated = round(args.size * args.scale_factor)
    print(f'DenseCRFLoss forward+backward, {args.size}x{args.size} input, '
          f'evaluated at {evaluated}x{evaluated}, grid_step='
          f'{args.grid_step}, median of {args.repeats} runs after '
          f'{args.warmup} warm-up, torch {torch.__version__}, '
          f'{torch.get_num_threads()} CPU threads')
    for name in devices:
        device = torch.device(name)
        for batch in args.batch_sizes:
            res = benchmark(loss, batch, args.size, device, args.repeats,
                            args.warmup)
            line = (f'  {name:5s} batch {batch}: median '
                    f'{res["median_s"] * 1e3:8.1f} ms  (min '
                    f'{res["min_s"] * 1e3:.1f} ms)')
            if 'peak_mib' in res:
                line += f'  peak CUDA memory {res["peak_mib"]:.0f} MiB'
            print(line)
    print('Dense N x N float32 affinity it replaces, per image: '
          f'{dense_affinity_gib(evaluated**2):.0f} GiB at '
          f'{evaluated}x{evaluated}, '
          f'{dense_affinity_gib(args.size**2):.0f} GiB at '
          f'{args.size}x{args.size}')


if __name__ == '__main__':
    main()
