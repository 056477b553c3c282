"""Validation: YAML files with their locations -> typed values -> objects -> cross-checks -> derived relations.

Pure (no Sphinx, no docutils). :func:`check_dir` is the one entry point for the command
line and the extension; every problem is collected, never raised.
"""

from handbook.validate.pipeline import Result, build, check_dir

__all__ = ["Result", "build", "check_dir"]
