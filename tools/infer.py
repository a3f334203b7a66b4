"""Run inference on images: MMOCR's ``tools/infer.py`` with mmtextknow.

Same arguments as MMOCR's; ``--det``/``--rec``/``--kie`` take config files
(ours or MMOCR's) and ``--*-weights`` local checkpoints. Example::

    python tools/infer.py demo.jpg --det configs/textdet/dbnet/CONFIG.py \
        --det-weights work_dirs/.../epoch_N.pth --out-dir results \
        --save_pred --save_vis --print-result

``--seg CONFIG --seg-weights CKPT`` runs mmtextknow's text segmentation
instead (alone, not with ``--det``/``--rec``/``--kie``): the masks go to
``OUT_DIR/masks/<stem>_{pixel,polygon}_{mask,prob}.png`` (mask 0/255,
probability x 255), ``--save_vis`` adds overlays to ``OUT_DIR/vis/`` and
``--print-result`` prints each image's number and fraction of text pixels::

    python tools/infer.py demo.jpg --seg configs/textseg/fcn/CONFIG.py \
        --seg-weights work_dirs/.../epoch_N.pth --out-dir results

``--spot CONFIG --spot-weights CKPT`` runs an end-to-end text spotter (the
TPN spotter; also alone) through MMOCR's ``TextSpotInferencer``:
``--save_pred`` writes ``OUT_DIR/preds/<stem>.json`` with ``polygons``,
``bboxes``, ``scores`` and ``texts``, ``--save_vis`` the detected words and
their transcripts drawn on the image to ``OUT_DIR/vis/``::

    python tools/infer.py demo.jpg --spot configs/textspot/tpn/CONFIG.py \
        --spot-weights work_dirs/.../iter_N.pth --out-dir results --save_pred

``--det`` together with ``--seg`` (``--rec`` optional), or ``--det`` with
any of ``--removal-mask``/``--dilation``/``--inpaint``/``--skip-unreadable``,
runs mmtextknow's one-call pipeline (``TextPipelineInferencer``): word
polygons, transcripts, text masks and the text-free image, all in the
original image frame. ``--save_pred`` writes ``OUT_DIR/preds/<stem>.json``
(``det_polygons``, ``det_scores``, ``rec_texts``, ``rec_scores``,
``img_shape``, ``files``), ``OUT_DIR/masks/<stem>_{pixel,polygon,removal}_
mask.png`` (0/255) and ``OUT_DIR/text_free/<stem>.png``; ``--save_vis``
writes ``OUT_DIR/vis/<stem>.png``::

    python tools/infer.py demo.jpg --det configs/textdet/tcm/CONFIG.py \
        --det-weights DET.pth --rec configs/textrecog/dan/CONFIG.py \
        --rec-weights REC.pth --seg configs/textseg/mgnet/CONFIG.py \
        --seg-weights SEG.pth --out-dir results --save_pred --save_vis
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import os.path as osp
from argparse import ArgumentParser
from typing import Dict, Tuple

#: Models that MMOCR's inferencer combines.
MODEL_KINDS = {'det': 'text detection', 'rec': 'text recognition',
               'kie': 'key information extraction'}
#: Models that run alone, each through its own inferencer (``seg`` also
#: joins ``det``/``rec`` in the pipeline).
SOLO_KINDS = {'seg': 'text segmentation (mmtextknow)',
              'spot': 'end-to-end text spotting'}
#: Options of the pipeline (``TextPipelineInferencer``) and their defaults.
PIPELINE_DEFAULTS = {'removal_mask': None, 'dilation': 3, 'inpaint': 'telea',
                     'skip_unreadable': False}


def parse_args() -> Tuple[Dict, Dict]:
    parser = ArgumentParser(description='Inference with MMOCR-style models')
    parser.add_argument('inputs', type=str,
                        help='Input image file or folder path.')
    parser.add_argument('--out-dir', type=str, default='results/',
                        help='Output directory of results.')
    for kind, name in {**MODEL_KINDS, **SOLO_KINDS}.items():
        what = {'seg': 'a config file; alone, or with --det in the pipeline',
                'spot': 'a config file; runs alone'}.get(
                    kind, 'a config file (or an MMOCR model name outside '
                    'the pipeline)')
        parser.add_argument(
            f'--{kind}', type=str, default=None, help=f'{name} model: {what}.')
        parser.add_argument(
            f'--{kind}-weights', type=str, default=None,
            help=f'Checkpoint file of the {name} model.')
    parser.add_argument('--device', type=str, default=None,
                        help='Device used for inference (default: auto).')
    parser.add_argument('--batch-size', type=int, default=1,
                        help='Inference batch size.')
    parser.add_argument('--show', action='store_true',
                        help='Display the image in a popup window.')
    parser.add_argument('--print-result', action='store_true',
                        help='Whether to print the results.')
    parser.add_argument('--save_pred', '--save-pred', action='store_true',
                        help='Save the inference results to out_dir.')
    parser.add_argument('--save_vis', '--save-vis', action='store_true',
                        help='Save the visualization results to out_dir.')
    pipeline = parser.add_argument_group(
        'pipeline', 'options of the --det [--rec] --seg pipeline; any of '
        'them with --det selects the pipeline')
    pipeline.add_argument(
        '--removal-mask', choices=('pixel', 'polygon', 'det'), default=None,
        help="mask inpainted by the text removal: the segmentation model's "
        "pixel- or polygon-level mask, or the filled detected polygons "
        "('det'). Default: 'pixel' with --seg, else 'det'.")
    pipeline.add_argument(
        '--dilation', type=int, default=None,
        help='pixels by which the removal mask grows before inpainting '
        f'(default {PIPELINE_DEFAULTS["dilation"]}).')
    pipeline.add_argument(
        '--inpaint', choices=('telea', 'ns', 'none'), default=None,
        help="cv2.inpaint method of the text removal, or 'none' for no "
        f'removal (default {PIPELINE_DEFAULTS["inpaint"]}).')
    pipeline.add_argument(
        '--skip-unreadable', action='store_true', default=None,
        help='skip (and count) image files that cannot be decoded instead '
        'of stopping at the first.')
    call_args = vars(parser.parse_args())
    init_args = {
        key: call_args.pop(key)
        for kind in (*MODEL_KINDS, *SOLO_KINDS)
        for key in (kind, f'{kind}_weights')
    }
    init_args['device'] = call_args.pop('device')
    options = {key: call_args.pop(key) for key in PIPELINE_DEFAULTS}
    given = [key for key, value in options.items() if value is not None]
    is_pipeline = bool(init_args['det']) and (
        bool(init_args['seg']) or bool(given))
    if is_pipeline:
        if init_args['kie'] or init_args['spot']:
            parser.error('the pipeline (--det with --seg or a pipeline '
                         'option) cannot be combined with --kie or --spot')
        init_args.update({
            key: PIPELINE_DEFAULTS[key] if value is None else value
            for key, value in options.items()
        })
        return init_args, call_args
    if given:
        flag = '--' + given[0].replace('_', '-')
        parser.error(f'{flag} is an option of the pipeline: it needs --det')
    solo = [kind for kind in SOLO_KINDS if init_args[kind]]
    if len(solo) > 1 or (solo and any(init_args[k] for k in MODEL_KINDS)):
        parser.error(f'--{solo[0]} runs alone: it cannot be combined with '
                     'another model option (--seg joins --det and --rec in '
                     'the pipeline)')
    return init_args, call_args


def check_paths(init_args: Dict, call_args: Dict) -> None:
    """Fail early, naming the path, when an input or checkpoint is missing."""
    if not osp.exists(call_args['inputs']):
        raise FileNotFoundError(f'{call_args["inputs"]}: input not found')
    for kind in (*MODEL_KINDS, *SOLO_KINDS):
        weights = init_args[f'{kind}_weights']
        if weights and '://' not in weights and not osp.isfile(weights):
            raise FileNotFoundError(f'{weights}: checkpoint not found')
    config_kinds = SOLO_KINDS
    if 'inpaint' in init_args:  # the pipeline takes config files only
        config_kinds = (*MODEL_KINDS, *SOLO_KINDS)
    for kind in config_kinds:
        if init_args[kind] and not osp.isfile(init_args[kind]):
            raise FileNotFoundError(f'{init_args[kind]}: config not found')


if __name__ == '__main__':
    # --help, usage errors and missing files answer before the heavy
    # imports below.
    try:
        check_paths(*parse_args())
    except FileNotFoundError as e:
        print(f'error: {e}', file=sys.stderr)
        sys.exit(1)

from mmocr.apis import MMOCRInferencer
from mmocr.apis.inferencers import TextSpotInferencer

import mmtextknow  # noqa: F401  (registers components, safe ckpt loading)
from mmtextknow.apis import TextPipelineInferencer, TextSegInferencer
from mmtextknow.utils import run_cli

SOLO_INFERENCERS = {'seg': TextSegInferencer, 'spot': TextSpotInferencer}


def run_pipeline(init_args: Dict, call_args: Dict) -> None:
    """Run ``TextPipelineInferencer``; report the skipped inputs."""
    inpaint = init_args.pop('inpaint')
    skip_unreadable = init_args.pop('skip_unreadable')
    for kind in ('kie', 'spot'):
        init_args.pop(kind), init_args.pop(f'{kind}_weights')
    inferencer = TextPipelineInferencer(
        **init_args, remover=None if inpaint == 'none' else inpaint)
    result = inferencer(
        **call_args, skip_unreadable=skip_unreadable)
    done, skipped = len(result['predictions']), result['skipped']
    print(f'{done} image(s) processed, {len(skipped)} skipped as '
          'unreadable' + ''.join(f'\n  skipped: {path}' for path in skipped))


def main() -> None:
    init_args, call_args = parse_args()
    check_paths(init_args, call_args)
    if 'inpaint' in init_args:
        run_pipeline(init_args, call_args)
        return
    solo = {
        kind: (init_args.pop(kind), init_args.pop(f'{kind}_weights'))
        for kind in SOLO_KINDS
    }
    chosen = [kind for kind, (config, _) in solo.items() if config]
    if chosen:
        config, weights = solo[chosen[0]]
        inferencer = SOLO_INFERENCERS[chosen[0]](
            config, weights, device=init_args['device'])
    else:
        inferencer = MMOCRInferencer(**init_args)
    inferencer(**call_args)


if __name__ == '__main__':
    run_cli(main)
