# Copyright (c) mmtextknow contributors. All rights reserved.
"""An optimiser-wrapper constructor whose ``norm_decay_mult`` also reaches
norm layers matched by ``custom_keys``."""
from typing import List, Optional

import torch.nn as nn
from mmengine.optim import DefaultOptimWrapperConstructor
from mmocr.registry import OPTIM_WRAPPER_CONSTRUCTORS
from torch.nn import GroupNorm, LayerNorm
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.modules.instancenorm import _InstanceNorm

NORM_LAYERS = (_BatchNorm, _InstanceNorm, GroupNorm, LayerNorm)


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class NormDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """MMEngine's default constructor, except that ``norm_decay_mult``
    applies to every norm layer, also those whose names match a
    ``custom_keys`` entry (MMEngine lets a custom key override all other
    rules, so ``custom_keys=dict(backbone=dict(lr_mult=0.1))`` would give
    the backbone's norms weight decay again).

    TCM's optimiser needs both: the image encoder at lr x0.1 and no weight
    decay on any norm. Use it with
    ``optim_wrapper=dict(constructor='NormDecayOptimWrapperConstructor',
    paramwise_cfg=dict(norm_decay_mult=0.0, custom_keys=...))``.
    """

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   is_dcn_module: Optional[bool] = None) -> None:
        super().add_params(params, module, prefix, is_dcn_module)
        norm_decay_mult = self.paramwise_cfg.get('norm_decay_mult')
        if prefix or norm_decay_mult is None or self.base_wd is None:
            return  # only once, after the whole model has been grouped
        norm_params = {
            id(param)
            for layer in module.modules() if isinstance(layer, NORM_LAYERS)
            for param in layer.parameters(recurse=False)
        }
        for group in params:
            if id(group['params'][0]) in norm_params:
                group['weight_decay'] = self.base_wd * norm_decay_mult
