"""The hook entry under the name hook scripts written by sdd 0.1 import; see ``sdd.hooks.run``.

Hooks installed by sdd 0.1 run ``from sdd.hookrun import main``; keeping this name means they go
on working after an upgrade until ``sdd hooks install`` rewrites them.
"""

from sdd.hooks.run import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
