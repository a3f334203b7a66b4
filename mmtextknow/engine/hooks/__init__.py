from .mgnet_phase_switch_hook import MGNetPhaseSwitchHook

__all__ = ['MGNetPhaseSwitchHook']
