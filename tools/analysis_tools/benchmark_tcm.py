"""Time TCM-DBNet next to plain DBNet-R50: inference and a training step.

Builds both models from their configs with random weights (the speed does
not depend on them: ``init_weights`` is never called and the backbones'
``init_cfg`` is nulled, so nothing is downloaded and no CLIP file is
needed) and measures, in the same run, on the same inputs for both models:

- inference latency (``model.eval()``, ``torch.no_grad()``) at ``--size``
  (default 1024 x 1824: the ICDAR 2015 test size of both default configs,
  whose test pipeline resizes the 1280 x 720 images to 1820 x 1024, padded
  to 1824 by the data preprocessor): ``model._forward(inputs)``, i.e.
  backbone, (TCM's prompt maps,) neck and head up to the head's raw
  outputs, WITHOUT the postprocessor (the polygon extraction;
  ``--with-postprocess`` times ``model.predict`` instead, which adds it,
  and gives it its own row); FPS is ``--batch / median latency``;
- one training step (``model.train()``; left out with ``--no-train``) at
  ``--train-size`` (default 640 x 640, the training crops):
  ``model.loss`` on ``--train-batch``
  images, ``parse_losses``, backward and an optimizer step, through the
  optim wrapper built from the config's ``optim_wrapper`` with mmengine's
  ``build_optim_wrapper`` (so TCM's parameter groups and Adam, DBNet's
  SGD);
- the breakdown of each model's inference by module, each module run on
  the real output of the previous one: ``backbone``, TCM's
  ``prompt_maps`` (on C5: attention pooling, language prompt + text
  encoder, visual prompt, context decoder and the score map; the indented
  rows under it are parts of it, not added to the sum: ``attention pool``
  is ``backbone.embed`` with full-attention dense embeddings (all tokens
  as queries), ``(value path instead)`` the same call with
  ``dense_mode='value'``, i.e. what the cheaper MaskCLIP-style dense path
  would cost, and ``text encoder`` is ``model.encode_text``), ``neck``
  (for TCM incl. the concatenation of the score map onto C5) and
  ``head`` (the head's raw outputs). The sum of the modules is shown next
  to the whole-model time (they differ by the Python glue and timing
  noise).

Inputs are generated: a seeded random normalised image tensor (the data
preprocessor is not timed) and, for the loss and the postprocessor,
``TextDetDataSample`` s with a few random rotated quadrilaterals
(``gt_instances.polygons`` float32 arrays, one of them ``ignored``) and
the ``img_shape`` / ``pad_shape`` / ``batch_input_shape`` metainfo.

All measurements are taken in the same rounds: ``--warmup`` untimed rounds,
then ``--repeats`` timed rounds that each call, in turn, TCM's and then
DBNet's whole-model inference and modules, then TCM's and DBNet's training
step; medians over the rounds are reported, with the ratios TCM / DBNet.
On a shared machine a slow period then hits both models alike. Switching a
model between ``train()`` and ``eval()`` is inside the timed call (well
under a millisecond). CUDA is synchronised around every timed call. With
random weights the postprocessor's time is not representative of a trained
model's (it depends on how many regions pass the thresholds).

Examples (the paper's TCM-DBNet against MMOCR's DBNet-R50): inference at
the test size and a training step on 640 x 640 crops; inference alone;
both at 640 x 640::

    python tools/analysis_tools/benchmark_tcm.py --device cpu --threads 2 \\
        --repeats 3 --warmup 1 --json work_dirs/tcm_benchmark.json
    python tools/analysis_tools/benchmark_tcm.py --device cpu --threads 2 \\
        --repeats 3 --warmup 1 --no-train
    python tools/analysis_tools/benchmark_tcm.py --device cpu --threads 2 \\
        --repeats 5 --warmup 1 --size 640 640
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import json
import os.path as osp
import statistics
from typing import Callable, Dict, List, Optional, Sequence, Tuple

DEFAULT_TCM_CONFIG = (
    'configs/textdet/tcm/tcm-dbnet_clip-rn50_fpnc_1200e_icdar2015.py')

DEFAULT_DBNET_CONFIG = 'mmocr::textdet/dbnet/dbnet_resnet50_1200e_icdar2015.py'


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--tcm-config', default=DEFAULT_TCM_CONFIG,
                        help='A config with a TCM model (TCM-DBNet)')
    parser.add_argument('--dbnet-config', default=DEFAULT_DBNET_CONFIG,
                        help='The plain detector\'s config (mmocr::... '
                        'accepted)')
    parser.add_argument('--size', type=int, nargs=2, default=[1024, 1824],
                        metavar=('H', 'W'),
                        help='Inference input height and width, multiples '
                        'of 32 (default: the ICDAR 2015 test size, '
                        '%(default)s)')
    parser.add_argument('--train-size', type=int, nargs=2,
                        default=[640, 640], metavar=('H', 'W'),
                        help='Training-step input height and width, '
                        'multiples of 32 (default: the training crops, '
                        '%(default)s)')
    parser.add_argument('--batch', type=int, default=1,
                        help='Images per inference call')
    parser.add_argument('--train-batch', type=int, default=2,
                        help='Images per training step')
    parser.add_argument('--repeats', type=int, default=10,
                        help='Timed rounds (medians reported)')
    parser.add_argument('--warmup', type=int, default=2,
                        help='Untimed rounds first')
    parser.add_argument('--device', default=None,
                        help='cpu or cuda (default: cuda when available)')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch\'s choice)')
    parser.add_argument('--no-train', action='store_true',
                        help='Time inference only (no training step)')
    parser.add_argument('--with-postprocess', action='store_true',
                        help='Time model.predict (incl. the postprocessor) '
                        'as the inference instead of model._forward')
    parser.add_argument('--json', metavar='OUT', default=None,
                        help='Also write the results to this JSON file')
    args = parser.parse_args(argv)
    for option, size in (('--size', args.size),
                         ('--train-size', args.train_size)):
        if any(side <= 0 or side % 32 for side in size):
            parser.error(f'{option} must be positive multiples of 32, got '
                         f'{size}')
    if min(args.batch, args.train_batch, args.repeats) < 1 or \
            args.warmup < 0:
        parser.error('--batch, --train-batch and --repeats must be >= 1, '
                     '--warmup >= 0')
    return args


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from mmengine.utils import get_installed_path
from torch import Tensor, nn

import mmtextknow  # noqa: F401  (registers TCM)
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmtextknow.utils import run_cli
from mmtextknow.utils.timing import (benchmark_device, device_name,
                                     num_params, time_interleaved)

NAMES = ('TCM', 'DBNet')
SEED = 0
NUM_POLYGONS = 4

# A timed module: its row name, the module (for its parameters), the call
# on its real input and whether it counts in the sum of the modules.
Stage = Tuple[str, Optional[nn.Module], Callable[[], object], bool]


def resolve_config(path: str) -> str:
    """A local config path, or ``package::rel/path.py`` in the package's
    ``.mim/configs``."""
    if '::' in path and not osp.isfile(path):
        package, rel = path.split('::', 1)
        path = osp.join(get_installed_path(package), '.mim', 'configs', rel)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: config not found')
    return path


def build_model(path: str, required: Sequence[str]
                ) -> Tuple[nn.Module, Config]:
    """The config's model with random weights (no ``init_weights``, the
    backbone's ``init_cfg`` nulled) and the config."""
    cfg = Config.fromfile(resolve_config(path))
    if cfg.model.get('backbone') is not None:
        cfg.model.backbone['init_cfg'] = None
    model = MODELS.build(cfg.model)
    missing = [name for name in required if not hasattr(model, name)]
    if missing:
        sys.exit(f'error: {path}: the model ({type(model).__name__}) has no '
                 f'{", ".join(missing)}')
    return model, cfg


def random_quad(rng: np.random.Generator, height: int,
                width: int) -> np.ndarray:
    """A rotated rectangle inside the image, as 8 float32 coordinates."""
    centre = (rng.uniform(0.25, 0.75) * width,
              rng.uniform(0.25, 0.75) * height)
    size = (rng.uniform(0.1, 0.35) * width, rng.uniform(0.04, 0.12) * height)
    corners = cv2.boxPoints((centre, size, rng.uniform(-30., 30.)))
    corners[:, 0] = corners[:, 0].clip(0, width - 1)
    corners[:, 1] = corners[:, 1].clip(0, height - 1)
    return corners.reshape(-1).astype(np.float32)


def make_data_samples(batch: int, hw: Tuple[int, int],
                      rng: np.random.Generator,
                      num_polygons: int = NUM_POLYGONS
                      ) -> List[TextDetDataSample]:
    """Samples with random quadrilaterals (the last one ignored)."""
    height, width = hw
    samples = []
    for _ in range(batch):
        polygons = [random_quad(rng, height, width)
                    for _ in range(num_polygons)]
        points = [poly.reshape(-1, 2) for poly in polygons]
        instances = InstanceData()
        instances.polygons = polygons
        instances.bboxes = torch.tensor(
            [[*pts.min(0), *pts.max(0)] for pts in points],
            dtype=torch.float32)
        instances.labels = torch.zeros(num_polygons, dtype=torch.long)
        instances.ignored = torch.tensor(
            [False] * (num_polygons - 1) + [True], dtype=torch.bool)
        sample = TextDetDataSample(metainfo=dict(
            img_shape=(height, width), ori_shape=(height, width),
            pad_shape=(height, width), batch_input_shape=(height, width),
            scale_factor=(1., 1.)))
        sample.gt_instances = instances
        samples.append(sample)
    return samples


def tcm_stages(model: nn.Module, inputs: Tensor) -> List[Stage]:
    """TCM's backbone, prompt maps (+ its text encoder alone), neck and
    head, each bound to its real input (run once here, no grad)."""
    feats = model.backbone(inputs)
    c5 = feats[-1]
    global_embedding, _ = model.backbone.embed(c5)
    score = model.prompt_maps(c5)['score_map']
    neck_in = tuple(feats[:-1]) + (torch.cat([c5, score], dim=1), )
    neck_out = model.neck(neck_in)

    def neck() -> object:
        return model.neck(
            tuple(feats[:-1]) + (torch.cat([c5, score], dim=1), ))

    def embed_with(mode: str) -> Callable[[], object]:
        def call() -> object:
            saved = model.backbone.dense_mode
            model.backbone.dense_mode = mode
            try:
                return model.backbone.embed(c5)
            finally:
                model.backbone.dense_mode = saved
        return call

    attnpool = model.backbone.visual.attnpool
    return [
        ('backbone', model.backbone, lambda: model.backbone(inputs), True),
        ('prompt_maps', tcm_prompt_modules(model),
         lambda: model.prompt_maps(c5), True),
        ('  attention pool', attnpool, embed_with('attention'), False),
        ('  (value path instead)', attnpool, embed_with('value'), False),
        ('  text encoder', model.text_encoder,
         lambda: model.encode_text(global_embedding), False),
        ('neck (+ score concat)', model.neck, neck, True),
        ('head (raw outputs)', model.det_head,
         lambda: model.det_head(neck_out, None), True),
    ]


def dbnet_stages(model: nn.Module, inputs: Tensor) -> List[Stage]:
    """The detector's backbone, neck and head on their real inputs."""
    feats = model.backbone(inputs)
    neck_out = model.neck(feats) if model.with_neck else feats
    stages = [('backbone', model.backbone, lambda: model.backbone(inputs),
               True)]
    if model.with_neck:
        stages.append(('neck', model.neck, lambda: model.neck(feats), True))
    stages.append(('head (raw outputs)', model.det_head,
                   lambda: model.det_head(neck_out, None), True))
    return stages


def tcm_prompt_modules(model: nn.Module) -> nn.ModuleList:
    """TCM's modules outside the backbone, neck and head (text encoder,
    prompt, generators, context decoder, matching), for their parameter
    count; the attention pooling used by ``prompt_maps`` is counted in the
    backbone."""
    return nn.ModuleList(
        module for module in (
            getattr(model, name, None)
            for name in ('text_encoder', 'text_prompt', 'language_prompt',
                         'visual_prompt', 'context_decoder', 'matching'))
        if module is not None)


class Bench:
    """One model's timed calls: inference, its stages, a training step."""

    def __init__(self, name: str, source: str, model: nn.Module,
                 cfg: Config, device: torch.device, infer_inputs: Tensor,
                 infer_samples: List[TextDetDataSample], train_inputs: Tensor,
                 train_samples: List[TextDetDataSample],
                 with_postprocess: bool, with_train: bool = True) -> None:
        self.name, self.source, self.model = name, source, model
        self.with_postprocess = with_postprocess
        model.to(device).eval()
        self.optim_wrapper = (build_optim_wrapper(model, cfg.optim_wrapper)
                              if with_train else None)
        make = tcm_stages if hasattr(model, 'prompt_maps') else dbnet_stages
        with torch.no_grad():
            self.stages = make(model, infer_inputs)
            if with_postprocess:
                head_out = model._forward(infer_inputs)
                self.stages.append((
                    'postprocess', None,
                    lambda: model.det_head.postprocessor(
                        head_out, infer_samples), True))
        self.infer_inputs, self.infer_samples = infer_inputs, infer_samples
        self.train_inputs, self.train_samples = train_inputs, train_samples
        self.last_losses: Dict[str, float] = {}

    def infer(self) -> object:
        self.model.eval()
        with torch.no_grad():
            if self.with_postprocess:
                return self.model.predict(self.infer_inputs,
                                          self.infer_samples)
            return self.model._forward(self.infer_inputs)

    def stage_calls(self) -> List[Callable[[], object]]:
        def wrap(fn):
            def call():
                self.model.eval()
                with torch.no_grad():
                    return fn()
            return call
        return [wrap(fn) for _, _, fn, _ in self.stages]

    def train_step(self) -> None:
        self.model.train()
        losses = self.model.loss(self.train_inputs, self.train_samples)
        loss, log_vars = self.model.parse_losses(losses)
        self.optim_wrapper.update_params(loss)
        self.last_losses = {k: float(torch.as_tensor(v).detach())
                            for k, v in log_vars.items()}

    def summarise(self, infer_times: List[float],
                  stage_times: List[List[float]],
                  train_times: Optional[List[float]], batch: int,
                  train_batch: int) -> dict:
        """Medians and the module rows; the training entries are None
        without training times."""
        infer_s = statistics.median(infer_times)
        train_s = statistics.median(train_times) if train_times else None
        rows = [dict(module=name.strip(), params_m=num_params(module),
                     median_ms=statistics.median(times) * 1e3,
                     share=statistics.median(times) / infer_s,
                     in_sum=in_sum)
                for (name, module, _, in_sum), times in zip(self.stages,
                                                            stage_times)]
        modules_sum_ms = sum(r['median_ms'] for r in rows if r['in_sum'])
        result = dict(
            config=self.source,
            params_m=num_params(self.model),
            inference_ms=infer_s * 1e3,
            inference_times_ms=[t * 1e3 for t in infer_times],
            fps=batch / infer_s,
            train_step_ms=None if train_s is None else train_s * 1e3,
            train_step_times_ms=[t * 1e3 for t in train_times or ()],
            train_images_per_s=(None if train_s is None else
                                train_batch / train_s),
            modules=rows,
            modules_sum_ms=modules_sum_ms,
            last_losses=self.last_losses)
        if hasattr(self.model, 'prompt_maps'):
            result['tcm_modules_params_m'] = num_params(
                tcm_prompt_modules(self.model))
        return result


def measure(benches: List[Bench], repeats: int, warmup: int,
            device: torch.device, batch: int, train_batch: int,
            with_train: bool = True) -> Dict[str, dict]:
    """Interleaved rounds: each model's inference and stages, then (with
    ``with_train``) each model's training step."""
    calls = []
    for bench in benches:
        calls += [bench.infer] + bench.stage_calls()
    if with_train:
        calls += [bench.train_step for bench in benches]
    times = time_interleaved(calls, repeats, warmup, device, label='tcm')
    train_times = (times[-len(benches):] if with_train else
                   [None] * len(benches))
    results = {}
    for index, bench in enumerate(benches):
        count = 1 + len(bench.stages)
        results[bench.name] = bench.summarise(
            times[0], times[1:count], train_times[index], batch,
            train_batch)
        times = times[count:]
    return results


def ratios(results: Dict[str, dict]) -> Dict[str, float]:
    """TCM / DBNet of the medians (FPS: of the FPS, i.e. the inverse);
    ``train_step`` is None when no training step was timed."""
    tcm, dbnet = results['TCM'], results['DBNet']
    trained = tcm['train_step_ms'] is not None
    return dict(
        inference_latency=tcm['inference_ms'] / dbnet['inference_ms'],
        fps=tcm['fps'] / dbnet['fps'],
        train_step=(tcm['train_step_ms'] / dbnet['train_step_ms']
                    if trained else None))


def format_tables(results: Dict[str, dict], ratio: Dict[str, float],
                  args: argparse.Namespace) -> str:
    """The module breakdown, then the whole-model summary with ratios."""
    infer_what = ('predict, incl. postprocess' if args.with_postprocess
                  else '_forward, no postprocess')
    lines = [f'{"model":<7}{"inference module":<24}{"params (M)":>11}'
             f'{"median ms":>11}{"share":>8}']
    lines.append('-' * len(lines[0]))
    for name, res in results.items():
        for row in res['modules']:
            label = row['module'] if row['in_sum'] else f'  {row["module"]}'
            lines.append(f'{name:<7}{label:<24}{row["params_m"]:>11.2f}'
                         f'{row["median_ms"]:>11.1f}{row["share"]:>8.1%}')
        lines.append(f'{name:<7}{"(sum of modules)":<24}{"":>11}'
                     f'{res["modules_sum_ms"]:>11.1f}'
                     f'{res["modules_sum_ms"] / res["inference_ms"]:>8.1%}')
        lines.append(f'{name:<7}{"whole model":<24}{res["params_m"]:>11.2f}'
                     f'{res["inference_ms"]:>11.1f}{1:>8.1%}')
    lines.append('')
    head = f'{"":<42}{"TCM":>12}{"DBNet":>12}{"TCM/DBNet":>11}'
    lines += [head, '-' * len(head)]
    tcm, dbnet = results['TCM'], results['DBNet']
    for label, key, fmt, rkey in (
            (f'inference ms ({infer_what})', 'inference_ms', '.1f',
             'inference_latency'),
            (f'inference FPS (batch {args.batch})', 'fps', '.2f', 'fps'),
            (f'train step ms (batch {args.train_batch})', 'train_step_ms',
             '.1f', 'train_step')):
        if ratio[rkey] is None:
            continue
        lines.append(f'{label:<42}{tcm[key]:>12{fmt}}{dbnet[key]:>12{fmt}}'
                     f'{ratio[rkey]:>10.2f}x')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    args = parse_args(argv)
    device = benchmark_device(args.device, args.threads)
    init_default_scope('mmocr')
    # the current logger: warnings only (no per-parameter lines from the
    # optim wrapper constructor between the results)
    if MMLogger.check_instance_created('benchmark_tcm'):
        MMLogger.get_instance('benchmark_tcm')  # make it current again
    else:
        MMLogger.get_instance('benchmark_tcm', log_level='WARNING')
    for path in (args.tcm_config, args.dbnet_config):  # fail before building
        resolve_config(path)
    torch.manual_seed(SEED)
    tcm, tcm_cfg = build_model(args.tcm_config, ('prompt_maps', 'neck'))
    dbnet, dbnet_cfg = build_model(args.dbnet_config, ('backbone',
                                                       'det_head'))
    hw, train_hw = tuple(args.size), tuple(args.train_size)
    gen = torch.Generator().manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    infer_inputs = torch.randn(args.batch, 3, *hw, generator=gen).to(device)
    train_inputs = torch.randn(args.train_batch, 3, *train_hw,
                               generator=gen).to(device)
    infer_samples = make_data_samples(args.batch, hw, rng)
    train_samples = make_data_samples(args.train_batch, train_hw, rng)
    benches = [
        Bench(name, source, model, cfg, device, infer_inputs, infer_samples,
              train_inputs, train_samples, args.with_postprocess,
              with_train=not args.no_train)
        for name, source, model, cfg in (
            ('TCM', args.tcm_config, tcm, tcm_cfg),
            ('DBNet', args.dbnet_config, dbnet, dbnet_cfg))
    ]
    results = measure(benches, args.repeats, args.warmup, device,
                      args.batch, args.train_batch,
                      with_train=not args.no_train)
    ratio = ratios(results)

    print(f'device: {device_name(device)}, torch threads: '
          f'{torch.get_num_threads()}, inference input {hw[0]} x {hw[1]} '
          f'(batch {args.batch}), training input {train_hw[0]} x '
          f'{train_hw[1]} (batch {args.train_batch}); median '
          f'of {args.repeats} interleaved rounds after {args.warmup} '
          f'warm-up; random weights'
          f'{"; no training step" if args.no_train else ""}')
    for name, res in results.items():
        extra = (f' ({res["tcm_modules_params_m"]:.2f} M in TCM\'s text '
                 f'encoder, prompts and decoders)'
                 if 'tcm_modules_params_m' in res else '')
        print(f'{name}: {res["config"]}, {res["params_m"]:.2f} M '
              f'parameters{extra}')
    print(format_tables(results, ratio, args))

    summary = dict(
        device=device_name(device),
        threads=torch.get_num_threads(),
        size=list(hw),
        train_size=list(train_hw),
        batch=args.batch,
        train_batch=args.train_batch,
        repeats=args.repeats,
        warmup=args.warmup,
        with_postprocess=args.with_postprocess,
        with_train=not args.no_train,
        models=results,
        ratios_tcm_dbnet=ratio)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(summary, indent=2))
        print(f'results written to {out}')
    return summary


if __name__ == '__main__':
    run_cli(main)
