"""K-means anomaly scoring in C (device) and Python (reference)."""

from .kmeans import AnomalyModelError, render_kmeans_c, score_kmeans

__all__ = ["AnomalyModelError", "render_kmeans_c", "score_kmeans"]
