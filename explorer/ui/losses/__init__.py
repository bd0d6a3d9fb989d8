"""The Losses tab's widgets: tensor tables, the options panel, the curve panels."""
