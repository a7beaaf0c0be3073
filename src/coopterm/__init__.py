"""coopterm: track a multilateral cooperation action plan from the terminal."""

__version__ = "0.1.0"
