"""Browser tests: the built PWA in Debian's Chromium against the real app (see conftest.py). A package, so that its
conftest is not mistaken for tests/conftest.py when other tests import from that one."""
