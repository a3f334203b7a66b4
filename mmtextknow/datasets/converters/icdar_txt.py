# Copyright (c) mmtextknow contributors. All rights reserved.
"""Convert ICDAR-2015-style ``.txt`` ground truth to MMOCR OCRDataset JSON.

Each ground-truth (gt) file holds one text instance per line::

    x1,y1,x2,y2,x3,y3,x4,y4,transcript

i.e. ``2 * num_points`` comma-separated coordinates (``num_points`` defaults
to 4) followed by the transcript, which is everything after the
``2 * num_points``-th comma (commas inside the transcript are kept, the
surrounding whitespace is stripped). Files are read as ``utf-8-sig`` (a
leading BOM is dropped); CRLF and LF line endings and blank lines are
accepted. A transcript of exactly ``###`` marks a "don't care" instance,
written with ``ignore: True``.

In ICDAR 2015 the gt file of ``img_1.jpg`` is ``gt_img_1.txt``, which is the
default ``gt_name_fmt='gt_{stem}.txt'``.

What happens on bad input (malformed lines, degenerate polygons, missing or
corrupt files, ...) is listed in :data:`BAD_INPUT_RULES`, which is also the
epilog of ``tools/dataset_converters/icdar_txt2json.py --help``. Bad input
data raises :class:`~mmtextknow.utils.DataError` (a ``ValueError``) whose
message starts with the offending path; invalid options raise a plain
``ValueError``.
"""
import math
import os
import re
import string
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from PIL import Image

from mmtextknow.datasets.ocr_json import dump_ocr_json, textdet_instance
from mmtextknow.utils import DataError, polygon_problem, track

PathLike = Union[str, os.PathLike]

#: What the converter does on bad input; also the CLI ``--help`` epilog.
BAD_INPUT_RULES = """\
Bad-input rules:

- Malformed line (fewer than 2*num_points coordinates plus a transcript
  field, or a non-numeric / non-finite coordinate): DataError naming the
  gt file and the 1-based line number; with skip_invalid=True the line is
  skipped and counted as a "malformed line" instead.
- gt file that is not valid UTF-8: DataError naming the file.
- Degenerate polygon (fewer than 3 distinct points, or shoelace
  |area| < 1e-6): the instance is dropped and counted as a "degenerate
  polygon"; never an exception.
- Coordinates outside the image (x < 0, y < 0, x > width or y > height):
  kept unchanged (MMOCR handles them) and the instance is counted.
- Empty gt file (0 bytes, or only a BOM / whitespace): the image is kept
  with zero instances and counted as an "empty annotation file".
- Image file missing (a gt file matching gt_name_fmt has no image) or not
  decodable by Pillow (verify() then a full load()): the image is skipped,
  counted and its path listed in the report; strict=True raises a
  DataError naming the file instead.
- gt file missing for an image: the image is skipped, counted and the
  expected gt path listed; strict=True raises a DataError instead.
- No image converted at all: DataError naming the image directory.
- Image or gt directory does not exist: FileNotFoundError.
"""

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')
IGNORE_TEXT = '###'
#: One gt line -> ``(flat polygon, transcript, ignore)``; raises
#: ``ValueError`` on a malformed line.
LineParser = Callable[[str], Tuple[List[float], str, bool]]


@dataclass
class ParsedAnnotation:
    """Result of parsing one ICDAR-style gt file.

    Attributes:
        instances (list[dict]): Kept instances in MMOCR format, each with
            keys ``polygon``, ``bbox``, ``bbox_label``, ``ignore``, ``text``.
        is_empty (bool): Whether the file had no content at all (0 bytes,
            or only a BOM / whitespace).
        num_ignored (int): Kept instances whose transcript is ``###``.
        num_degenerate (int): Polygons dropped as degenerate.
        malformed_lines (list[int]): 1-based numbers of the malformed lines
            skipped (only filled when ``skip_invalid=True``).
    """
    instances: List[dict] = field(default_factory=list)
    is_empty: bool = False
    num_ignored: int = 0
    num_degenerate: int = 0
    malformed_lines: List[int] = field(default_factory=list)

    @property
    def num_malformed(self) -> int:
        """int: Number of malformed lines skipped."""
        return len(self.malformed_lines)


@dataclass
class ConversionReport:
    """Counters and skipped paths of one :func:`convert_icdar_txt` run.

    Attributes:
        out_json (str): The JSON file written.
        num_images (int): Images converted (written to ``data_list``).
        num_instances (int): Instances written, ``###`` ones included.
        num_ignored_instances (int): Instances written with ``ignore: True``.
        num_out_of_image_instances (int): Instances written with at least
            one coordinate outside the image (kept unchanged).
        num_empty_gt_files (int): Empty gt files (images kept, 0 instances).
        num_degenerate_polygons (int): Degenerate polygons dropped.
        num_malformed_lines (int): Malformed lines skipped.
        num_missing_images (int): gt files without an image (skipped).
        num_corrupt_images (int): Undecodable images (skipped).
        num_missing_gt_files (int): Images without a gt file (skipped).
        empty_gt_files (list[str]): Paths of the empty gt files.
        malformed_lines (list[str]): ``path:line`` of the skipped lines.
        missing_images (list[str]): gt files whose image is missing.
        corrupt_images (list[str]): Paths of the undecodable images.
        missing_gt_files (list[str]): Expected gt paths that are missing.
    """
    out_json: str = ''
    num_images: int = 0
    num_instances: int = 0
    num_ignored_instances: int = 0
    num_out_of_image_instances: int = 0
    num_empty_gt_files: int = 0
    num_degenerate_polygons: int = 0
    num_malformed_lines: int = 0
    num_missing_images: int = 0
    num_corrupt_images: int = 0
    num_missing_gt_files: int = 0
    empty_gt_files: List[str] = field(default_factory=list)
    malformed_lines: List[str] = field(default_factory=list)
    missing_images: List[str] = field(default_factory=list)
    corrupt_images: List[str] = field(default_factory=list)
    missing_gt_files: List[str] = field(default_factory=list)

    # (counter attribute, label, attribute of the listed paths or None)
    _SUMMARY_ROWS = (
        ('num_images', 'images converted', None),
        ('num_instances', 'instances', None),
        ('num_ignored_instances', 'ignored (###) instances', None),
        ('num_out_of_image_instances',
         'instances with coordinates outside the image (kept)', None),
        ('num_empty_gt_files', 'empty annotation files (images kept)',
         'empty_gt_files'),
        ('num_degenerate_polygons', 'degenerate polygons dropped', None),
        ('num_malformed_lines', 'malformed lines skipped', 'malformed_lines'),
        ('num_missing_images', 'images skipped (missing image file)',
         'missing_images'),
        ('num_corrupt_images', 'images skipped (corrupt image)',
         'corrupt_images'),
        ('num_missing_gt_files', 'images skipped (missing gt file)',
         'missing_gt_files'),
    )

    def summary(self) -> str:
        """Human-readable report, one line per nonzero counter.

        Skipped paths are listed under their counter, indented by ``  - ``.

        Returns:
            str: The summary (no trailing newline).
        """
        lines = []
        for attr, label, paths_attr in self._SUMMARY_ROWS:
            count = getattr(self, attr)
            if not count:
                continue
            lines.append(f'{label}: {count}')
            if paths_attr is not None:
                lines.extend(f'  - {p}' for p in getattr(self, paths_attr))
        return '\n'.join(lines)


def _parse_coords(fields: Sequence[str]) -> List[float]:
    """Convert coordinate strings to finite floats.

    Args:
        fields (Sequence[str]): The coordinate fields.

    Returns:
        list[float]: The coordinates.

    Raises:
        ValueError: If a field is not a finite number.
    """
    coords = []
    for value in fields:
        number = float(value.strip())  # ValueError if not numeric
        if not math.isfinite(number):
            raise ValueError(f'non-finite coordinate {value.strip()!r}')
        coords.append(number)
    return coords


def parse_icdar_line(line: str,
                     num_points: int = 4,
                     extra_fields: int = 0) -> Tuple[List[float], str, bool]:
    """Split one ICDAR-style gt line into polygon, transcript and ignore.

    The line is ``2 * num_points`` comma-separated coordinates, then
    ``extra_fields`` fields that are not part of the text (ICDAR 2017
    MLT's script: ``x1,y1,...,x4,y4,script,transcription``), then the
    transcript: everything after that comma, commas included, surrounding
    whitespace stripped. A transcript of exactly ``###`` is "don't care".

    Args:
        line (str): The line, without its line ending.
        num_points (int): Number of polygon points per line. Defaults to 4.
        extra_fields (int): Fields between the coordinates and the
            transcript. Defaults to 0.

    Returns:
        tuple[list[float], str, bool]: The flat polygon, the stripped
        transcript and whether it is ``###``.

    Raises:
        ValueError: If the line is malformed.
    """
    num_coords = 2 * num_points
    num_fields = num_coords + extra_fields + 1
    fields = line.split(',', num_fields - 1)
    if len(fields) < num_fields:
        extra = f', {extra_fields} more field(s)' if extra_fields else ''
        raise ValueError(f'expected {num_coords} comma-separated coordinates'
                         f'{extra} and a transcript, got {len(fields)} '
                         'field(s)')
    try:
        coords = _parse_coords(fields[:num_coords])
    except ValueError as e:
        raise ValueError(f'invalid coordinate: {e}') from None
    transcript = fields[-1].strip()
    return coords, transcript, transcript == IGNORE_TEXT


def _read_gt_text(path: Path) -> str:
    """Read a gt file as ``utf-8-sig`` with universal newlines.

    Args:
        path (Path): The gt file.

    Returns:
        str: The content without BOM, line endings normalised to ``\\n``.

    Raises:
        DataError: If the file is not valid UTF-8.
    """
    try:
        return path.read_text(encoding='utf-8-sig')
    except UnicodeDecodeError as e:
        raise DataError(f'{path}: not a valid UTF-8 file ({e})') from None


def parse_gt_file(path: PathLike,
                  line_parser: LineParser,
                  skip_invalid: bool = False) -> ParsedAnnotation:
    """Parse a gt text file of one instance per line.

    The file is read as ``utf-8-sig`` (BOM dropped), CRLF / LF line endings
    and blank lines are accepted; see :data:`BAD_INPUT_RULES` for bad
    input.

    Args:
        path (str or PathLike): The gt file.
        line_parser (callable): Line -> ``(flat polygon, transcript,
            ignore)``; raises ``ValueError`` on a malformed line.
        skip_invalid (bool): Skip and count malformed lines instead of
            raising. Defaults to False.

    Returns:
        ParsedAnnotation: Kept instances and per-file counters.

    Raises:
        DataError: On a malformed line (unless ``skip_invalid``), naming
            the file and 1-based line number, or on a non-UTF-8 file.
    """
    path = Path(path)
    text = _read_gt_text(path)
    result = ParsedAnnotation(is_empty=not text.strip())
    for lineno, line in enumerate(text.split('\n'), start=1):
        if not line.strip():
            continue
        try:
            polygon, transcript, ignore = line_parser(line)
        except ValueError as e:
            if not skip_invalid:
                raise DataError(f'{path}, line {lineno}: {e}: '
                                f'{line.strip()!r}') from None
            result.malformed_lines.append(lineno)
            continue
        if polygon_problem(polygon) is not None:
            result.num_degenerate += 1
            continue
        instance = textdet_instance(polygon, transcript, ignore=ignore)
        result.num_ignored += int(instance['ignore'])
        result.instances.append(instance)
    return result


def parse_icdar_txt(path: PathLike,
                    num_points: int = 4,
                    skip_invalid: bool = False,
                    extra_fields: int = 0) -> ParsedAnnotation:
    """Parse one ICDAR-2015-style ground-truth file.

    See the module docstring and :func:`parse_icdar_line` for the line
    format and :data:`BAD_INPUT_RULES` for bad input.

    Args:
        path (str or PathLike): The gt ``.txt`` file.
        num_points (int): Polygon points per line, i.e. each line has
            exactly ``2 * num_points`` coordinates before the transcript.
            Defaults to 4.
        skip_invalid (bool): Skip and count malformed lines instead of
            raising. Defaults to False.
        extra_fields (int): Fields between the coordinates and the
            transcript (1 for ICDAR 2017 MLT's script). Defaults to 0.

    Returns:
        ParsedAnnotation: Kept instances and per-file counters.

    Raises:
        DataError: On a malformed line (unless ``skip_invalid``), naming
            the file and 1-based line number, or on a non-UTF-8 file.
        ValueError: If ``num_points < 3``.
    """
    _check_num_points(num_points)
    return parse_gt_file(
        path,
        partial(
            parse_icdar_line,
            num_points=num_points,
            extra_fields=extra_fields), skip_invalid)


def read_image_size(path: PathLike) -> Tuple[int, int]:
    """Check that Pillow can decode an image and return its size.

    Args:
        path (str or PathLike): The image file.

    Returns:
        tuple[int, int]: ``(height, width)``.

    Raises:
        DataError: If the image cannot be opened or decoded.
    """
    try:
        with Image.open(path) as img:
            img.verify()
        with Image.open(path) as img:
            width, height = img.size
            img.load()
    # Pillow raises many exception types on bad data (OSError,
    # SyntaxError, struct.error, DecompressionBombError, ...).
    except Exception as e:  # noqa: BLE001
        reason = ' '.join(str(e).split())  # keep the message on one line
        raise DataError(f'{path}: cannot decode image '
                        f'({type(e).__name__}: {reason})') from None
    return height, width


def list_images(img_dir: PathLike) -> List[Path]:
    """List the images of a directory, sorted by file name.

    Args:
        img_dir (str or PathLike): The directory (not recursive).

    Returns:
        list[Path]: Entries with a ``.jpg``, ``.jpeg``, ``.png`` or ``.bmp``
        extension (case-insensitive).
    """
    return sorted((p for p in Path(img_dir).iterdir()
                   if p.suffix.lower() in IMG_EXTENSIONS),
                  key=lambda p: p.name)


def check_icdar_options(gt_name_fmt: str, num_points: int) -> None:
    """Check the options of :func:`convert_icdar_txt`.

    Args:
        gt_name_fmt (str): gt file name format, e.g. ``'gt_{stem}.txt'``.
        num_points (int): Polygon points per gt line.

    Raises:
        ValueError: If an option is invalid.
    """
    _check_gt_name_fmt(gt_name_fmt)
    _check_num_points(num_points)


def _check_num_points(num_points: int) -> None:
    """Ensure a gt line has at least 3 polygon points.

    Args:
        num_points (int): Polygon points per gt line.

    Raises:
        ValueError: If ``num_points < 3``.
    """
    if num_points < 3:
        raise ValueError(f'num_points must be >= 3, got {num_points}')


def _check_gt_name_fmt(gt_name_fmt: str) -> None:
    """Ensure ``gt_name_fmt`` only uses the ``{stem}`` / ``{name}`` fields.

    Args:
        gt_name_fmt (str): e.g. ``'gt_{stem}.txt'``.

    Raises:
        ValueError: If it has no field, another field or bad syntax.
    """
    try:
        names = {
            f[1]
            for f in string.Formatter().parse(gt_name_fmt) if f[1] is not None
        }
    except ValueError as e:
        raise ValueError(f'invalid gt_name_fmt {gt_name_fmt!r}: {e}') from None
    if not names or not names <= {'stem', 'name'}:
        raise ValueError(f'invalid gt_name_fmt {gt_name_fmt!r}: it must use '
                         '{stem} (image name without extension) and/or '
                         '{name} (image file name) and no other field')


def gt_name_for(img_path: Path, gt_name_fmt: str) -> str:
    """File name of the gt file of an image.

    Args:
        img_path (Path): The image path.
        gt_name_fmt (str): Format with ``{stem}`` and/or ``{name}``.

    Returns:
        str: e.g. ``'gt_img_1.txt'`` for ``img_1.jpg``.
    """
    return gt_name_fmt.format(stem=img_path.stem, name=img_path.name)


def _gt_name_regex(gt_name_fmt: str) -> 're.Pattern[str]':
    """Regex matching the file names that ``gt_name_fmt`` can produce.

    Args:
        gt_name_fmt (str): A checked gt name format.

    Returns:
        re.Pattern: Full-match pattern.
    """
    parts = []
    for literal, field_name, _, _ in string.Formatter().parse(gt_name_fmt):
        parts.append(re.escape(literal))
        if field_name is not None:
            parts.append('.+')
    return re.compile(''.join(parts))


def _find_orphan_gt_files(gt_dir: Path, gt_name_fmt: str,
                          expected: set) -> List[Path]:
    """gt files matching ``gt_name_fmt`` that no image refers to.

    Args:
        gt_dir (Path): The gt directory.
        gt_name_fmt (str): The gt name format.
        expected (set[str]): gt file names referred to by the images.

    Returns:
        list[Path]: The orphan gt files, sorted by name.
    """
    pattern = _gt_name_regex(gt_name_fmt)
    return sorted((p for p in gt_dir.iterdir() if p.is_file()
                   and p.name not in expected and pattern.fullmatch(p.name)),
                  key=lambda p: p.name)


def _count_out_of_image(instances: List[dict], height: int, width: int) -> int:
    """Number of instances with a coordinate outside the image.

    Args:
        instances (list[dict]): MMOCR instances.
        height (int): Image height.
        width (int): Image width.

    Returns:
        int: The count.
    """
    return sum(1 for inst in instances
               if inst['bbox'][0] < 0 or inst['bbox'][1] < 0
               or inst['bbox'][2] > width or inst['bbox'][3] > height)


def _check_dir(path: PathLike, what: str) -> Path:
    """Return ``path`` as a Path, ensuring it is an existing directory.

    Args:
        path (str or PathLike): The directory.
        what (str): Description used in the error message.

    Returns:
        Path: The directory.

    Raises:
        FileNotFoundError: If it is not a directory.
    """
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f'{what} not found: {path}')
    return path


def _skip(report: ConversionReport, kind: str, path: Path, reason: str,
          strict: bool) -> None:
    """Record a skipped image, or raise in strict mode.

    Args:
        report (ConversionReport): The report to update.
        kind (str): ``'missing_images'``, ``'corrupt_images'`` or
            ``'missing_gt_files'``.
        path (Path): The path to list.
        reason (str): Error message used in strict mode; it starts with
            ``path``.
        strict (bool): Raise instead of recording.

    Raises:
        DataError: In strict mode.
    """
    if strict:
        raise DataError(reason)
    getattr(report, kind).append(str(path))
    counter = f'num_{kind}'
    setattr(report, counter, getattr(report, counter) + 1)


def _convert_one(img_path: Path, gt_path: Path, img_root: Path,
                 report: ConversionReport, strict: bool, skip_invalid: bool,
                 line_parser: LineParser) -> Optional[dict]:
    """Convert one image / gt pair and update the report.

    Args:
        img_path (Path): The image.
        gt_path (Path): Its gt file.
        img_root (Path): Directory ``img_path`` is written relative to.
        report (ConversionReport): The report to update.
        strict (bool): Raise on a missing gt file or a corrupt image.
        skip_invalid (bool): Skip and count malformed lines.
        line_parser (callable): Parser of one gt line.

    Returns:
        dict or None: The ``data_list`` entry, or None if skipped.
    """
    if not gt_path.is_file():
        _skip(report, 'missing_gt_files', gt_path,
              f'{gt_path}: gt file of {img_path} not found', strict)
        return None
    try:
        height, width = read_image_size(img_path)
    except DataError as e:
        _skip(report, 'corrupt_images', img_path, str(e), strict)
        return None
    parsed = parse_gt_file(gt_path, line_parser, skip_invalid)
    if parsed.is_empty:
        report.num_empty_gt_files += 1
        report.empty_gt_files.append(str(gt_path))
    report.malformed_lines.extend(f'{gt_path}:{n}'
                                  for n in parsed.malformed_lines)
    report.num_malformed_lines += parsed.num_malformed
    report.num_degenerate_polygons += parsed.num_degenerate
    report.num_ignored_instances += parsed.num_ignored
    report.num_instances += len(parsed.instances)
    report.num_out_of_image_instances += _count_out_of_image(
        parsed.instances, height, width)
    report.num_images += 1
    # abspath, not resolve(): symlinked images keep their own path
    rel_path = Path(
        os.path.relpath(os.path.abspath(img_path), os.path.abspath(img_root)))
    return dict(
        img_path=rel_path.as_posix(),
        height=height,
        width=width,
        instances=parsed.instances)


def convert_icdar_txt(img_dir: Union[PathLike, Sequence[PathLike]],
                      gt_dir: PathLike,
                      out_json: PathLike,
                      *,
                      gt_name_fmt: str = 'gt_{stem}.txt',
                      img_root: Optional[PathLike] = None,
                      strict: bool = False,
                      skip_invalid: bool = False,
                      num_points: int = 4,
                      line_parser: Optional[LineParser] = None,
                      progress: bool = True) -> ConversionReport:
    """Convert ICDAR-2015-style gt files to an MMOCR OCRDataset JSON.

    Every ``.jpg``/``.jpeg``/``.png``/``.bmp`` file (case-insensitive) of
    ``img_dir`` (of each directory, in the given order, when several are
    given), sorted by name, is paired with
    ``gt_dir / gt_name_fmt.format(stem=..., name=...)``. The JSON has the
    MMOCR 1.x ``{"metainfo": ..., "data_list": [...]}`` layout of a
    ``TextDetDataset``. See :data:`BAD_INPUT_RULES` for bad input.

    Args:
        img_dir (str or PathLike or Sequence): Directory of the images, or
            several (e.g. ICDAR 2017 MLT's 8 training image folders); two
            images with the same gt file raise a ``DataError``.
        gt_dir (str or PathLike): Directory of the gt ``.txt`` files.
        out_json (str or PathLike): Output JSON file (parents created).
        gt_name_fmt (str): gt file name of an image, with ``{stem}`` (name
            without extension) and/or ``{name}`` (file name). Defaults to
            ``'gt_{stem}.txt'`` (ICDAR 2015: ``img_1.jpg`` ->
            ``gt_img_1.txt``).
        img_root (str or PathLike, optional): ``img_path`` is written
            relative to it; use the ``data_root`` (plus ``data_prefix``)
            the dataset config will use. Defaults to the directory that
            contains ``out_json``.
        strict (bool): Raise instead of skipping images whose image file
            is missing / corrupt or whose gt file is missing.
            Defaults to False.
        skip_invalid (bool): Skip and count malformed gt lines instead of
            raising. Defaults to False.
        num_points (int): Polygon points per gt line. Defaults to 4.
        line_parser (callable, optional): Parser of one gt line (line ->
            ``(flat polygon, transcript, ignore)``, ``ValueError`` if
            malformed), for other line formats (ICDAR 2017 MLT, MSRA-TD500).
            Defaults to :func:`parse_icdar_line` with ``num_points``.
        progress (bool): Show a progress bar on standard output.
            Defaults to True.

    Returns:
        ConversionReport: Counters and skipped paths.

    Raises:
        FileNotFoundError: If ``img_dir`` or ``gt_dir`` does not exist.
        DataError: On a malformed line (unless ``skip_invalid``), on a
            skipped image in strict mode, or if no image could be
            converted.
        ValueError: On an invalid ``gt_name_fmt`` or ``num_points``.
    """
    img_dirs = [
        _check_dir(d, 'image directory')
        for d in ([img_dir] if isinstance(img_dir, (str, os.PathLike)) else
                  img_dir)
    ]
    if not img_dirs:
        raise ValueError('no image directory given')
    gt_dir = _check_dir(gt_dir, 'gt directory')
    check_icdar_options(gt_name_fmt, num_points)
    if line_parser is None:
        line_parser = partial(parse_icdar_line, num_points=num_points)
    out_json = Path(out_json)
    img_root = Path(img_root) if img_root is not None else out_json.parent
    report = ConversionReport(out_json=str(out_json))

    images = [p for d in img_dirs for p in list_images(d)]
    gt_names: Dict[Path, str] = {}
    owners: Dict[str, Path] = {}
    for path in images:
        gt_names[path] = name = gt_name_for(path, gt_name_fmt)
        if name in owners:
            raise DataError(f'{path}: same gt file {name} as {owners[name]}')
        owners[name] = path
    for orphan in _find_orphan_gt_files(gt_dir, gt_name_fmt, set(owners)):
        _skip(report, 'missing_images', orphan,
              f'{orphan}: no image for this gt file in '
              f'{", ".join(map(str, img_dirs))}', strict)

    data_list = []
    for img_path in track(images, len(images), enabled=progress, step=10):
        if not img_path.is_file():  # e.g. a dangling symlink
            _skip(report, 'missing_images', img_path,
                  f'{img_path}: image not found', strict)
            continue
        entry = _convert_one(img_path, gt_dir / gt_names[img_path], img_root,
                             report, strict, skip_invalid, line_parser)
        if entry is not None:
            data_list.append(entry)

    if not data_list:
        raise DataError(f'{", ".join(map(str, img_dirs))}: no image could '
                        'be converted '
                        f'({len(images)} image file(s) found, '
                        f'{report.num_missing_gt_files} without gt file, '
                        f'{report.num_corrupt_images} corrupt)')
    dump_ocr_json(data_list, out_json)
    return report
