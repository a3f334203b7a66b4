# Copyright (c) mmtextknow contributors. All rights reserved.
"""Inferencer of pixel-level text segmentation."""
import os
import os.path as osp
import re
from functools import partial
from typing import Callable, Dict, List, Optional, Sequence, Union

import cv2
import mmcv
import numpy as np
from mmengine.dataset import Compose
from mmocr.apis.inferencers.base_mmocr_inferencer import BaseMMOCRInferencer
from mmocr.utils import ConfigType

from mmtextknow.structures import TextSegDataSample
from mmtextknow.utils import DataError

InputType = Union[str, np.ndarray]
InputsType = Union[InputType, Sequence[InputType]]

#: Predicted fields of :class:`TextSegDataSample` and their result prefix.
MASK_FIELDS = {'pred_pixel_mask': 'pixel', 'pred_polygon_mask': 'polygon'}

#: File extensions of the images taken from an input folder.
IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')

#: Pipeline steps that load ground truth, which inference does not have.
ANNOTATION_STEP = re.compile(r'^Load\w*Annotations$|^LoadTextMasks$')


def _load_checked(pipeline: Callable, single_input: InputType) -> dict:
    """Run ``pipeline`` on one input; an unreadable image is a DataError.

    Args:
        pipeline (Callable): The test pipeline, starting with
            ``InferencerLoader``.
        single_input (str or np.ndarray): An image path or a BGR image.

    Returns:
        dict: The packed ``inputs`` and ``data_samples``.
    """
    try:
        return pipeline(single_input)
    except FileNotFoundError:
        raise
    except (OSError, cv2.error) as e:
        name = single_input if isinstance(single_input, str) else '<array>'
        raise DataError(f'{name}: cannot be read as an image ({e})') from e


def list_inputs(inputs: InputsType) -> list:
    """The inputs as a list: a folder gives its image files (by extension,
    in name order), a single path or array a list of one."""
    if isinstance(inputs, str) and osp.isdir(inputs):
        return [
            osp.join(inputs, name) for name in sorted(os.listdir(inputs))
            if name.lower().endswith(IMG_EXTENSIONS)
        ]
    if isinstance(inputs, (list, tuple)):
        return list(inputs)
    return [inputs]


def _to_uint8_png(array: np.ndarray, path: str) -> None:
    """Write an HxW array in [0, 1] as an 8-bit PNG (value x 255)."""
    image = np.clip(np.round(array * 255), 0, 255).astype(np.uint8)
    mmcv.imwrite(image, path)


class TextSegInferencer(BaseMMOCRInferencer):
    """Inferencer of pixel-level text segmentation (FCN, MGNet, ...).

    Calling it on an image path, a folder, a BGR numpy image or a list of
    these returns MMOCR's ``dict(predictions=[...], visualization=[...])``,
    one prediction per image::

        dict(pixel_mask=HxW uint8 0/1, pixel_prob=HxW float32,
             polygon_mask=..., polygon_prob=...)  # polygon: if predicted

    at the original image size. With ``out_dir`` the masks are written to
    ``out_dir/masks/<stem>_{pixel,polygon}_mask.png`` (0/255) and the
    probabilities to ``out_dir/masks/<stem>_{pixel,polygon}_prob.png``
    (probability x 255, rounded, as an 8-bit PNG); with ``save_vis`` the
    overlay of the config's ``visualizer`` (``TextSegLocalVisualizer``)
    goes to ``out_dir/vis/<stem>.jpg``. Images given as arrays are named
    ``0``, ``1``, ... in the order met.

    A folder gives its image files (by extension), in name order. The
    config's test pipeline is used without its ground-truth loading
    steps (``Load*Annotations``, ``LoadTextMasks``).

    Args:
        model (str or dict, optional): Config file path or config.
        weights (str, optional): Checkpoint path. Without it the model keeps
            its random initialisation (with a warning).
        device (str, optional): Device to run on. Defaults to None (auto).
        scope (str): Default registry scope. Defaults to 'mmocr'.

    Examples:
        >>> inferencer = TextSegInferencer(
        ...     'configs/textseg/fcn/fcn_resnet18_8e_toy.py', 'epoch_8.pth')
        >>> result = inferencer('demo.jpg', out_dir='results')
        >>> result['predictions'][0]['pixel_mask'].shape  # (H, W)
    """

    postprocess_kwargs: set = {
        'print_result', 'return_datasample', 'save_pred', 'mask_out_dir'
    }

    def __call__(self,
                 inputs: InputsType,
                 out_dir: str = '',
                 **kwargs) -> dict:
        """Segment text in the inputs.

        Args:
            inputs (str, np.ndarray or list): An image file, a folder of
                images, a BGR image, or a list of files and images.
            out_dir (str): Output folder of the masks (``masks/``) and of
                the visualisations (``vis/``). Defaults to '' (nothing
                written).
            **kwargs: The other arguments of MMOCR's inferencers
                (``batch_size``, ``save_vis``, ``show``, ``return_vis``,
                ``print_result``, ``return_datasamples``, ...).

        Returns:
            dict: ``predictions`` (a list of dicts, see the class
            docstring, or of :obj:`TextSegDataSample` with
            ``return_datasamples``) and ``visualization``.

        Raises:
            FileNotFoundError: An input path does not exist.
            DataError: An input file cannot be read as an image.
        """
        self._check_paths(inputs)
        kwargs['mask_out_dir'] = osp.join(out_dir, 'masks') if out_dir else ''
        return super().__call__(inputs, out_dir=out_dir, **kwargs)

    @staticmethod
    def _check_paths(inputs: InputsType) -> None:
        """Raise FileNotFoundError naming the first missing input path."""
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        for item in inputs:
            if (isinstance(item, str) and '://' not in item
                    and not osp.exists(item)):
                raise FileNotFoundError(f'{item}: input not found')

    def _inputs_to_list(self, inputs: InputsType) -> list:
        """The inputs as a list; a folder gives its images, sorted."""
        return list_inputs(inputs)

    def _init_pipeline(self, cfg: ConfigType) -> Callable:
        """The test pipeline without ground-truth loading, whose failures to
        read an image are :class:`DataError` naming the file."""
        pipeline_cfg = cfg.test_dataloader.dataset.pipeline
        pipeline_cfg[:] = [
            step for step in pipeline_cfg
            if not ANNOTATION_STEP.match(step['type'].split('.')[-1])
        ]
        pipeline: Compose = super()._init_pipeline(cfg)
        return partial(_load_checked, pipeline)

    def postprocess(self,
                    preds: List[TextSegDataSample],
                    visualization: Optional[List[np.ndarray]] = None,
                    return_datasample: bool = False,
                    print_result: bool = False,
                    save_pred: bool = False,
                    pred_out_dir: str = '',
                    mask_out_dir: str = '') -> Dict:
        """Convert, save and print the predictions of a batch.

        Args:
            preds (list[TextSegDataSample]): The predicted samples.
            visualization (list[np.ndarray], optional): The visualisations.
            return_datasample (bool): Return the samples themselves rather
                than dicts of arrays. Defaults to False.
            print_result (bool): Print the file, the number and the fraction
                of text pixels of each image. Defaults to False.
            save_pred (bool): Unused: the masks are the saved predictions,
                written whenever ``mask_out_dir`` is set. Kept for the
                interface of MMOCR's inferencers.
            pred_out_dir (str): Unused, see ``save_pred``.
            mask_out_dir (str): Folder of the mask PNGs; '' writes none.
                Defaults to ''.

        Returns:
            dict: ``predictions`` and ``visualization``.
        """
        results = [self.pred2dict(pred) for pred in preds]
        for pred, result in zip(preds, results):
            if mask_out_dir:
                self.save_masks(result, self._stem(pred), mask_out_dir)
            if print_result:
                print(self.summary(pred.img_path, result['pixel_mask']))
        return dict(
            predictions=preds if return_datasample else results,
            visualization=visualization)

    def pred2dict(self, data_sample: TextSegDataSample) -> Dict:
        """The predicted masks of a sample as numpy arrays.

        Args:
            data_sample (TextSegDataSample): A sample with
                ``pred_pixel_mask`` (and maybe ``pred_polygon_mask``).

        Returns:
            dict: ``{kind}_mask`` (HxW uint8 0/1) and ``{kind}_prob``
            (HxW float32) for ``kind`` in ``pixel`` (and ``polygon``).
        """
        result = {}
        for field, kind in MASK_FIELDS.items():
            if field not in data_sample:
                continue
            pixel_data = getattr(data_sample, field)
            result[f'{kind}_mask'] = self._to_numpy(pixel_data.data, np.uint8)
            result[f'{kind}_prob'] = self._to_numpy(pixel_data.prob,
                                                    np.float32)
        return result

    @staticmethod
    def _to_numpy(tensor, dtype: type) -> np.ndarray:
        """A 1xHxW tensor (or array) as an HxW array of ``dtype``."""
        array = np.asarray(
            tensor.detach().cpu().numpy() if hasattr(tensor, 'detach') else
            tensor)
        return array.reshape(array.shape[-2:]).astype(dtype)

    @staticmethod
    def _stem(data_sample: TextSegDataSample) -> str:
        """The file name of the sample's image, without extension."""
        return osp.splitext(osp.basename(data_sample.img_path))[0]

    @staticmethod
    def save_masks(result: Dict, stem: str, out_dir: str) -> None:
        """Write each mask (0/255) and probability (x 255) as a PNG.

        Args:
            result (dict): A prediction from :meth:`pred2dict`.
            stem (str): The image's name without extension.
            out_dir (str): The output folder, created if needed.
        """
        for key, array in result.items():
            _to_uint8_png(array, osp.join(out_dir, f'{stem}_{key}.png'))

    @staticmethod
    def summary(img_path: str, pixel_mask: np.ndarray) -> str:
        """One line: the image, its number and fraction of text pixels."""
        count = int(pixel_mask.sum())
        fraction = count / max(pixel_mask.size, 1)
        return f'{img_path}: {count} text pixels ({fraction:.2%})'
