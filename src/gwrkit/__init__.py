"""gwrkit: Chinese government work reports as clean, traceable data."""
__version__ = "0.1.0"
