"""claimlint: lint health and medical writing."""

__version__ = "0.1.0"
