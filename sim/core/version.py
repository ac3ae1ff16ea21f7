"""secsim's version: the one place it is written (``pyproject.toml`` reads it). It moves when behaviour does
(CHANGELOG.md)."""

__version__ = "0.2.0"
