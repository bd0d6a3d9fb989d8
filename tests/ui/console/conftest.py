import atexit

import pytest


@pytest.fixture(scope="session", autouse=True)
def _kernel_history_ends_before_its_folder_goes():
    """The console's kernel lives as long as the process and writes its history's end at
    exit, when the test run's data folder is already gone: it ends with the session here."""
    yield
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        atexit.unregister(shell.atexit_operations)
        shell.atexit_operations()
