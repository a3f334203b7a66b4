"""Time ARM-Net's inference, module by module, next to a plain FCN baseline.

Builds ARM-Net (one or more configs) and an FCN baseline from their configs
(random weights: the speed does not depend on them), puts them in eval mode
and times, under ``torch.no_grad()`` on a seeded random normalised batch:

- each whole model, ``model._forward(inputs)`` (the tensor mode: logits at
  the input size, no data preprocessor, no post-processing), reported as
  the median time and FPS (batch / median seconds);
- ARM-Net's modules in sequence, each on the real output of the previous
  one: ``backbone`` (its levels: C2 and C5 at output stride 8 in the paper
  configs, C2..C5 at stride 32), ``tsm`` (on C5; when the model has one),
  ``decoder`` (the DPD, to stride-4 features), ``rem`` (only when the
  model has a REM: ``model.rem(feats) -> (enhanced_feats, attn_logits)``)
  and ``head`` (``decode_head(feats, out_shape)``, incl. the up-sampling
  to the input size); the sum of the modules is shown against the
  whole-model time (they differ by the Python glue and timing noise);
- the FCN's ``backbone``, ``neck`` (if any) and ``head`` the same way;
- the ARM-Net / FCN time ratio measured in this run and, given several
  ARM-Net configs (e.g. the output-stride-8 default and
  ``armnet_resnet50_100e_totaltext_os32.py``), each one's time over the
  first one's.

All of these are measured in the same rounds: ``--warmup`` untimed rounds,
then ``--repeats`` timed rounds that each call every whole model and every
module once, in turn; the medians over the rounds are reported. On a shared
machine a slow period then slows both models alike instead of skewing their
ratio (still, compare numbers of one run, on an otherwise idle machine).

The FCN baseline: no FCN config with ARM-Net's ResNet-50 exists (the one in
``configs/textseg/fcn`` is the ResNet-18 toy), so by default the baseline is
the first ARM-Net config's model overridden into an ``FCNTextSegmentor``:
the same backbone config (same depth, strides and output levels), no TSM
and no DPD, and the toy FCN's head (``FCNTextSegHead``: 1x1 lateral convs of
the levels summed at stride 4, one 3x3 conv-BN-ReLU with 64 channels, a 1x1
conv to the logit). ``--fcn-config`` times the model of another config
instead.

Input size: the paper does not state its test size; our textseg configs
train on 512 x 512 crops, hence the default ``--size 512``. The size must
be a multiple of 32 (the largest backbone stride).

Examples (the defaults: ResNet-50 ARM-Net and FCN, one 512 x 512 image; then
output stride 8 against 32 in one run)::

    python tools/analysis_tools/benchmark_armnet_fps.py --threads 2 \
        --repeats 3 --warmup 1 --json work_dirs/armnet_fps.json
    python tools/analysis_tools/benchmark_armnet_fps.py --threads 2 \
        --repeats 3 --warmup 1 --armnet-config \
        configs/textseg/armnet/armnet_resnet50_100e_totaltext.py \
        configs/textseg/armnet/armnet_resnet50_100e_totaltext_os32.py
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import copy
import json
import statistics
from typing import Callable, Dict, List, Optional, Tuple

DEFAULT_ARMNET_CONFIG = (
    'configs/textseg/armnet/armnet_resnet50_100e_totaltext.py')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--armnet-config', nargs='+', default=[DEFAULT_ARMNET_CONFIG],
        help='One or more configs with an ARMNet model, timed in the same '
        'rounds (rows ARM-Net, ARM-Net#2, ...; times compared with the '
        'first\'s)')
    parser.add_argument(
        '--fcn-config', default=None,
        help='A config with an FCNTextSegmentor model (default: an '
        'FCNTextSegmentor on the first ARM-Net config\'s backbone, with the '
        'toy FCN\'s head)')
    parser.add_argument(
        '--size', type=int, default=512,
        help='Input side, a multiple of 32 (default 512: the training crop '
        'of our textseg configs; the paper states no test size)')
    parser.add_argument('--batch', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=10,
                        help='Timed rounds, each calling every whole model '
                        'and module once (medians reported)')
    parser.add_argument('--warmup', type=int, default=2,
                        help='Untimed rounds first')
    parser.add_argument('--device', default=None,
                        help='Default: cuda when available, else cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch\'s choice)')
    parser.add_argument('--json', metavar='OUT', default=None,
                        help='Also write the results to this JSON file')
    args = parser.parse_args()
    if args.size <= 0 or args.size % 32:
        parser.error(f'--size must be a positive multiple of 32, got '
                     f'{args.size}')
    if args.batch < 1 or args.repeats < 1 or args.warmup < 0:
        parser.error('--batch and --repeats must be >= 1, --warmup >= 0')
    return args


if __name__ == '__main__':
    # --help and usage errors answer before the heavy imports below.
    parse_args()

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from torch import Tensor, nn

import mmtextknow  # noqa: F401  (registers the textseg models)
from mmocr.registry import MODELS
from mmtextknow.utils import run_cli
from mmtextknow.utils.timing import (benchmark_device, device_name,
                                     num_params, time_interleaved)

# Head of the derived FCN baseline: the one of
# configs/textseg/fcn/fcn_resnet18_8e_toy.py (in_channels set from the
# backbone).
BASELINE_HEAD = dict(type='FCNTextSegHead', feat_channels=64, num_convs=1)
SEED = 0

# A timed module: its row name, the module (for its parameters) and the
# call of the module on its real input.
Stage = Tuple[str, Optional[nn.Module], Callable[[], object]]
# Makes a model's stages for given inputs (armnet_stages, fcn_stages).
StageFn = Callable[[nn.Module, Tensor], List[Stage]]


def build_from_config(path: str, required: Tuple[str, ...]) -> nn.Module:
    """Build the model of the config at ``path``.

    Args:
        path (str): Config file.
        required (tuple[str]): Attributes the model must have.

    Returns:
        nn.Module: The model, with random weights.
    """
    model = MODELS.build(Config.fromfile(path).model)
    missing = [name for name in required if not hasattr(model, name)]
    if missing:
        sys.exit(f'error: {path}: the model ({type(model).__name__}) has no '
                 f'{", ".join(missing)}')
    return model


def backbone_channels(backbone_cfg: dict) -> List[int]:
    """Channels of each output level of a backbone, by a tiny forward."""
    backbone = MODELS.build(copy.deepcopy(backbone_cfg))
    backbone.eval()  # mmdet's ResNet.train() does not return the module
    with torch.no_grad():
        feats = backbone(torch.zeros(1, 3, 64, 64))
    return [feat.shape[1] for feat in feats]


def derived_fcn_config(armnet_config: str) -> dict:
    """The FCN baseline's model config from ARM-Net's: the same backbone
    and data preprocessor, :data:`BASELINE_HEAD` on all backbone levels."""
    armnet_model = Config.fromfile(armnet_config).model
    backbone = copy.deepcopy(armnet_model.backbone)
    head = dict(BASELINE_HEAD, in_channels=backbone_channels(backbone))
    return dict(
        type='FCNTextSegmentor',
        data_preprocessor=armnet_model.get('data_preprocessor'),
        backbone=backbone,
        decode_head=head,
        threshold=armnet_model.get('threshold', 0.5))


def armnet_stages(model: nn.Module, inputs: Tensor) -> List[Stage]:
    """ARM-Net's modules in sequence, each bound to its real input.

    ``backbone -> tsm (C5, if any) -> decoder -> rem (if any) -> head``; the
    sequence is run once here to get each module's input. The REM is looked
    up as ``getattr(model, 'rem', None)`` and must map the decoder's
    features to ``(enhanced_feats, attention_logits)``.
    """
    stages = []

    def add(name: str, module: nn.Module, fn: Callable[[], object]):
        stages.append((name, module, fn))
        return fn()

    feats = list(add('backbone', model.backbone,
                     lambda: model.backbone(inputs)))
    if model.tsm is not None:
        c5 = feats[-1]
        feats[-1] = add('tsm', model.tsm, lambda: model.tsm(c5))
    pyramid = tuple(feats)
    seg_feats = add('decoder', model.decoder, lambda: model.decoder(pyramid))
    rem = getattr(model, 'rem', None)
    if rem is not None:
        decoded = seg_feats
        seg_feats, _ = add('rem', rem, lambda: rem(decoded))
    out_shape = tuple(inputs.shape[-2:])
    add('head', model.decode_head,
        lambda: model.decode_head(seg_feats, out_shape))
    return stages


def fcn_stages(model: nn.Module, inputs: Tensor) -> List[Stage]:
    """The FCN's backbone, neck (if any) and head, each on its real input."""
    stages = []

    def add(name: str, module: nn.Module, fn: Callable[[], object]):
        stages.append((name, module, fn))
        return fn()

    feats = add('backbone', model.backbone, lambda: model.backbone(inputs))
    neck = getattr(model, 'neck', None)
    if neck is not None:
        backbone_feats = feats
        feats = add('neck', neck, lambda: neck(backbone_feats))
    out_shape = tuple(inputs.shape[-2:])
    add('head', model.decode_head,
        lambda: model.decode_head(feats, out_shape))
    return stages


def summarise(config: str, model: nn.Module, stages: List[Stage],
              times: List[List[float]], batch: int) -> dict:
    """Medians, shares and FPS of one model.

    Args:
        config (str): Where the model comes from.
        model (nn.Module): The model.
        stages (list): Its module stages (see :func:`armnet_stages`).
        times (list[list[float]]): Seconds of the whole model, then of each
            stage, as returned by :func:`time_interleaved`.
        batch (int): Images per call.

    Returns:
        dict: ``config``, ``params_m``, ``total_ms`` (median whole-model
        time), ``total_times_ms`` (each round's), ``fps``, ``modules``
        (rows: ``module``, ``params_m``, ``median_ms``, ``share`` of the
        whole-model median), ``modules_sum_ms`` and ``modules_sum_share``.
    """
    total_s = statistics.median(times[0])
    rows = [
        dict(module=name, params_m=num_params(module),
             median_ms=statistics.median(stage_times) * 1e3,
             share=statistics.median(stage_times) / total_s)
        for (name, module, _), stage_times in zip(stages, times[1:])
    ]
    modules_sum_ms = sum(row['median_ms'] for row in rows)
    return dict(
        config=config,
        params_m=num_params(model),
        total_ms=total_s * 1e3,
        total_times_ms=[t * 1e3 for t in times[0]],
        fps=batch / total_s,
        modules=rows,
        modules_sum_ms=modules_sum_ms,
        modules_sum_share=modules_sum_ms / (total_s * 1e3))


def format_table(results: Dict[str, dict]) -> str:
    """The per-module and whole-model rows of every model as a table."""
    lines = [f'{"model":<10}{"module":<22}{"params (M)":>11}'
             f'{"median ms":>11}{"share":>8}{"FPS":>9}']
    lines.append('-' * len(lines[0]))
    for name, res in results.items():
        for row in res['modules']:
            lines.append(f'{name:<10}{row["module"]:<22}'
                         f'{row["params_m"]:>11.2f}{row["median_ms"]:>11.1f}'
                         f'{row["share"]:>8.1%}{"":>9}')
        lines.append(f'{name:<10}{"(sum of modules)":<22}{"":>11}'
                     f'{res["modules_sum_ms"]:>11.1f}'
                     f'{res["modules_sum_share"]:>8.1%}{"":>9}')
        lines.append(f'{name:<10}{"whole model":<22}{res["params_m"]:>11.2f}'
                     f'{res["total_ms"]:>11.1f}{1:>8.1%}{res["fps"]:>9.2f}')
    return '\n'.join(lines)


def build_models(args: argparse.Namespace
                 ) -> Dict[str, Tuple[str, nn.Module, StageFn]]:
    """The ARM-Net models and the FCN baseline: by row name, their source,
    model and stage maker (``ARM-Net``, ``ARM-Net#2``, ..., then ``FCN``)."""
    init_default_scope('mmocr')
    torch.manual_seed(SEED)
    models = {}
    for i, config in enumerate(args.armnet_config):
        name = armnet_name(i)
        models[name] = (config, build_from_config(
            config, ('backbone', 'tsm', 'decoder', 'decode_head')),
                        armnet_stages)
    first = args.armnet_config[0]
    if args.fcn_config is None:
        fcn_source = f'{first} (model -> FCNTextSegmentor)'
        fcn = MODELS.build(derived_fcn_config(first))
    else:
        fcn_source = args.fcn_config
        fcn = build_from_config(args.fcn_config, ('backbone', 'decode_head'))
    models['FCN'] = (fcn_source, fcn, fcn_stages)
    return models


def armnet_name(index: int) -> str:
    """Row name of the ``index``-th ARM-Net config (``ARM-Net``, then
    ``ARM-Net#2``, ...)."""
    return 'ARM-Net' if index == 0 else f'ARM-Net#{index + 1}'


def measure(models: Dict[str, Tuple[str, nn.Module, StageFn]],
            inputs: Tensor, repeats: int, warmup: int,
            device: torch.device) -> Dict[str, dict]:
    """Time the whole models and their modules in interleaved rounds."""
    stages, calls = {}, []
    with torch.no_grad():
        for name, (_, model, make_stages) in models.items():
            model.to(device).eval()
            stages[name] = make_stages(model, inputs)
            calls.append(lambda model=model: model._forward(inputs))
            calls += [fn for _, _, fn in stages[name]]
        times = time_interleaved(calls, repeats, warmup, device,
                                 label='armnet')
    results = {}
    for name, (source, model, _) in models.items():
        count = 1 + len(stages[name])
        results[name] = summarise(source, model, stages[name],
                                  times[:count], len(inputs))
        times = times[count:]
    return results


def main() -> None:
    args = parse_args()
    device = benchmark_device(args.device, args.threads)
    models = build_models(args)
    gen = torch.Generator().manual_seed(SEED)
    inputs = torch.randn(
        args.batch, 3, args.size, args.size, generator=gen).to(device)
    results = measure(models, inputs, args.repeats, args.warmup, device)
    ratio = results['ARM-Net']['total_ms'] / results['FCN']['total_ms']
    # Each ARM-Net's time over the first one's (1 for the first).
    armnet_ratios = {
        name: results[name]['total_ms'] / results['ARM-Net']['total_ms']
        for name in map(armnet_name, range(len(args.armnet_config)))
    }

    print(f'device: {device_name(device)}, torch threads: '
          f'{torch.get_num_threads()}, input: {args.batch} x 3 x {args.size}'
          f' x {args.size}, median of {args.repeats} interleaved rounds '
          f'after {args.warmup} warm-up')
    for name, res in results.items():
        print(f'{name}: {res["config"]}, {res["params_m"]:.2f} M parameters')
    print(format_table(results))
    print(f'ARM-Net / FCN time (this run): {ratio:.2f}x')
    for name, armnet_ratio in list(armnet_ratios.items())[1:]:
        print(f'{name} / ARM-Net time (this run): {armnet_ratio:.2f}x')

    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(dict(
            device=device_name(device),
            threads=torch.get_num_threads(),
            size=args.size,
            batch=args.batch,
            repeats=args.repeats,
            warmup=args.warmup,
            models=results,
            armnet_fcn_time_ratio=ratio,
            armnet_time_ratios=armnet_ratios), indent=2))
        print(f'results written to {out}')


if __name__ == '__main__':
    run_cli(main)
