from .fcn_head import FCNTextSegHead

__all__ = ['FCNTextSegHead']
