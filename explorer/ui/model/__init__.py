"""The Model tab's widgets: the module tree model, the weight and forward-pass panels."""
