"""Reusable Qt widgets shared by the tabs."""
