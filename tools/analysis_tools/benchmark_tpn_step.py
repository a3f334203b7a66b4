"""Time TPN spotter training steps and the share of the RoI pooling.

Builds the spotter from a config once per variant (the RoI pooling's
``strategy`` x the recogniser's ``trn_regions``), runs full training steps
(TPN, TDN and TRN losses, backward, Adam step) on one fixed batch of random
images with word boxes and transcripts, and prints each variant's median
step time, interleaved round by round so that a slow period of a shared
machine hits every variant alike. ``--profile`` adds, per variant, the share
of one step's time spent in the RoI pooling (mmcv ``roi_align`` forward and
backward, from ``torch.profiler``).

Example (the toy config's sizes: batch 4 of 256 x 256)::

    python tools/analysis_tools/benchmark_tpn_step.py \
        configs/textspot/tpn/tpn_vgg16-x0.25_12e_toy.py --threads 2 --profile
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import copy
import itertools
import statistics
from typing import Callable, List, Tuple


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='A config with a TPNSpotter model')
    parser.add_argument('--size', type=int, default=256, help='Input side')
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--words', type=int, default=3,
                        help='Words per image')
    parser.add_argument('--strategies', nargs='+', default=['group',
                                                            'single'],
                        choices=['group', 'single'],
                        help="VaryingWidthRoIPool strategies to compare")
    parser.add_argument('--trn-regions', nargs='+', default=['positives'],
                        choices=['positives', 'gt'],
                        help="TPNSpotter trn_regions values to compare")
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--profile', action='store_true',
                        help='Also profile one step per variant')
    parser.add_argument('--device', default=None,
                        help='Default: cuda when available, else cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch\'s choice)')
    return parser.parse_args()


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from torch.profiler import ProfilerActivity, profile

import mmtextknow  # noqa: F401
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmtextknow.utils.timing import (benchmark_device, device_name,
                                     time_interleaved)

#: The vocabulary of the random transcripts.
WORDS = ('text', 'spotting', 'open', 'exit', 'cafe', 'hotel', 'stop', 'b12')


def random_batch(batch: int, size: int, words: int, device: torch.device
                 ) -> Tuple[torch.Tensor, List[TextDetDataSample]]:
    """Normalised random images and samples with ``words`` horizontal word
    boxes (height 12-20 % of the side, aspect 2-6) and transcripts."""
    gen = torch.Generator().manual_seed(0)
    inputs = torch.randn(batch, 3, size, size, generator=gen).to(device)
    samples = []
    for _ in range(batch):
        sample = TextDetDataSample(
            metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                          batch_input_shape=(size, size),
                          scale_factor=(1., 1.)))
        boxes, texts = [], []
        for _ in range(words):
            h = size * (0.12 + 0.08 * torch.rand(1, generator=gen).item())
            w = min(h * (2 + 4 * torch.rand(1, generator=gen).item()),
                    size - 1)
            x1 = (size - w) * torch.rand(1, generator=gen).item()
            y1 = (size - h) * torch.rand(1, generator=gen).item()
            boxes.append([x1, y1, x1 + w, y1 + h])
            index = torch.randint(len(WORDS), (1, ), generator=gen).item()
            texts.append(WORDS[index])
        bboxes = torch.tensor(boxes, device=device)
        sample.gt_instances = InstanceData(
            bboxes=bboxes,
            polygons=[b[[0, 1, 2, 1, 2, 3, 0, 3]].cpu().numpy()
                      for b in bboxes],
            labels=torch.zeros(words, dtype=torch.long, device=device),
            ignored=torch.zeros(words, dtype=torch.bool, device=device),
            texts=texts)
        samples.append(sample)
    return inputs, samples


def build_step(cfg: Config, strategy: str, trn_regions: str,
               inputs: torch.Tensor, samples: List[TextDetDataSample],
               device: torch.device) -> Callable[[], None]:
    """A closure running one training step of a freshly built spotter."""
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.roi_pool.strategy = strategy
    model_cfg.trn_regions = trn_regions
    model_cfg.trn_locked = False
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)  # PyTorch's default initialisation
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

    def step() -> None:
        optimizer.zero_grad()
        losses = model.loss(inputs, samples)
        loss, _ = model.parse_losses(losses)
        loss.backward()
        optimizer.step()

    return step


def roi_align_share(step: Callable[[], None], device: torch.device) -> float:
    """Share of one step's profiled time in mmcv's roi_align (fwd + bwd)."""
    activities = [ProfilerActivity.CPU]
    if device.type == 'cuda':
        activities.append(ProfilerActivity.CUDA)
    with profile(activities=activities) as prof:
        step()
    attr = ('self_device_time_total'
            if device.type == 'cuda' else 'self_cpu_time_total')
    events = prof.key_averages()
    total = sum(getattr(e, attr) for e in events)
    roi = sum(getattr(e, attr) for e in events if 'RoIAlign' in e.key)
    return roi / total if total else 0.0


def main() -> None:
    args = parse_args()
    device = benchmark_device(args.device, args.threads)
    init_default_scope('mmocr')
    cfg = Config.fromfile(args.config)
    inputs, samples = random_batch(args.batch, args.size, args.words, device)
    variants = list(itertools.product(args.strategies, args.trn_regions))
    steps = [
        build_step(cfg, strategy, regions, inputs, samples, device)
        for strategy, regions in variants
    ]
    times = time_interleaved(steps, args.repeats, args.warmup, device,
                             label='tpn')
    medians = [statistics.median(t) for t in times]
    print(f'TPN training step, batch {args.batch}, {args.size}x{args.size}, '
          f'{args.words} words per image, {device_name(device)}, '
          f'{torch.get_num_threads()} CPU threads, median of {args.repeats} '
          f'interleaved rounds after {args.warmup} warm-up')
    for (strategy, regions), step, median in zip(variants, steps, medians):
        line = (f'  roi_pool.strategy={strategy:<6} trn_regions={regions:<9}'
                f' step {median * 1e3:9.1f} ms  ({median / medians[0]:.2f}x '
                'the first row)')
        if args.profile:
            line += f'  roi_align share {roi_align_share(step, device):.1%}'
        print(line)


if __name__ == '__main__':
    main()
