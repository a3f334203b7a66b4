from .textseg_visualizer import TextSegLocalVisualizer

__all__ = ['TextSegLocalVisualizer']
