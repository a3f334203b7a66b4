"""The main job on bundled data: generate it, then train and evaluate each
method through ``tools/train.py`` and ``tools/test.py``, and print the metrics
and where the outputs went.

Run it through ``bash tools/run_demo.sh`` (which sets up the environment
first), or directly in a set-up environment::

    python tools/demo.py [--only dbnet] [--work-dir work_dirs/demo]
"""
import sys
from pathlib import Path

# Import this clone's mmtextknow, whichever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import json
import re
import subprocess
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = 'data/toy_scenetext'
STKM_TRANSFER_CONFIG = 'configs/textdet/stkm/dbnet_resnet18-stkm_fpnc_8e_toy.py'


@dataclass(frozen=True)
class DemoJob:
    """One method of the demo: a config trained, then tested.

    ``summary_metrics`` are printed in the summary (all metrics go to
    ``summary.json``). ``prepare`` are ``python`` commands run first (data
    conversion, checkpoint export); ``{work_dir}`` in them is the job's
    work directory and ``{ckpt:JOB}`` an earlier job's last checkpoint.
    ``checkpoint_options`` maps a config key to an earlier job whose last
    checkpoint it is set to (ARM-Net's REM reads with the DAN trained just
    before); ``cfg_options`` are further ``key=value`` overrides, where
    ``{work_dir}`` works as in ``prepare``.
    """
    name: str
    config: str
    description: str
    summary_metrics: Tuple[str, ...]
    prepare: Tuple[Tuple[str, ...], ...] = ()
    checkpoint_options: Tuple[Tuple[str, str], ...] = ()
    cfg_options: Tuple[str, ...] = ()


DEMO_JOBS: List[DemoJob] = [
    DemoJob('dbnet', 'configs/textdet/dbnet/dbnet_resnet18_fpnc_8e_toy.py',
            "MMOCR's DBNet (ResNet-18), text detection",
            ('icdar/precision', 'icdar/recall', 'icdar/hmean')),
    DemoJob('mgnet', 'configs/textseg/mgnet/mgnet_vgg-x0.25_12e_toy.py',
            'MGNet, semi-supervised pixel-level text segmentation (half of '
            'the training images without pixel masks)',
            ('textseg/dataset_P', 'textseg/dataset_R', 'textseg/dataset_F',
             'textseg/fgIoU')),
    DemoJob('dan', 'configs/textrecog/dan/dan_resnet45-cam_20e_toy.py',
            'DAN, attention-based word recognition on word crops (the '
            "teacher of ARM-Net's REM)",
            ('toy/recog/word_acc_ignore_case', 'toy/recog/char_recall'),
            prepare=tuple(
                ('tools/dataset_converters/crop_words.py', DATA_ROOT,
                 f'textdet_{split}.json', f'textrecog_{split}.json')
                for split in ('train', 'test'))),
    DemoJob('armnet', 'configs/textseg/armnet/armnet_resnet18_8e_toy.py',
            'ARM-Net (TSM + DPD + REM reading with the DAN above), '
            'pixel-level text segmentation',
            ('textseg/dataset_P', 'textseg/dataset_R', 'textseg/dataset_F',
             'textseg/fgIoU'),
            checkpoint_options=(('model.rem.recognizer.checkpoint', 'dan'),
                                )),
    DemoJob('stkm', 'configs/pretrain/stkm/stkm_resnet18_fpn_toy.py',
            'STKM pre-training of a ResNet-18 (1/4 width) by reading all '
            'words of each image (image-level word lists only)',
            ('textseq/word_precision', 'textseq/word_recall',
             'textseq/word_hmean')),
    DemoJob('dbnet-stkm', STKM_TRANSFER_CONFIG,
            'DBNet whose backbone starts from the STKM backbone above '
            '(exported with stkm2backbone.py), fine-tuned on detection',
            ('icdar/precision', 'icdar/recall', 'icdar/hmean'),
            prepare=(('tools/model_converters/stkm2backbone.py',
                      '{ckpt:stkm}', '{work_dir}/stkm_backbone.pth',
                      '--check-config', STKM_TRANSFER_CONFIG), ),
            cfg_options=('model.backbone.init_cfg.checkpoint='
                         '{work_dir}/stkm_backbone.pth', )),
    DemoJob('dbnet-scratch', STKM_TRANSFER_CONFIG,
            'the same DBNet from random weights (the baseline of the STKM '
            'transfer)',
            ('icdar/precision', 'icdar/recall', 'icdar/hmean'),
            cfg_options=('model.backbone.init_cfg=None', )),
    DemoJob('tcm', 'configs/textdet/tcm/tcm-dbnet_clip-tiny_fpnc_8e_toy.py',
            'TCM-DBNet: DBNet with a reduced CLIP (random weights: no CLIP '
            'file at these sizes) and all TCM modules, text detection',
            ('icdar/precision', 'icdar/recall', 'icdar/hmean')),
    DemoJob('tpn', 'configs/textspot/tpn/tpn_vgg16-x0.25_12e_toy.py',
            'TPN spotter (VGG-16 at 1/4 width, text proposals, region '
            'LSTM, detection + attention recognition), end-to-end spotting',
            ('e2e/hmean', 'e2e/det_hmean', 'e2e/det_precision',
             'e2e/det_recall')),
]

METRIC_PATTERN = re.compile(r'([\w-]+(?:/[\w-]+)+): (-?[0-9.]+)')
CKPT_PATTERN = re.compile(r'\{ckpt:([\w-]+)\}')


def run(args: List[str], log_file: Path) -> str:
    """Run ``python ARGS`` in the repository; tee its output into a file."""
    print(f'$ python {" ".join(args)}', flush=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, 'w', encoding='utf-8') as log:
        proc = subprocess.Popen([sys.executable] + args, cwd=REPO_ROOT,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        lines = []
        for line in proc.stdout:
            log.write(line)
            lines.append(line)
            if 'Epoch(' in line or line.startswith('error:'):
                print('  ' + line.split(' - ')[-1].rstrip(), flush=True)
        if proc.wait() != 0:
            sys.exit(f'demo: step failed (exit {proc.returncode}); '
                     f'full log: {log_file}\n' + ''.join(lines[-20:]))
    return ''.join(lines)


def test_metrics(output: str) -> Dict[str, float]:
    """The metrics of the last ``Epoch(test)`` line of a test run."""
    lines = [ln for ln in output.splitlines() if 'Epoch(test)' in ln]
    if not lines:
        return {}
    return {k: float(v) for k, v in METRIC_PATTERN.findall(lines[-1])}


def last_checkpoint(work_dir: Path) -> Path:
    return Path((work_dir / 'last_checkpoint').read_text().strip())


def earlier_checkpoint(job: DemoJob, source: str,
                       done: Dict[str, dict]) -> str:
    """The last checkpoint of the earlier job ``source``.

    Raises:
        SystemExit: If that job has not run in this demo.
    """
    if source not in done:
        sys.exit(f'demo: {job.name} needs the {source} checkpoint: run '
                 f'--only {source} {job.name}')
    return done[source]['checkpoint']


def expand(arg: str, job: DemoJob, work_dir: Path,
           done: Dict[str, dict]) -> str:
    """Fill ``{work_dir}`` and ``{ckpt:JOB}`` into a command argument."""
    arg = arg.replace('{work_dir}', str(work_dir))
    return CKPT_PATTERN.sub(
        lambda m: earlier_checkpoint(job, m.group(1), done), arg)


def job_cfg_options(job: DemoJob, work_dir: Path,
                    done: Dict[str, dict]) -> List[str]:
    """``--cfg-options`` of a job: earlier jobs' checkpoints and its own
    overrides."""
    options = [
        f'{key}={earlier_checkpoint(job, source, done)}'
        for key, source in job.checkpoint_options
    ] + [expand(option, job, work_dir, done) for option in job.cfg_options]
    return ['--cfg-options'] + options if options else []


def run_job(job: DemoJob, work_root: Path, done: Dict[str, dict]) -> dict:
    work_dir = work_root / job.name
    print(f'\n=== {job.name}: {job.description} ===', flush=True)
    for index, command in enumerate(job.prepare):
        run([expand(arg, job, work_dir, done) for arg in command],
            work_dir / f'prepare_{index}.log')
    start = time.time()
    run(['tools/train.py', job.config, '--work-dir', str(work_dir)] +
        job_cfg_options(job, work_dir, done), work_dir / 'train.log')
    train_s = time.time() - start
    checkpoint = last_checkpoint(work_dir)
    output = run(['tools/test.py', job.config, str(checkpoint),
                  '--work-dir', str(work_dir / 'test')],
                 work_dir / 'test.log')
    return dict(name=job.name, config=job.config,
                summary_metrics=list(job.summary_metrics),
                checkpoint=str(checkpoint), work_dir=str(work_dir),
                train_seconds=round(train_s, 1),
                metrics=test_metrics(output))


def print_summary(results: List[dict], summary_file: Path) -> None:
    print('\n=== demo summary (held-out generated test images) ===')
    for res in results:
        metrics = '  '.join(f'{k}={res["metrics"][k]:.4f}'
                            for k in res['summary_metrics']
                            if k in res['metrics'])
        print(f"{res['name']:<8} {metrics}  (trained {res['train_seconds']}s)")
        print(f"         checkpoint: {res['checkpoint']}")
        print(f"         logs:       {res['work_dir']}/train.log, "
              f"{res['work_dir']}/test.log")
    summary_file.write_text(json.dumps(results, indent=2))
    print(f'summary written to {summary_file}')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo',
                        help='Where checkpoints, logs and the summary go.')
    parser.add_argument('--only', nargs='+',
                        choices=[job.name for job in DEMO_JOBS],
                        help='Run only these methods.')
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    work_root = (REPO_ROOT / args.work_dir).resolve()
    print('=== generating the bundled scene-text data ===', flush=True)
    run(['tools/dataset_converters/generate_toy_data.py', DATA_ROOT,
         '--overwrite'], work_root / 'generate.log')
    jobs = [j for j in DEMO_JOBS if not args.only or j.name in args.only]
    done: Dict[str, dict] = {}
    for job in jobs:
        done[job.name] = run_job(job, work_root, done)
    print_summary(list(done.values()), work_root / 'summary.json')


if __name__ == '__main__':
    main()
