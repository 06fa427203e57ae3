"""``sdd demo``: build a sample service repository and walk through sdd on it, step by step.

Every step runs the real ``sdd`` (``python -m sdd`` with this interpreter) or ``git`` in the
demo folder, and its result is checked against what the step is meant to show; the caller
renders each step as it completes. The folder is left for the newcomer to explore.
"""
