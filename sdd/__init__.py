"""sdd: deterministic spec-driven development."""

__version__ = "0.1.0"
