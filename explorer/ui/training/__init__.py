"""Parts of the Training tab: the worker, its plots, the run list and the panels."""
