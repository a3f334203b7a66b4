# Copyright (c) mmtextknow contributors. All rights reserved.
"""CRNN and ASTER whose first layer(s) take the mask channel too."""
from typing import Sequence

from mmocr.models.textrecog.recognizers import ASTER, CRNN
from mmocr.registry import MODELS
from torch import nn
from torch.nn.modules.batchnorm import _NormBase

from .widen import WidenInputConvHook

#: What ``trainable`` may say.
TRAINABLE_CHOICES = ('all', 'input_layer')


class MaskChannelMixin:
    """Marks a recognizer's input layers as widened by the mask channel.

    Build the recognizer with one more input channel than its pretrained
    weights have (e.g. ``MiniVGG(input_channels=2)`` for the grey CRNN,
    ``in_channels=4`` for ASTER's STN and ResNet) and list its layers that
    read the input image in ``input_convs``. Then:

    - any checkpoint loaded into the model (``load_from``, ``init_cfg=
      dict(type='Pretrained', ...)``) that holds the narrower weights of
      those layers is widened on the fly (:class:`WidenInputConvHook`): the
      image channels keep the pretrained weights exactly, the mask channel
      starts from zeros (or N(0, ``new_channel_std``));
    - with ``trainable='input_layer'`` only the ``input_convs`` learn (the
      paper fine-tunes only the replaced input layer): every other
      parameter has ``requires_grad=False`` and every normalisation layer
      stays in eval mode, so its running statistics stay the pretrained
      ones too.

    Args:
        input_convs (Sequence[str]): Names (``model.get_submodule`` paths)
            of the ``nn.Conv2d`` layers that read the input image.
        new_channel_std (float): Standard deviation of the mask channel's
            weights when a narrower checkpoint is loaded; 0 gives zeros.
            Defaults to 0.
        trainable (str): 'all' (default) or 'input_layer'.
    """

    def _init_mask_channel(self, input_convs: Sequence[str],
                           new_channel_std: float, trainable: str) -> None:
        if trainable not in TRAINABLE_CHOICES:
            raise ValueError(f'trainable must be one of {TRAINABLE_CHOICES}, '
                             f'got {trainable!r}')
        if isinstance(input_convs, str) or not input_convs:
            raise ValueError('input_convs must be a non-empty list of layer '
                             f'names, got {input_convs!r}')
        self.input_convs = tuple(input_convs)
        self.trainable = trainable
        for name in self.input_convs:
            try:
                conv = self.get_submodule(name)
            except AttributeError:
                raise ValueError(f'input_convs: {type(self).__name__} has no '
                                 f'layer {name!r}') from None
            if not isinstance(conv, nn.Conv2d):
                raise ValueError(f'input_convs: {name} is a '
                                 f'{type(conv).__name__}, not an nn.Conv2d')
            conv.register_load_state_dict_pre_hook(
                WidenInputConvHook(new_channel_std, name))
        if trainable == 'input_layer':
            prefixes = tuple(name + '.' for name in self.input_convs)
            for name, param in self.named_parameters():
                param.requires_grad_(name.startswith(prefixes))

    def train(self, mode: bool = True):
        """Set the training mode; with ``trainable='input_layer'`` the
        normalisation layers stay in eval mode."""
        super().train(mode)
        if mode and self.trainable == 'input_layer':
            for module in self.modules():
                if isinstance(module, (_NormBase, nn.GroupNorm,
                                       nn.LayerNorm)):
                    module.eval()
        return self


@MODELS.register_module()
class MaskGuidedCRNN(MaskChannelMixin, CRNN):
    """MMOCR's :class:`~mmocr.models.textrecog.CRNN` fed with an image plus
    a text-mask channel (MGNet's CRNN-PM / CRNN-RM).

    Use it with ``MaskChannelDataPreprocessor`` (which appends the mask
    channel) and ``MiniVGG(input_channels=2)`` (grey + mask). See
    :class:`MaskChannelMixin` for the arguments besides CRNN's.

    Args:
        input_convs (Sequence[str]): Defaults to ``('backbone.cnn.conv0',)``,
            MiniVGG's first convolution.
        new_channel_std (float): Defaults to 0.
        trainable (str): Defaults to 'all'.
        **kwargs: The arguments of ``CRNN``.
    """

    def __init__(self,
                 input_convs: Sequence[str] = ('backbone.cnn.conv0', ),
                 new_channel_std: float = 0.0,
                 trainable: str = 'all',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._init_mask_channel(input_convs, new_channel_std, trainable)


@MODELS.register_module()
class MaskGuidedASTER(MaskChannelMixin, ASTER):
    """MMOCR's :class:`~mmocr.models.textrecog.ASTER` fed with an RGB image
    plus a text-mask channel (MGNet's ASTER-PM / ASTER-RM).

    Both layers that read the image are widened: the first convolution of
    the STN's localisation network and the backbone's stem. The STN's
    thin-plate-spline sampling warps all channels alike, so the mask stays
    aligned with the rectified image. Use it with
    ``MaskChannelDataPreprocessor``, ``STN(in_channels=4)`` and
    ``ResNet(in_channels=4)``. See :class:`MaskChannelMixin`.

    Args:
        input_convs (Sequence[str]): Defaults to
            ``('preprocessor.stn_convnet.0.conv',
            'backbone.stem_layers.0.conv')``.
        new_channel_std (float): Defaults to 0.
        trainable (str): Defaults to 'all'.
        **kwargs: The arguments of ``ASTER``.
    """

    def __init__(self,
                 input_convs: Sequence[str] = (
                     'preprocessor.stn_convnet.0.conv',
                     'backbone.stem_layers.0.conv'),
                 new_channel_std: float = 0.0,
                 trainable: str = 'all',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._init_mask_channel(input_convs, new_channel_std, trainable)
