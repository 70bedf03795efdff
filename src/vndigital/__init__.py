"""vndigital: sourced, validated data and reports on provincial digital transformation in Vietnam."""

__version__ = "0.1.0"
