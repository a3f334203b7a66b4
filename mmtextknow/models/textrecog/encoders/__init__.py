from .dan_cam import DANCAM

__all__ = ['DANCAM']
