"""Presentation: tables and plots built from analysis results."""
