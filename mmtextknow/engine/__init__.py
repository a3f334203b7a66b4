from .hooks import MGNetPhaseSwitchHook, OTSGStatsHook

__all__ = ['MGNetPhaseSwitchHook', 'OTSGStatsHook']
