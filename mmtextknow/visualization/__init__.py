from .feature_heatmap import feature_heatmap, overlay_heatmap
from .textseg_visualizer import TextSegLocalVisualizer

__all__ = ['TextSegLocalVisualizer', 'feature_heatmap', 'overlay_heatmap']
