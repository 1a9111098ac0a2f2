"""edition: archival document exports to a scholarly TEI edition."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("edition")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
