from .mgnet_phase_switch_hook import MGNetPhaseSwitchHook
from .otsg_stats_hook import OTSGStatsHook

__all__ = ['MGNetPhaseSwitchHook', 'OTSGStatsHook']
