"""Time an MGNet stage-2 training step and its CRF loss in the same run.

The CRF loss (eq. 4) must cost a small fraction of a training step. This
builds MGNet from a config, runs stage-2 training steps (phase 1 + phase 2,
SoftIoU + subset + CRF losses, backward, Adam step) on random inputs where
half of the samples lack pixel-level ground truth (so the CRF applies to
their pixel outputs and to no polygon output), and times the CRF loss calls
of such a step (forward + backward) on the step's own outputs. It prints
both medians and their ratio.

Example (the paper's widths at its input size)::

    python tools/analysis_tools/benchmark_mgnet_step.py \
        configs/textseg/mgnet/_base_mgnet_vgg.py --size 512 --batch 2
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import statistics
from typing import List, Tuple


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='A config with an MGNet model')
    parser.add_argument('--size', type=int, default=512, help='Input side')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
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
from mmengine.structures import PixelData

import mmtextknow  # noqa: F401
from mmocr.registry import MODELS
from mmtextknow.models.textseg.mgnet import MGNet
from mmtextknow.structures import TextSegDataSample
from mmtextknow.utils import time_callable
from mmtextknow.utils.timing import benchmark_device


def random_batch(batch: int, size: int, device: torch.device
                 ) -> Tuple[torch.Tensor, List[TextSegDataSample]]:
    """Normalised random images and samples; odd samples lack pixel GT."""
    gen = torch.Generator().manual_seed(0)
    inputs = torch.randn(batch, 3, size, size, generator=gen).to(device)
    samples = []
    for index in range(batch):
        meta = dict(has_pixel_mask=index % 2 == 0, has_polygon_mask=True,
                    img_shape=(size, size), ori_shape=(size, size),
                    batch_input_shape=(size, size))
        sample = TextSegDataSample(metainfo=meta)
        polygon = torch.zeros(1, size, size, dtype=torch.uint8)
        polygon[:, size // 4:size // 2, size // 8:size * 7 // 8] = 1
        strokes = torch.rand(1, size, size, generator=gen) > 0.6
        sample.gt_polygon_mask = PixelData(data=polygon.to(device))
        sample.gt_pixel_mask = PixelData(
            data=(polygon * strokes).to(device))
        samples.append(sample)
    return inputs, samples


def main() -> None:
    args = parse_args()
    device = benchmark_device(args.device, args.threads)
    init_default_scope('mmocr')
    model: MGNet = MODELS.build(Config.fromfile(args.config).model)
    model.to(device).train()
    model.stage2 = True
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-5)
    inputs, samples = random_batch(args.batch, args.size, device)

    def train_step():
        optimizer.zero_grad()
        sum(model.loss(inputs, samples).values()).backward()
        optimizer.step()

    outputs = model.run_phases(inputs)
    lacks_pixel = torch.tensor(
        [not s.has_pixel_mask for s in samples], device=device)
    pixel_outputs = [o.detach().requires_grad_() for o in outputs.pixel]

    def crf_of_step():
        loss = sum(model.crf_loss(o, inputs, lacks_pixel)
                   for o in pixel_outputs)
        loss.backward()

    step_times = time_callable(train_step, args.repeats, args.warmup, device,
                               label='step')
    crf_times = time_callable(crf_of_step, args.repeats, args.warmup, device,
                              label='crf')
    step_s, crf_s = statistics.median(step_times), statistics.median(crf_times)
    params = sum(p.numel() for p in model.parameters()) / 1e6
    print(f'MGNet ({params:.1f} M parameters) stage-2 training step, batch '
          f'{args.batch}, {args.size}x{args.size}, {device}, '
          f'{torch.get_num_threads()} CPU threads, median of {args.repeats} '
          f'after {args.warmup} warm-up')
    print(f'  training step:               {step_s * 1e3:10.1f} ms')
    print(f'  CRF loss of the step (fwd+bwd, {len(pixel_outputs)} outputs): '
          f'{crf_s * 1e3:10.1f} ms')
    print(f'  CRF share of a step:         {crf_s / step_s:10.1%}')


if __name__ == '__main__':
    main()
