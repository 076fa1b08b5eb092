"""Presentation: renderer-neutral tables (`tables`, `stats_tables`), their renderers
(`render`: Rich, CSV/TSV/JSON, Markdown), plots to files (`plot`, matplotlib imported
lazily) and plots in characters (`termplot`, braille on Rich).
"""
