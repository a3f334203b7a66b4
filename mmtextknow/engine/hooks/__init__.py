from .mgnet_phase_switch_hook import MGNetPhaseSwitchHook
from .otsg_stats_hook import OTSGStatsHook
from .tpn_curriculum_hook import TPNCurriculumHook

__all__ = ['MGNetPhaseSwitchHook', 'OTSGStatsHook', 'TPNCurriculumHook']
