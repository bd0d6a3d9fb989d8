"""The Python console (View > Console): the engine as ``torch``, the live model and data.

Importing it imports qtconsole, ipykernel and IPython (about half a second), so the window
imports it only when the console is first opened.
"""

import os

# qtconsole reaches Qt through qtpy: it must take the app's binding, whatever QT_API says.
os.environ["QT_API"] = "pyside6"
# ipykernel imports debugpy, which otherwise warns about frozen modules on stderr.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
