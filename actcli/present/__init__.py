"""Presentation: renderer-neutral tables (`tables`), their renderers (`render`: Rich,
CSV/TSV/JSON, Markdown) and plots (`plot`, matplotlib imported lazily).
"""
