from .hooks import MGNetPhaseSwitchHook

__all__ = ['MGNetPhaseSwitchHook']
