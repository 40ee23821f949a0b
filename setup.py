"""Maps the `streams/` and `agents/` folders to `wirewatch.streams` and `wirewatch.agents`.

Only this mapping lives here; all metadata is in pyproject.toml.
"""

from setuptools import find_packages, setup

packages = [f"wirewatch.{name}" for name in find_packages(include=["streams*", "agents*"])]
setup(packages=packages)
