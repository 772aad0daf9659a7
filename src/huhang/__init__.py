"""Huhang (护航): IP protection demonstration zone platform."""

__version__ = "0.1.0"
