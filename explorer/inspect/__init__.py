"""Qt-free introspection of engine modules: configs, module trees, listings, forward traces.

The Model tab only wires widgets to these functions, so every answer it shows can be checked
(and scripted) without Qt.
"""
