from .dan_decoder import DANDecoder

__all__ = ['DANDecoder']
