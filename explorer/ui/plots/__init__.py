"""Reusable pyqtgraph plots: items created once, updated with setData/setOpts."""
