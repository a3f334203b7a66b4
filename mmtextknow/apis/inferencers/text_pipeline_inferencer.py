# Copyright (c) mmtextknow contributors. All rights reserved.
"""One-call pipeline: detection, recognition, segmentation, text removal."""
import logging
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import cv2
import mmcv
import mmengine
import numpy as np
import torch
from mmengine.logging import print_log
from mmocr.apis.inferencers import MMOCRInferencer
from mmocr.utils import ConfigType, bbox2poly, crop_img, poly2bbox
from rich.progress import track

from mmtextknow.utils import DataError
from mmtextknow.utils.polygon import polygon_area
from mmtextknow.visualization.textseg_visualizer import (mask_outline,
                                                         overlay_mask)
from .text_removal import (Remover, build_remover, dilate_mask,
                           remove_masked_text)
from .textseg_inferencer import TextSegInferencer, list_inputs

InputType = Union[str, np.ndarray]
InputsType = Union[InputType, Sequence[InputType]]

#: Where the mask given to the text remover comes from.
REMOVAL_MASKS = {
    'pixel': "the segmentation model's pixel-level mask",
    'polygon': "the segmentation model's polygon-level mask",
    'det': 'the detected word polygons, filled',
}


def read_image(path: str) -> np.ndarray:
    """Read an image file as stored (EXIF orientation ignored, as MMOCR's
    text detection configs do), so that every coordinate refers to the
    stored pixels.

    Args:
        path (str): The image file.

    Returns:
        np.ndarray: HxWx3 uint8 BGR image.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        DataError: The file cannot be decoded as an image.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: input not found')
    try:
        image = mmcv.imread(path, flag='color_ignore_orientation')
    except (OSError, cv2.error) as e:
        raise DataError(f'{path}: cannot be read as an image ({e})') from e
    if image is None or image.size == 0:
        raise DataError(f'{path}: cannot be decoded as an image '
                        '(corrupt or not an image file)')
    return image


def clip_polygons(polygons: Sequence[np.ndarray], height: int,
                  width: int) -> List[np.ndarray]:
    """Clip each polygon's vertices to the image (x to [0, width - 1], y to
    [0, height - 1]); a convex polygon stays convex and inside."""
    clipped = []
    for polygon in polygons:
        points = np.asarray(polygon, dtype=np.float32).reshape(-1, 2).copy()
        points[:, 0] = np.clip(points[:, 0], 0, width - 1)
        points[:, 1] = np.clip(points[:, 1], 0, height - 1)
        clipped.append(points.reshape(-1))
    return clipped


def fill_polygons(polygons: Sequence[np.ndarray], height: int,
                  width: int) -> np.ndarray:
    """An HxW uint8 0/1 mask of the filled polygons."""
    mask = np.zeros((height, width), np.uint8)
    points = [
        np.round(np.asarray(p).reshape(-1, 2)).astype(np.int32)
        for p in polygons
    ]
    if points:
        cv2.fillPoly(mask, points, 1)
    return mask


class TextPipelineInferencer(MMOCRInferencer):
    """Word polygons, transcripts, text masks and a text-free image in one
    call.

    Each image goes through

    1. MMOCR's :class:`TextDetInferencer` (any detector config: DBNet,
       TCM, ...): word polygons, clipped to the image; a polygon with no
       area left inside the image is dropped;
    2. MMOCR's :class:`TextRecInferencer` (any recognizer config: DAN,
       CRNN, ...; optional) on each word's crop, cut as MMOCR's own
       det + rec pipeline cuts it (the polygon's bounding box, padded);
    3. :class:`TextSegInferencer` (FCN, MGNet, ARM-Net; optional): the
       pixel-level mask (and the polygon-level mask if the model predicts
       one);
    4. text removal (optional): the mask chosen by ``removal_mask``,
       dilated by ``dilation`` pixels, is inpainted by ``remover``; pixels
       outside the dilated mask are kept exactly.

    Every output is in the frame of the stored image (the models' resizing
    is undone; EXIF orientation is ignored, as in MMOCR's detection
    configs). Calling it returns ``dict(predictions=[...],
    visualization=[...], skipped=[...])`` with one prediction per image::

        dict(det_polygons=[[x1, y1, ...], ...], det_scores=[...],
             rec_texts=[...], rec_scores=[...],      # with a recognizer
             img_shape=[H, W],
             pixel_mask=HxW uint8 0/1,                # with a segmenter
             polygon_mask=HxW uint8 0/1,              # if it predicts one
             removal_mask=HxW uint8 0/1,              # the dilated mask
             text_free=HxWx3 uint8 BGR,               # with a remover
             files=dict(...))                         # what was written

    With ``save_pred`` it writes, under ``out_dir``,
    ``preds/<stem>.json`` (the list fields above, ``img_shape``,
    ``removal_mask_source`` and ``files``: the written files relative to
    ``out_dir``), ``masks/<stem>_{pixel,polygon,removal}_mask.png`` (0/255)
    and ``text_free/<stem>.png``; with ``save_vis``, ``vis/<stem>.png``:
    MMOCR's drawing of the words (polygons, and transcripts beside them
    with a recognizer), the text masks over the image (pixel mask filled in
    red, the dilated removal mask outlined in yellow) and the text-free
    image, side by side. Images given as arrays are named ``0``, ``1``, ...

    Args:
        det (str or dict): Text detection config (file or config).
        det_weights (str, optional): Its checkpoint. Defaults to None
            (random weights, with MMOCR's warning).
        rec (str or dict, optional): Text recognition config. Defaults to
            None (no transcripts).
        rec_weights (str, optional): Its checkpoint. Defaults to None.
        seg (str or dict, optional): Text segmentation config. Defaults to
            None (no pixel masks).
        seg_weights (str, optional): Its checkpoint. Defaults to None.
        device (str, optional): Device to run on. Defaults to None (auto).
        removal_mask (str, optional): Mask given to the remover: 'pixel' or
            'polygon' (the segmentation model's masks) or 'det' (the filled
            word polygons). Defaults to None: 'pixel' with a segmentation
            model, else 'det'.
        dilation (int): Pixels by which the removal mask grows before
            inpainting (the halo and the anti-aliased edge of the strokes).
            Defaults to 3.
        remover (str or callable, optional): 'telea' or 'ns' for
            ``cv2.inpaint``'s methods, or a callable ``(image BGR HxWx3
            uint8, mask HxW uint8 0/1) -> image``, given the already dilated
            mask (a learned inpainter, a project's remover). None: no text
            removal. Defaults to 'telea'.
        inpaint_radius (float): Radius of ``cv2.inpaint``. Defaults to 3.

    Examples:
        >>> pipeline = TextPipelineInferencer(
        ...     det='configs/textdet/tcm/CONFIG.py', det_weights='det.pth',
        ...     rec='configs/textrecog/dan/CONFIG.py', rec_weights='rec.pth',
        ...     seg='configs/textseg/mgnet/CONFIG.py', seg_weights='seg.pth')
        >>> result = pipeline('demo.jpg', out_dir='results', save_pred=True)
        >>> result['predictions'][0]['rec_texts']
    """

    def __init__(self,
                 det: Union[ConfigType, str],
                 det_weights: Optional[str] = None,
                 rec: Optional[Union[ConfigType, str]] = None,
                 rec_weights: Optional[str] = None,
                 seg: Optional[Union[ConfigType, str]] = None,
                 seg_weights: Optional[str] = None,
                 device: Optional[str] = None,
                 removal_mask: Optional[str] = None,
                 dilation: int = 3,
                 remover: Optional[Union[str, Remover]] = 'telea',
                 inpaint_radius: float = 3) -> None:
        if det is None:
            raise ValueError('the pipeline needs a text detection config')
        for config, weights in ((det, det_weights), (rec, rec_weights),
                                (seg, seg_weights)):
            self._check_files(config, weights)
        if removal_mask is None:
            removal_mask = 'pixel' if seg is not None else 'det'
        if removal_mask not in REMOVAL_MASKS:
            raise ValueError(f'unknown removal_mask {removal_mask!r}; choose '
                             f'one of {sorted(REMOVAL_MASKS)}')
        if removal_mask != 'det' and seg is None:
            raise ValueError(f'removal_mask={removal_mask!r} needs a text '
                             'segmentation model (seg)')
        if dilation < 0:
            raise ValueError(f'dilation must be >= 0, got {dilation}')
        super().__init__(
            det=det, det_weights=det_weights, rec=rec,
            rec_weights=rec_weights, device=device)
        self.textseg_inferencer = (
            TextSegInferencer(seg, seg_weights, device=device)
            if seg is not None else None)
        self.removal_mask = removal_mask
        self.dilation = int(dilation)
        self.remover = (
            build_remover(remover, inpaint_radius)
            if remover is not None else None)
        self.num_unnamed_imgs = 0

    @staticmethod
    def _check_files(config: Optional[Union[ConfigType, str]],
                     weights: Optional[str]) -> None:
        """Raise FileNotFoundError naming a missing config or checkpoint."""
        if isinstance(config, str) and not osp.isfile(config):
            raise FileNotFoundError(f'{config}: config not found')
        if weights and '://' not in weights and not osp.isfile(weights):
            raise FileNotFoundError(f'{weights}: checkpoint not found')

    def __call__(self,
                 inputs: InputsType,
                 batch_size: int = 1,
                 rec_batch_size: Optional[int] = None,
                 out_dir: str = 'results/',
                 save_pred: bool = False,
                 save_vis: bool = False,
                 return_vis: bool = False,
                 show: bool = False,
                 wait_time: float = 0,
                 pred_score_thr: float = 0.3,
                 print_result: bool = False,
                 skip_unreadable: bool = False,
                 progress_bar: bool = True) -> dict:
        """Run the pipeline on the inputs.

        Args:
            inputs (str, np.ndarray or list): An image file, a folder of
                images (taken by extension, in name order), a BGR image, or
                a list of files and images.
            batch_size (int): Images per batch of the detection and the
                segmentation models. Defaults to 1.
            rec_batch_size (int, optional): Word crops per batch of the
                recognizer. Defaults to ``batch_size``.
            out_dir (str): Output folder. Defaults to 'results/'.
            save_pred (bool): Write the JSON, the masks and the text-free
                images. Defaults to False.
            save_vis (bool): Write the visualisations. Defaults to False.
            return_vis (bool): Return the visualisations (RGB arrays).
                Defaults to False.
            show (bool): Show each visualisation in a window. Defaults to
                False.
            wait_time (float): Seconds each shown window stays. Defaults to
                0 (until a key is pressed).
            pred_score_thr (float): Words below this score are not drawn
                (they are all kept in the predictions). Defaults to 0.3.
            print_result (bool): Print one line per image (its words and
                its number of text pixels). Defaults to False.
            skip_unreadable (bool): Skip an image file that cannot be
                decoded (with a warning; the file is listed in ``skipped``)
                instead of raising. Defaults to False.
            progress_bar (bool): Show a progress bar. Defaults to True.

        Returns:
            dict: ``predictions`` (see the class docstring),
            ``visualization`` (with ``return_vis``) and ``skipped`` (the
            unreadable inputs that were skipped).

        Raises:
            FileNotFoundError: An input path does not exist.
            DataError: An input file cannot be decoded as an image (unless
                ``skip_unreadable``).
        """
        if (save_pred or save_vis) and not out_dir:
            raise ValueError('out_dir must be specified when save_pred or '
                             'save_vis is True')
        items = list_inputs(inputs)
        for item in items:
            if isinstance(item, str) and not osp.exists(item):
                raise FileNotFoundError(f'{item}: input not found')
        results = dict(predictions=[], visualization=[], skipped=[])
        chunks = [
            items[i:i + batch_size] for i in range(0, len(items), batch_size)
        ]
        for chunk in track(
                chunks, description='Inference', disable=not progress_bar):
            images, names = [], []
            for item in chunk:
                try:
                    images.append(self._load(item))
                except DataError as e:
                    if not skip_unreadable:
                        raise
                    print_log(f'skipped {e}', logger='current',
                              level=logging.WARNING)
                    results['skipped'].append(item)
                    continue
                names.append(self._name(item))
            if not images:
                continue
            preds = self.forward(
                images, batch_size=batch_size,
                rec_batch_size=rec_batch_size or batch_size)
            vis = None
            if save_vis or return_vis or show:
                vis = self.visualize(images, preds, pred_score_thr)
            batch = self.postprocess(
                preds, names, vis, out_dir=out_dir, save_pred=save_pred,
                save_vis=save_vis, print_result=print_result)
            if show:
                for image in vis:
                    mmcv.imshow(image[..., ::-1], wait_time=wait_time)
            results['predictions'].extend(batch)
            if return_vis:
                results['visualization'].extend(vis)
        return results

    def _load(self, item: InputType) -> np.ndarray:
        """An input as an HxWx3 uint8 BGR image."""
        if isinstance(item, str):
            return read_image(item)
        if not isinstance(item, np.ndarray):
            raise TypeError(f'an input must be an image path or a numpy '
                            f'image, got {type(item).__name__}')
        if item.ndim == 2:
            return cv2.cvtColor(item, cv2.COLOR_GRAY2BGR)
        if item.ndim != 3 or item.shape[2] != 3 or item.dtype != np.uint8:
            raise ValueError('an image array must be HxWx3 uint8 (BGR), got '
                             f'shape {item.shape} and dtype {item.dtype}')
        return item

    def _name(self, item: InputType) -> str:
        """The output stem of an input: its file name without extension, or
        ``0``, ``1``, ... for arrays."""
        if isinstance(item, str):
            return osp.splitext(osp.basename(item))[0]
        name = str(self.num_unnamed_imgs)
        self.num_unnamed_imgs += 1
        return name

    def forward(self, images: List[np.ndarray], batch_size: int = 1,
                rec_batch_size: int = 1) -> Dict[str, list]:
        """Run the models on a batch of images.

        Args:
            images (list[np.ndarray]): HxWx3 uint8 BGR images.
            batch_size (int): Batch size of detection and segmentation.
            rec_batch_size (int): Batch size of recognition.

        Returns:
            dict: ``shape`` (``[H, W]`` per image), ``det``
            (TextDetDataSample per image, polygons clipped),
            ``rec`` (a list of TextRecogDataSample per image; with a
            recognizer), ``seg`` (TextSegInferencer's dict per image; with
            a segmenter), ``removal_mask`` and ``text_free`` (per image;
            with a remover).
        """
        dets = self.textdet_inferencer(
            images, return_datasamples=True, batch_size=batch_size,
            progress_bar=False)['predictions']
        for image, det in zip(images, dets):
            self._clip_to_image(det, *image.shape[:2])
        result = dict(det=dets, shape=[list(i.shape[:2]) for i in images])
        if 'rec' in self.mode:
            result['rec'] = [
                self._recognize(image, det, rec_batch_size)
                for image, det in zip(images, dets)
            ]
        if self.textseg_inferencer is not None:
            result['seg'] = self.textseg_inferencer(
                images, batch_size=batch_size,
                progress_bar=False)['predictions']
        if self.remover is not None:
            result['removal_mask'], result['text_free'] = [], []
            for i, image in enumerate(images):
                mask = dilate_mask(self._mask_to_remove(result, i, image),
                                   self.dilation)
                result['removal_mask'].append(mask)
                result['text_free'].append(
                    remove_masked_text(image, mask, self.remover))
        return result

    @staticmethod
    def _clip_to_image(det, height: int, width: int) -> None:
        """Clip the predicted polygons of ``det`` to the image in place and
        drop those with no area inside it."""
        instances = det.pred_instances
        polygons = clip_polygons(instances.polygons, height, width)
        keep = [i for i, p in enumerate(polygons) if polygon_area(p) > 0]
        if len(keep) < len(polygons):
            instances = instances[torch.as_tensor(keep, dtype=torch.long)]
            polygons = [polygons[i] for i in keep]
        instances.polygons = polygons
        det.pred_instances = instances

    def _recognize(self, image: np.ndarray, det, batch_size: int) -> list:
        """Recognise the words of one image: MMOCR's crops (the padded
        bounding box of each polygon) through the recognizer."""
        crops = [
            crop_img(image, bbox2poly(poly2bbox(polygon)).tolist())
            for polygon in det.pred_instances.polygons
        ]
        if not crops:
            return []
        return self.textrec_inferencer(
            crops, return_datasamples=True, batch_size=batch_size,
            progress_bar=False)['predictions']

    def _mask_to_remove(self, result: Dict[str, list], index: int,
                        image: np.ndarray) -> np.ndarray:
        """The undilated removal mask of image ``index``."""
        height, width = image.shape[:2]
        if self.removal_mask == 'det':
            return fill_polygons(result['det'][index].pred_instances.polygons,
                                 height, width)
        key = f'{self.removal_mask}_mask'
        seg = result['seg'][index]
        if key not in seg:
            raise ValueError(
                f"removal_mask='{self.removal_mask}': the segmentation model "
                f"predicts no {self.removal_mask}-level mask (only "
                f'{sorted(seg)})')
        return seg[key]

    def visualize(self, images: List[np.ndarray], preds: Dict[str, list],
                  pred_score_thr: float = 0.3) -> List[np.ndarray]:
        """Draw each image's words, masks and text-free image side by side.

        Args:
            images (list[np.ndarray]): The BGR images.
            preds (dict): The output of :meth:`forward`.
            pred_score_thr (float): Words below this score are not drawn.

        Returns:
            list[np.ndarray]: One RGB drawing per image.
        """
        words = super().visualize(
            images, {k: preds[k] for k in ('det', 'rec') if k in preds},
            return_vis=True, pred_score_thr=pred_score_thr)
        drawings = []
        for i, (image, word_panel) in enumerate(zip(images, words)):
            panels = [word_panel]
            rgb = image[..., ::-1]
            if 'seg' in preds or 'removal_mask' in preds:
                masks = rgb
                if 'seg' in preds:
                    masks = overlay_mask(masks, preds['seg'][i]['pixel_mask']
                                         > 0, (255, 0, 0))
                if 'removal_mask' in preds:
                    outline = mask_outline(preds['removal_mask'][i] > 0, 2)
                    masks = overlay_mask(masks, outline, (255, 255, 0), 1.0)
                panels.append(masks)
            if 'text_free' in preds:
                panels.append(preds['text_free'][i][..., ::-1])
            drawings.append(np.concatenate(panels, axis=1))
        return drawings

    def postprocess(self,
                    preds: Dict[str, list],
                    names: List[str],
                    visualization: Optional[List[np.ndarray]] = None,
                    out_dir: str = '',
                    save_pred: bool = False,
                    save_vis: bool = False,
                    print_result: bool = False) -> List[Dict]:
        """Convert the predictions of a batch and write them.

        Args:
            preds (dict): The output of :meth:`forward`.
            names (list[str]): The output stem of each image.
            visualization (list[np.ndarray], optional): The drawings.
            out_dir (str): The output folder.
            save_pred (bool): Write JSON, masks and text-free images.
            save_vis (bool): Write the drawings.
            print_result (bool): Print one line per image.

        Returns:
            list[dict]: One prediction per image (see the class docstring).
        """
        results = []
        for i, name in enumerate(names):
            det = self.textdet_inferencer.pred2dict(preds['det'][i])
            result = dict(
                det_polygons=det['polygons'], det_scores=det['scores'])
            if 'rec' in preds:
                recs = [self.textrec_inferencer.pred2dict(r)
                        for r in preds['rec'][i]]
                result['rec_texts'] = [r['text'] for r in recs]
                result['rec_scores'] = [r['scores'] for r in recs]
            result['img_shape'] = preds['shape'][i]
            arrays = {}
            if 'seg' in preds:
                arrays.update({
                    key: value
                    for key, value in preds['seg'][i].items()
                    if key.endswith('_mask')
                })
            if 'removal_mask' in preds:
                arrays['removal_mask'] = preds['removal_mask'][i]
                arrays['text_free'] = preds['text_free'][i]
            files = {}
            if save_pred:
                files.update(self._save_arrays(arrays, name, out_dir))
            if save_vis and visualization is not None:
                files['vis'] = osp.join('vis', f'{name}.png')
                mmcv.imwrite(visualization[i][..., ::-1],
                             osp.join(out_dir, files['vis']))
            if save_pred:
                record = dict(result, files=files)
                if 'removal_mask' in preds:
                    record['removal_mask_source'] = self.removal_mask
                mmengine.dump(
                    record, osp.join(out_dir, 'preds', f'{name}.json'),
                    ensure_ascii=False)
            if print_result:
                print(self.summary(name, result, arrays))
            results.append(dict(result, **arrays, files=files))
        return results

    @staticmethod
    def _save_arrays(arrays: Dict[str, np.ndarray], name: str,
                     out_dir: str) -> Dict[str, str]:
        """Write masks (0/255 PNG) and the text-free image (PNG); return
        their paths relative to ``out_dir``."""
        files = {}
        for key, array in arrays.items():
            if key == 'text_free':
                files[key] = osp.join('text_free', f'{name}.png')
                image = array
            else:
                files[key] = osp.join('masks', f'{name}_{key}.png')
                image = (array > 0).astype(np.uint8) * 255
            mmcv.imwrite(image, osp.join(out_dir, files[key]))
        return files

    @staticmethod
    def summary(name: str, result: Dict, arrays: Dict[str, np.ndarray]) -> str:
        """One line: the image, its words (and texts), its text pixels."""
        line = f'{name}: {len(result["det_polygons"])} words'
        if 'rec_texts' in result:
            line += ' ' + str(result['rec_texts'])
        if 'pixel_mask' in arrays:
            line += f', {int(arrays["pixel_mask"].sum())} text pixels'
        return line
