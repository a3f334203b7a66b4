# Copyright (c) mmtextknow contributors. All rights reserved.
"""End-to-end text spotting metric (ICDAR 2015 Task 4.4 rules) with lexicons.

Scores text spotters such as TPN (Li et al., ICCV 2017). By default it
follows the Robust Reading Competition's end-to-end script ``script.py``
("E2E_iou_1_1", version 1.1; public copies: PSENet ``eval/ic15_rec/``,
MaskTextSpotterV3 ``evaluation/icdar2015/e2e/``), re-implemented here:

- GT and predictions are paired greedily by IoU (> 0.5; GT in order, each
  with the first free prediction in order), then a pair is a hit only if
  the transcripts match (``matching='greedy'``);
- transcripts are compared upper-cased; one special character may be
  dropped from the GT's first and / or last position, nothing from the
  prediction (``symbol_rule='icdar'``);
- word spotting: only GT words passing the script's ``include_in_dictionary``
  rule are cared for (>= 3 characters of Latin / Greek letters or ``-``
  after removing a final ``'s``, end hyphens and end special characters;
  no digits), their transcript reduced the same way
  (``include_in_dictionary_transcription``), compared exactly
  (``care_rule='icdar'``);
- no cared GT word or no prediction: P = R = H = 0 (``empty_rule='icdar'``);
- with a strong / weak lexicon a prediction whose nearest lexicon word is at
  edit distance >= 1.5 is dropped, with the generic one it is kept
  (MaskTextSpotterV3 ``prepare_results.py``, ``lexicon_drop_dist=1.5``).

The detection-only precision / recall / hmean follow the RRC's Task 4.1
localisation script (``script.py``, IoU > 0.5 one-to-one, the same greedy
pairing; a detection with more than half of its area inside a don't-care GT
is discarded): only ``###`` / ignored GT words are don't care there, and no
lexicon drops a detection. Both are reported at ONE score threshold: a fixed
config value (``score_thr``) or one chosen on a validation split
(``select_score_thr=True`` writes it to ``score_thr_out``, a test run reads it
with ``score_thr_file``), never the best over thresholds of the scored split.
More lenient rules are named options: ``matching='bipartite'``,
``symbol_rule='strip'``, ``case_rule='lower'``, ``care_rule='alnum'``,
``empty_rule='mmocr'``, ``lexicon_drop_dist=None``.

It is written from scratch (it reuses only MMOCR's polygon helpers and
:func:`compute_hmean`) and avoids the defects of the ``E2EHmeanIOUMetric``
of MMOCR's ABCNet project: the predictions of every score threshold are
selected afresh from the full set of the image (one boolean mask applied to
the IoU matrix, the text-match matrix and the scores together), and
``lexicon_path`` is used.
"""
import json
import os
import os.path as osp
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.evaluation.functional import compute_hmean
from mmocr.registry import METRICS
from mmocr.utils import poly_intersection, poly_iou, poly_make_valid
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching
from shapely.geometry import Polygon

try:  # rapidfuzz is a dependency of MMOCR; fall back to pure Python.
    from rapidfuzz import process as _rf_process
    from rapidfuzz.distance import Levenshtein as _rf_levenshtein
except ImportError:  # pragma: no cover
    _rf_process = None
    _rf_levenshtein = None

#: Characters stripped from the beginning and the end of words: the
#: ``SPECIAL_CHARACTERS`` of the ICDAR-2015 end-to-end evaluation script.
ICDAR_SPECIAL_CHARS = '!?.:,*"()\u00b7[]/\''

#: Transcription of an ignored ("don't care") ground-truth word.
IGNORE_TEXT = '###'

#: Characters the word-spotting rules turn into spaces (the
#: ``include_in_dictionary`` functions of the ICDAR 2015 script).
WORD_SPOTTING_SPECIAL_CHARS = '\'!?.:,*"()\u00b7[]/'
#: Letters ``include_in_dictionary`` accepts: code point ranges (inclusive)
#: of a-z, A-Z, U+00C0-U+01BF, U+01C4-U+027F, U+0386-U+03FF and ``-``;
#: ``\u00d7``, ``\u00f7`` and ``\u00b7`` are refused.
WORD_SPOTTING_LETTER_RANGES = ((0x61, 0x7A), (0x41, 0x5A), (0xC0, 0x1BF),
                               (0x1C4, 0x27F), (0x386, 0x3FF), (0x2D, 0x2D))
WORD_SPOTTING_REFUSED = '\u00d7\u00f7\u00b7'


def word_spotting_transcription(text: str) -> str:
    """A GT transcript as the ICDAR 2015 word-spotting rules compare it: a
    final ``'s`` / ``'S`` removed, then hyphens at both ends, then every
    character of :data:`WORD_SPOTTING_SPECIAL_CHARS` replaced by a space
    and spaces at both ends removed (``include_in_dictionary_transcription``
    of the script)."""
    if text[-2:] in ("'s", "'S"):
        text = text[:-2]
    text = text.strip('-')
    for char in WORD_SPOTTING_SPECIAL_CHARS:
        text = text.replace(char, ' ')
    return text.strip()


def in_word_spotting_dictionary(text: str, min_len: int = 3) -> bool:
    """Whether a GT word is cared for in ICDAR 2015 word spotting
    (``include_in_dictionary`` of the script): its
    :func:`word_spotting_transcription` has no inner space, at least
    ``min_len`` characters, and only letters of
    :data:`WORD_SPOTTING_LETTER_RANGES` (so no digits)."""
    word = word_spotting_transcription(text)
    if ' ' in word or len(word) < min_len:
        return False
    for char in word:
        if char in WORD_SPOTTING_REFUSED:
            return False
        code = ord(char)
        if not any(lo <= code <= hi for lo, hi in WORD_SPOTTING_LETTER_RANGES):
            return False
    return True


def levenshtein(a: str, b: str) -> int:
    """Levenshtein edit distance (insertions, deletions, substitutions, all
    of cost 1) between ``a`` and ``b``."""
    if _rf_levenshtein is not None:
        return int(_rf_levenshtein.distance(a, b))
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(
                min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def nearest_word(query: str, words: Sequence[str]) -> Tuple[str, int]:
    """The word of ``words`` at the smallest edit distance from ``query``
    and that distance; ties go to the earliest word of ``words``.

    ``words`` must not be empty.
    """
    if not words:
        raise ValueError('nearest_word needs a non-empty lexicon')
    if _rf_process is not None:
        word, dist, _ = _rf_process.extractOne(
            query, words, scorer=_rf_levenshtein.distance, processor=None)
        return word, int(dist)
    best, best_dist = words[0], levenshtein(query, words[0])
    for word in words[1:]:
        if best_dist == 0:
            break
        dist = levenshtein(query, word)
        if dist < best_dist:
            best, best_dist = word, dist
    return best, best_dist


def _to_numpy(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def read_score_thr_file(path: str) -> Dict:
    """The thresholds a ``select_score_thr`` run wrote to ``path``: a JSON
    object with the floats ``score_thr`` and ``det_score_thr`` (and what
    they were chosen on).

    Raises:
        FileNotFoundError: If ``path`` is not a file.
        ValueError: If it is not such a JSON object.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'score_thr_file not found: {path}')
    with open(path, encoding='utf-8-sig') as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'score_thr_file {path} is not JSON: {e}') \
                from None
    for key in ('score_thr', 'det_score_thr'):
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f'score_thr_file {path} has no number '
                             f'{key!r}')
        data[key] = round(float(value), 10)
    return data


def _to_polygon(poly, trunc: bool = False) -> Polygon:
    """A flat ``[x1, y1, x2, y2, ...]`` array as a valid shapely polygon
    (possibly empty), its coordinates truncated towards zero if
    ``trunc``."""
    pts = _to_numpy(poly).astype(np.float64).reshape(-1)
    if trunc:
        pts = np.trunc(pts)
    if pts.size < 6 or pts.size % 2:
        return Polygon()
    return poly_make_valid(Polygon(pts.reshape(-1, 2)))


@METRICS.register_module()
class E2ESpottingMetric(BaseMetric):
    """End-to-end spotting precision / recall / hmean (ICDAR 2015 Task 4.4
    rules by default) plus detection-only precision / recall / hmean.

    Each data sample (a ``TextSpottingDataSample`` or its ``to_dict()``)
    needs ``gt_instances`` with ``polygons`` (flat ``[x1, y1, ...]``
    arrays, in the frame of the predictions), ``ignored`` (bool) and
    ``texts``, and ``pred_instances`` with ``polygons``, ``scores`` and
    ``texts``; strong lexicons also need ``img_path``.

    **Ground truth.** A GT word is ignored ("don't care") if its
    ``ignored`` flag is set or its text is ``'###'``; with ``filter_words``
    (on by default in ``word_spotting`` mode) also if it fails
    ``care_rule``: ``'icdar'`` (default) is the ICDAR 2015 word-spotting
    rule :func:`in_word_spotting_dictionary` (``'abc'``, ``'a-b'``,
    ``"Bob's"``, ``'"Hello!"'`` cared; ``'ab'``, ``'ab1'``, ``'a.b'``,
    ``'3:30'`` not); ``'alnum'``: after case folding, in word spotting a
    final ``'s`` and end hyphens removed, and ``special_chars`` stripped
    from both ends, at least ``min_word_len`` characters and
    ``str.isalnum`` (``'ab1'`` cared, ``'a-b'`` not; the ICDAR 2013
    lexicon protocol of Wang et al. 2011 / Jaderberg et al. 2016). Ignored
    GT words are not counted in the recall.

    **Predictions.** A prediction is discarded (counted neither as a hit
    nor in the precision) if more than ``ignore_precision_thr`` of its own
    area lies inside one ignored GT polygon (ICDAR rule).

    **Texts.** ``case_rule``: ``'upper'`` (default, the script's
    ``.upper()``: Greek final and medial sigma match), ``'lower'`` or
    ``'none'``. ``symbol_rule`` (``special_chars``, default
    :data:`ICDAR_SPECIAL_CHARS`, ``!?.:,*"()·[]/'``):

    - ``'icdar'`` (default, the script's
      ``ONLY_REMOVE_FIRST_LAST_CHARACTER=True``): nothing is stripped from
      the prediction; end to end, the GT matches if equal to it as is or
      after removing one special character at its start and / or one at its
      end; in word spotting the GT's :func:`word_spotting_transcription` must
      equal the prediction;
    - ``'strip'`` (the script with ``ONLY_REMOVE_FIRST_LAST_CHARACTER=
      False``): every leading / trailing special character is stripped from
      both sides, and in word spotting also a final ``'s`` and end hyphens
      from both sides;
    - ``'none'``: exact comparison after case folding.

    **Lexicons** (``lexicon_mode``), the ICDAR 2015 Task 4.4 layouts (read as
    UTF-8 with or without BOM, LF or CRLF line ends, one word per line, the
    line stripped of surrounding white space, blank lines skipped):
    ``'generic'``: ``lexicon_path`` is one word list for every image (the
    90k-word ``GenericVocabulary.txt``, or MJSynth's ``lexicon.txt``);
    ``'weak'``: one word list of all the test set's words (ICDAR 2015
    ``ch4_test_vocabulary.txt``); ``'strong'``: ``lexicon_path`` is a
    directory of per-image lists named by ``strong_lexicon_pattern`` with
    ``{stem}`` the image file stem (``voc_img_12.txt`` for ``img_12.jpg``,
    ICDAR 2015 ``ch4_test_vocabularies_per_image/``). Each predicted
    text (case folded) is replaced by the lexicon word at the smallest
    Levenshtein distance (ties: the earliest word of the file). With a
    strong or weak lexicon, a prediction at distance >= ``lexicon_drop_dist``
    (default 1.5, i.e. 2 or more edits) is dropped; with the generic one it
    is always kept (MaskTextSpotterV3's ``prepare_results.py``, which uses a
    weighted edit distance; ours is the plain one). If
    ``lexicon_max_dist_ratio`` is set and the distance divided by
    ``max(len(pred), len(word), 1)`` exceeds it, the prediction keeps its
    own text instead.

    **Coordinates** (``coord_rule``): ``'float'`` (default) scores the
    polygons as given; ``'trunc'`` first truncates every coordinate of the GT
    and of the predictions towards zero, as an RRC upload is scored (its
    line format takes integers, the submission writers apply ``int()``,
    e.g. MaskTextSpotterV3's ``prepare_results.py``, and the script's
    ``polygon_from_points`` casts to ``int32``).

    **Matching**, for every score threshold ``t`` independently, from all
    the predictions of the image: the kept predictions are those with
    ``score >= t`` (compared in float32) that were not discarded or
    dropped. ``matching='greedy'`` (default, the script): every cared GT
    word in order is paired with the first still free kept prediction (in
    the model's output order) with IoU > ``match_iou_thr``; a pair is an
    end-to-end hit if the texts match. ``matching='bipartite'``: the hits
    are the maximum one-to-one matching (``scipy``'s
    ``maximum_bipartite_matching``) of the graph whose edges are the pairs
    with IoU > ``match_iou_thr`` and, end to end, matching texts (a
    wrong-text prediction of higher IoU cannot take the GT from a
    right-text one). Then ``precision = hits / kept predictions``,
    ``recall = hits / cared GT words`` summed over the dataset. Empty sets,
    ``empty_rule='icdar'`` (default, the script): 0 / 0 is 0 for both, so
    a set without cared GT gives P = R = H = 0; ``'mmocr'``:
    :func:`compute_hmean`'s convention (no cared GT: recall 1, precision 1
    if there is no kept prediction either, else 0).

    **Detection** (``det_*``), the Task 4.1 script's rules: the same pairing
    without the transcript, where only ``ignored`` / ``'###'`` GT words are
    don't care (``filter_words`` and ``word_spotting`` do not apply), a
    prediction is discarded only by the area-precision rule against them,
    and no lexicon step drops one.

    **Score threshold.** The scripts score one submission, so one threshold
    is reported: ``score_thr`` (default 0.5, a config value) for both the
    end-to-end and the detection numbers, or, with ``score_thr_file``, the
    ``score_thr`` / ``det_score_thr`` of that JSON file, written by a run on
    a validation split with ``select_score_thr=True`` (which reports the
    numbers at the threshold of best end-to-end hmean over ``score_thrs``,
    and the detection ones at the best detection threshold, ties: the
    lowest, and writes both to ``score_thr_out``). Which one is used is
    logged. ``score_thrs`` only adds rows to the per-threshold table
    (logged, kept in :attr:`per_threshold_results`).

    Returned metrics (under ``prefix/``): ``precision``, ``recall``,
    ``hmean``, ``score_thr``, ``det_precision``, ``det_recall``,
    ``det_hmean``, ``det_score_thr``.

    Args:
        match_iou_thr (float): A pair matches only if IoU > this. Defaults
            to 0.5.
        ignore_precision_thr (float): A prediction with more than this
            share of its area inside an ignored GT polygon is discarded.
            Defaults to 0.5.
        score_thr (float): The fixed score threshold of the reported
            numbers. Defaults to 0.5.
        score_thrs (dict | sequence of float): The thresholds of the
            per-threshold table (and of the selection with
            ``select_score_thr``), a list or ``dict(start, stop, step)``
            passed to ``np.arange`` as in MMOCR's ``HmeanIOUMetric``, then
            rounded to 10 decimals (note that float steps may reach
            ``stop``: ``dict(start=0.3, stop=0.9, step=0.1)`` gives 0.3,
            0.4, ..., 0.9, the same as the default). Defaults to
            ``(0.3, 0.4, ..., 0.9)``.
        select_score_thr (bool): Report the numbers at the best thresholds
            of this split (a validation split) and write them to
            ``score_thr_out``. Defaults to False.
        score_thr_out (str, optional): JSON file the selection is written
            to (``select_score_thr`` only). Defaults to None.
        score_thr_file (str, optional): JSON file of a selection on a
            validation split; its thresholds replace ``score_thr``.
            Defaults to None.
        coord_rule (str): ``'float'`` or ``'trunc'``. Defaults to
            ``'float'``.
        lexicon_mode (str, optional): ``'strong'``, ``'weak'``,
            ``'generic'`` or ``None`` (no lexicon). Defaults to None.
        lexicon_path (str, optional): Lexicon file (weak / generic) or
            directory (strong). Defaults to None.
        strong_lexicon_pattern (str): File name of an image's strong
            lexicon, ``{stem}`` replaced by the image stem. Defaults to
            ``'voc_{stem}.txt'``.
        lexicon_drop_dist (float, optional): See above; ``None`` never
            drops. Defaults to 1.5.
        lexicon_max_dist_ratio (float, optional): See above. Defaults to
            None.
        word_spotting (bool): Word-spotting mode. Defaults to False.
        min_word_len (int): Shortest cared word when ``filter_words``.
            Defaults to 3.
        filter_words (bool, optional): Whether GT words failing
            ``care_rule`` are "don't care". ``None`` (default) follows
            ``word_spotting`` (ICDAR 2015: only there). ``True`` with
            ``care_rule='alnum'`` in end-to-end mode is the ICDAR 2013
            protocol of the lexicon-based end-to-end results the TPN paper
            compares with (see
            ``configs/textspot/tpn/tpn_vgg16_20k_icdar2013.py``).
        care_rule (str): ``'icdar'`` or ``'alnum'``. Defaults to
            ``'icdar'``.
        case_rule (str): ``'upper'``, ``'lower'`` or ``'none'``. Defaults
            to ``'upper'``.
        symbol_rule (str): ``'icdar'``, ``'strip'`` or ``'none'``.
            Defaults to ``'icdar'``.
        special_chars (str): Characters of the symbol rule. Defaults to
            :data:`ICDAR_SPECIAL_CHARS`.
        matching (str): ``'greedy'`` or ``'bipartite'``. Defaults to
            ``'greedy'``.
        empty_rule (str): ``'icdar'`` or ``'mmocr'``. Defaults to
            ``'icdar'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'e2e'``.
    """

    default_prefix: Optional[str] = 'e2e'

    def __init__(self,
                 match_iou_thr: float = 0.5,
                 ignore_precision_thr: float = 0.5,
                 score_thr: float = 0.5,
                 score_thrs: Union[Dict, Sequence[float]] = (0.3, 0.4, 0.5,
                                                             0.6, 0.7, 0.8,
                                                             0.9),
                 select_score_thr: bool = False,
                 score_thr_out: Optional[str] = None,
                 score_thr_file: Optional[str] = None,
                 coord_rule: str = 'float',
                 lexicon_mode: Optional[str] = None,
                 lexicon_path: Optional[str] = None,
                 strong_lexicon_pattern: str = 'voc_{stem}.txt',
                 lexicon_drop_dist: Optional[float] = 1.5,
                 lexicon_max_dist_ratio: Optional[float] = None,
                 word_spotting: bool = False,
                 min_word_len: int = 3,
                 filter_words: Optional[bool] = None,
                 care_rule: str = 'icdar',
                 case_rule: str = 'upper',
                 symbol_rule: str = 'icdar',
                 special_chars: str = ICDAR_SPECIAL_CHARS,
                 matching: str = 'greedy',
                 empty_rule: str = 'icdar',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.match_iou_thr = float(match_iou_thr)
        self.ignore_precision_thr = float(ignore_precision_thr)
        if isinstance(score_thrs, dict):
            thrs = np.arange(**score_thrs)
        else:
            thrs = np.asarray(list(score_thrs), dtype=np.float64)
        thrs = np.round(thrs.astype(np.float64), 10)
        if thrs.size == 0:
            raise ValueError('score_thrs gives no threshold')
        self.select_score_thr = bool(select_score_thr)
        self.score_thr_out = score_thr_out
        self.score_thr_file = score_thr_file
        if score_thr_out is not None and not self.select_score_thr:
            raise ValueError('score_thr_out is written only with '
                             'select_score_thr=True')
        if score_thr_file is not None and self.select_score_thr:
            raise ValueError('select_score_thr chooses the threshold on this '
                             'split; do not also pass score_thr_file')
        self.score_thr = self.det_score_thr = round(float(score_thr), 10)
        self.score_thr_source = 'fixed (score_thr)'
        if score_thr_file is not None:
            chosen = read_score_thr_file(score_thr_file)
            self.score_thr = chosen['score_thr']
            self.det_score_thr = chosen['det_score_thr']
            self.score_thr_source = (
                f'chosen on a validation split ({score_thr_file}: '
                f"{chosen.get('num_images', '?')} images)")
        if not self.select_score_thr:
            thrs = np.union1d(thrs, [self.score_thr, self.det_score_thr])
        self.score_thrs = thrs
        if coord_rule not in ('float', 'trunc'):
            raise ValueError("coord_rule must be 'float' or 'trunc', got "
                             f'{coord_rule!r}')
        self.coord_rule = coord_rule
        for name, value, choices in (
                ('symbol_rule', symbol_rule, ('icdar', 'strip', 'none')),
                ('case_rule', case_rule, ('upper', 'lower', 'none')),
                ('care_rule', care_rule, ('icdar', 'alnum')),
                ('matching', matching, ('greedy', 'bipartite')),
                ('empty_rule', empty_rule, ('icdar', 'mmocr'))):
            if value not in choices:
                raise ValueError(f'{name} must be one of {choices}, got '
                                 f'{value!r}')
        self.symbol_rule = symbol_rule
        self.case_rule = case_rule
        self.care_rule = care_rule
        self.matching = matching
        self.empty_rule = empty_rule
        self.special_chars = special_chars
        self.word_spotting = word_spotting
        self.min_word_len = int(min_word_len)
        self.filter_words = (word_spotting
                             if filter_words is None else bool(filter_words))
        self.lexicon_drop_dist = lexicon_drop_dist
        self.lexicon_max_dist_ratio = lexicon_max_dist_ratio
        self.strong_lexicon_pattern = strong_lexicon_pattern
        if '{stem}' not in strong_lexicon_pattern:
            raise ValueError('strong_lexicon_pattern must contain {stem}, '
                             f'got {strong_lexicon_pattern!r}')

        if lexicon_mode not in (None, 'strong', 'weak', 'generic'):
            raise ValueError('lexicon_mode must be strong, weak, generic or '
                             f'None, got {lexicon_mode!r}')
        if lexicon_mode is not None and lexicon_path is None:
            raise ValueError(f'lexicon_mode={lexicon_mode!r} needs a '
                             'lexicon_path')
        if lexicon_mode is None and lexicon_path is not None:
            raise ValueError(f'lexicon_path={lexicon_path!r} is given but '
                             'lexicon_mode is None; set lexicon_mode to '
                             'strong, weak or generic')
        self.lexicon_mode = lexicon_mode
        self.lexicon_path = lexicon_path
        self._lexicon: Optional[List[str]] = None
        self._strong_cache: Dict[str, List[str]] = {}
        if lexicon_mode == 'strong':
            if not osp.isdir(lexicon_path):
                raise FileNotFoundError(
                    'strong lexicon_path must be an existing directory of '
                    f'per-image lexicons: {lexicon_path}')
        elif lexicon_mode is not None:
            if not osp.isfile(lexicon_path):
                raise FileNotFoundError(
                    f'{lexicon_mode} lexicon file not found: {lexicon_path}')
            self._lexicon = self._load_lexicon(lexicon_path)
        self.per_threshold_results: List[Dict] = []

    # ------------------------------------------------------------------
    # Text rules
    # ------------------------------------------------------------------
    def fold_case(self, text: str) -> str:
        """``text`` under ``case_rule``."""
        if self.case_rule == 'upper':
            return text.upper()
        if self.case_rule == 'lower':
            return text.lower()
        return text

    def normalize(self, text: str) -> str:
        """A predicted (or lexicon) text as compared: case folded and, with
        ``symbol_rule='strip'``, word-spotting possessive / hyphen rules and
        leading / trailing special characters removed."""
        text = self.fold_case(str(text))
        if self.symbol_rule == 'strip':
            if self.word_spotting:
                if text[-2:] in ("'s", "'S"):
                    text = text[:-2]
                text = text.strip('-')
            text = text.strip(self.special_chars)
        return text

    def normalize_gt(self, text: str) -> str:
        """A GT text as compared: in word spotting with
        ``symbol_rule='icdar'`` its :func:`word_spotting_transcription`
        case folded, else as :meth:`normalize`."""
        if self.word_spotting and self.symbol_rule == 'icdar':
            return self.fold_case(word_spotting_transcription(str(text)))
        return self.normalize(text)

    def is_care_word(self, text: str) -> bool:
        """Whether a (non ``###``) GT word is cared for: always, except with
        ``filter_words`` (word-spotting mode by default), where it must
        pass ``care_rule``."""
        if not self.filter_words:
            return True
        if self.care_rule == 'icdar':
            return in_word_spotting_dictionary(str(text), self.min_word_len)
        word = self.fold_case(str(text))
        if self.word_spotting:
            if word[-2:] in ("'s", "'S"):
                word = word[:-2]
            word = word.strip('-')
        word = word.strip(self.special_chars)
        return len(word) >= self.min_word_len and word.isalnum()

    def texts_match(self, gt: str, pred: str) -> bool:
        """Whether a normalised GT text and a normalised predicted text
        match under ``symbol_rule``."""
        if gt == pred:
            return True
        if (self.symbol_rule != 'icdar' or self.word_spotting
                or not gt):
            return False
        first = gt[0] in self.special_chars
        last = gt[-1] in self.special_chars
        return ((first and gt[1:] == pred) or (last and gt[:-1] == pred)
                or (first and last and gt[1:-1] == pred))

    # ------------------------------------------------------------------
    # Lexicons
    # ------------------------------------------------------------------
    def _load_lexicon(self, path: str) -> List[str]:
        """Normalised, de-duplicated words of a lexicon file, in order
        (UTF-8 with or without BOM, LF or CRLF line ends).

        Raises:
            ValueError: If the file is not UTF-8 or has no word.
        """
        words, seen = [], set()
        try:
            with open(path, encoding='utf-8-sig') as f:
                lines = f.read().splitlines()
        except UnicodeDecodeError as e:
            raise ValueError(f'lexicon file {path} is not UTF-8: {e}') \
                from None
        for line in lines:
            word = line.strip()
            if not word:
                continue
            word = self.normalize(word)
            if word and word not in seen:
                seen.add(word)
                words.append(word)
        if not words:
            raise ValueError(f'lexicon file has no word: {path}')
        return words

    def lexicon_for(self, img_path: Optional[str]) -> Optional[List[str]]:
        """The lexicon of an image (``None`` without lexicon)."""
        if self.lexicon_mode is None:
            return None
        if self.lexicon_mode != 'strong':
            return self._lexicon
        if img_path is None:
            raise KeyError('a strong lexicon needs img_path in the data '
                           'sample')
        stem = Path(str(img_path)).stem
        path = osp.join(self.lexicon_path,
                        self.strong_lexicon_pattern.format(stem=stem))
        if path not in self._strong_cache:
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'strong lexicon of image {img_path} not found: {path}')
            self._strong_cache[path] = self._load_lexicon(path)
        return self._strong_cache[path]

    def apply_lexicon(self, text: str,
                      lexicon: Optional[Sequence[str]]) -> Optional[str]:
        """Normalised ``text`` replaced by its nearest lexicon word, or
        ``None`` if the prediction is dropped (see the class docstring for
        the distance rules)."""
        if lexicon is None:
            return text
        word, dist = nearest_word(text, lexicon)
        if (self.lexicon_drop_dist is not None
                and self.lexicon_mode != 'generic'
                and dist >= self.lexicon_drop_dist):
            return None
        if self.lexicon_max_dist_ratio is not None and dist / max(
                len(text), len(word), 1) > self.lexicon_max_dist_ratio:
            return text
        return word

    # ------------------------------------------------------------------
    # MMEngine interface
    # ------------------------------------------------------------------
    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Compute, per image, the IoU matrix between the GT words and the
        predictions that can count at some threshold for detection (Task
        4.1 rules), the end-to-end sub-matrix (its cared GT words and kept
        predictions) with its text-match matrix, and store them in
        ``self.results``."""
        min_thr = np.float32(self.score_thrs.min())
        trunc = self.coord_rule == 'trunc'
        for sample in data_samples:
            gt = sample.get('gt_instances')
            pred = sample.get('pred_instances')
            gt_polys = [
                _to_polygon(p, trunc) for p in gt.get('polygons', [])
            ]
            gt_texts = [str(t) for t in gt.get('texts', [])]
            if len(gt_texts) != len(gt_polys):
                raise ValueError(f'{len(gt_polys)} GT polygons but '
                                 f'{len(gt_texts)} GT texts')
            ignored = gt.get('ignored', None)
            if ignored is None:
                ignored = np.zeros(len(gt_polys), dtype=bool)
            ignored = _to_numpy(ignored).astype(bool).reshape(-1)
            if ignored.size != len(gt_polys):
                raise ValueError(f'{len(gt_polys)} GT polygons but '
                                 f'{ignored.size} ignored flags')
            # Don't care for detection: flagged or '###'; end to end also
            # the words failing the care rule (filter_words).
            det_ignored = np.array(
                [ig or t == IGNORE_TEXT for ig, t in zip(ignored, gt_texts)],
                dtype=bool)
            gt_ignored = det_ignored | np.array(
                [not self.is_care_word(t) for t in gt_texts], dtype=bool)

            pred_polys = [
                _to_polygon(p, trunc) for p in pred.get('polygons', [])
            ]
            pred_texts = [str(t) for t in pred.get('texts', [])]
            # Scores are compared in float32 (the dtype models emit), so a
            # score of 0.9 passes the threshold 0.9.
            scores = _to_numpy(pred.get('scores', [])).astype(
                np.float32).reshape(-1)
            if not len(pred_polys) == len(pred_texts) == scores.size:
                raise ValueError(
                    f'{len(pred_polys)} predicted polygons, '
                    f'{len(pred_texts)} texts and {scores.size} scores')

            # Predictions that can count at some threshold and do not lie
            # on a don't-care GT word (of the detection / end-to-end sets).
            # Applied once, to all arrays together.
            cand = scores >= min_thr
            det_keep, keep = cand.copy(), cand.copy()
            ignored_gt_ids = np.flatnonzero(gt_ignored)
            for j in np.flatnonzero(cand):
                area = pred_polys[j].area
                for i in ignored_gt_ids:
                    inter = poly_intersection(gt_polys[i], pred_polys[j])
                    if inter / (area + 1e-5) > self.ignore_precision_thr:
                        keep[j] = False
                        if det_ignored[i]:
                            det_keep[j] = False
                            break
            lexicon = self.lexicon_for(sample.get('img_path', None)) \
                if keep.any() else None
            norm_preds = {}
            for j in np.flatnonzero(keep):
                text = self.apply_lexicon(
                    self.normalize(pred_texts[j]), lexicon)
                if text is None:  # dropped by the lexicon step
                    keep[j] = False
                else:
                    norm_preds[j] = text

            det_gt_ids = np.flatnonzero(~det_ignored)
            det_pred_ids = np.flatnonzero(det_keep)
            det_iou = np.zeros((len(det_gt_ids), len(det_pred_ids)),
                               dtype=np.float64)
            for a, i in enumerate(det_gt_ids):
                for b, j in enumerate(det_pred_ids):
                    det_iou[a, b] = poly_iou(gt_polys[i], pred_polys[j])
            # The end-to-end sets are subsets of the detection ones.
            rows = np.flatnonzero(~gt_ignored[det_gt_ids])
            cols = np.flatnonzero(keep[det_pred_ids])
            care_ids, pred_ids = det_gt_ids[rows], det_pred_ids[cols]
            norm_preds = [norm_preds[j] for j in pred_ids]
            norm_gts = [self.normalize_gt(gt_texts[i]) for i in care_ids]
            text_ok = np.array(
                [[self.texts_match(g, p) for p in norm_preds]
                 for g in norm_gts],
                dtype=bool).reshape(len(care_ids), len(pred_ids))
            self.results.append(
                dict(
                    iou=det_iou[np.ix_(rows, cols)],
                    text_match=text_ok,
                    scores=scores[pred_ids],
                    pred_texts=norm_preds,
                    gt_texts=norm_gts,
                    det_iou=det_iou,
                    det_scores=scores[det_pred_ids]))

    @staticmethod
    def _max_matching(edges: np.ndarray) -> int:
        """Size of the maximum one-to-one matching of a bipartite graph
        given as a boolean (GT, prediction) matrix."""
        if edges.size == 0 or not edges.any():
            return 0
        matched = maximum_bipartite_matching(
            csr_matrix(edges.astype(np.int8)), perm_type='row')
        return int(np.sum(matched != -1))

    @staticmethod
    def _greedy_pairs(iou_ok: np.ndarray) -> List[Tuple[int, int]]:
        """The ICDAR script's pairing: each GT row in order takes the first
        still free prediction column whose entry is True."""
        free = np.ones(iou_ok.shape[1], dtype=bool)
        pairs = []
        for g in range(iou_ok.shape[0]):
            cand = np.flatnonzero(iou_ok[g] & free)
            if cand.size:
                free[cand[0]] = False
                pairs.append((g, int(cand[0])))
        return pairs

    def _hits(self, det_ok: np.ndarray, text_ok: np.ndarray) -> int:
        """End-to-end hits of one image's selection."""
        if self.matching == 'greedy':
            return sum(
                bool(text_ok[g, p]) for g, p in self._greedy_pairs(det_ok))
        return self._max_matching(det_ok & text_ok)

    def _det_hits(self, det_ok: np.ndarray) -> int:
        """Detection hits of one image's selection."""
        if self.matching == 'greedy':
            return len(self._greedy_pairs(det_ok))
        return self._max_matching(det_ok)

    def _prf(self, hits: int, gt_num: int,
             pred_num: int) -> Tuple[float, float, float]:
        """(recall, precision, hmean) under ``empty_rule``."""
        if self.empty_rule == 'mmocr':
            return compute_hmean(hits, hits, gt_num, pred_num)
        recall = hits / gt_num if gt_num else 0.0
        precision = hits / pred_num if pred_num else 0.0
        hmean = (0.0 if recall + precision == 0 else
                 2 * recall * precision / (recall + precision))
        return recall, precision, hmean

    def per_threshold(self, results: List[Dict]) -> List[Dict]:
        """Counts and precision / recall / hmean (end-to-end and detection)
        at every threshold of ``score_thrs``."""
        iou_ok = [r['iou'] > self.match_iou_thr for r in results]
        det_iou_ok = [r['det_iou'] > self.match_iou_thr for r in results]
        gt_num = int(sum(r['iou'].shape[0] for r in results))
        det_gt_num = int(sum(r['det_iou'].shape[0] for r in results))
        rows = []
        for thr in self.score_thrs:
            thr32 = np.float32(thr)
            pred_num = e2e_hits = det_pred_num = det_hits = 0
            for r, ok, det_ok in zip(results, iou_ok, det_iou_ok):
                # Fresh selection from the full prediction set of the image.
                sel = r['scores'] >= thr32
                pred_num += int(sel.sum())
                e2e_hits += self._hits(ok[:, sel], r['text_match'][:, sel])
                det_sel = r['det_scores'] >= thr32
                det_pred_num += int(det_sel.sum())
                det_hits += self._det_hits(det_ok[:, det_sel])
            rec, prec, hmean = self._prf(e2e_hits, gt_num, pred_num)
            d_rec, d_prec, d_hmean = self._prf(det_hits, det_gt_num,
                                               det_pred_num)
            rows.append(
                dict(
                    score_thr=float(thr),
                    gt_num=gt_num,
                    pred_num=pred_num,
                    hits=e2e_hits,
                    det_gt_num=det_gt_num,
                    det_pred_num=det_pred_num,
                    det_hits=det_hits,
                    precision=prec,
                    recall=rec,
                    hmean=hmean,
                    det_precision=d_prec,
                    det_recall=d_rec,
                    det_hmean=d_hmean))
        return rows

    def _chosen_rows(self, rows: List[Dict]) -> Tuple[Dict, Dict]:
        """The rows of the reported end-to-end and detection thresholds."""
        if self.select_score_thr:
            # first max: the lowest threshold
            return (max(rows, key=lambda r: r['hmean']),
                    max(rows, key=lambda r: r['det_hmean']))
        by_thr = {r['score_thr']: r for r in rows}
        return by_thr[self.score_thr], by_thr[self.det_score_thr]

    def _write_selection(self, e2e: Dict, det: Dict, num_images: int) -> None:
        """Write the thresholds chosen on this split to ``score_thr_out``."""
        out = dict(
            score_thr=e2e['score_thr'],
            det_score_thr=det['score_thr'],
            num_images=num_images,
            gt_num=e2e['gt_num'],
            hmean=e2e['hmean'],
            det_hmean=det['det_hmean'],
            score_thrs=[float(t) for t in self.score_thrs],
            lexicon_mode=self.lexicon_mode,
            word_spotting=self.word_spotting)
        dirname = osp.dirname(self.score_thr_out)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        with open(self.score_thr_out, 'w', encoding='utf-8') as f:
            json.dump(out, f, indent=2)
            f.write('\n')

    def compute_metrics(self, results: List[Dict]) -> Dict:
        """End-to-end and detection metrics at the reported thresholds
        (see the class docstring)."""
        logger: MMLogger = MMLogger.get_current_instance()
        rows = self.per_threshold(results)
        self.per_threshold_results = rows
        header = (f'{"thr":>5} {"gt":>6} {"pred":>6} {"hits":>6} '
                  f'{"P":>7} {"R":>7} {"H":>7} {"det_gt":>6} '
                  f'{"det_pred":>8} {"det_hits":>8} '
                  f'{"det_P":>7} {"det_R":>7} {"det_H":>7}')
        lines = [header]
        for r in rows:
            lines.append(
                f'{r["score_thr"]:5.2f} {r["gt_num"]:6d} {r["pred_num"]:6d} '
                f'{r["hits"]:6d} {r["precision"]:7.4f} {r["recall"]:7.4f} '
                f'{r["hmean"]:7.4f} {r["det_gt_num"]:6d} '
                f'{r["det_pred_num"]:8d} {r["det_hits"]:8d} '
                f'{r["det_precision"]:7.4f} {r["det_recall"]:7.4f} '
                f'{r["det_hmean"]:7.4f}')
        lex = self.lexicon_mode or 'none'
        logger.info(f'End-to-end spotting (lexicon: {lex}, word spotting: '
                    f'{self.word_spotting}) per score threshold:\n' +
                    '\n'.join(lines))
        best, det_best = self._chosen_rows(rows)
        if self.select_score_thr:
            source = ('chosen on this split (best hmean over score_thrs: '
                      'meant for a validation split)')
            if self.score_thr_out is not None:
                self._write_selection(best, det_best, len(results))
                source += f', written to {self.score_thr_out}'
        else:
            source = self.score_thr_source
        logger.info(f'Reported at score threshold {best["score_thr"]:g} '
                    f'(end to end) / {det_best["score_thr"]:g} (detection): '
                    f'{source}')
        return dict(
            precision=best['precision'],
            recall=best['recall'],
            hmean=best['hmean'],
            score_thr=best['score_thr'],
            det_precision=det_best['det_precision'],
            det_recall=det_best['det_recall'],
            det_hmean=det_best['det_hmean'],
            det_score_thr=det_best['score_thr'])
