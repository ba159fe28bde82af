import pytest


@pytest.fixture(autouse=True)
def mdl_keys(settings, tmp_path):
    """Each test gets its own key directory; the embedded default creates a set on first use."""
    settings.VMO_MDL_KEY_DIR = tmp_path / "mdl-keys"
    settings.VMO_MDL_CREATE_KEYS = True
    return settings.VMO_MDL_KEY_DIR
