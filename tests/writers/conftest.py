def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: runs an external program (LibreOffice); deselect with -m 'not slow'"
    )
