"""The packaged application's entry point: ``studio`` itself, or one of its child modules.

``perceptron-studio --run-module studio.training.safe_load --serve`` runs that
module as ``python -m`` would (see studio/children.py); anything else is the
``studio`` command.
"""

import multiprocessing
import runpy
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if len(sys.argv) > 2 and sys.argv[1] == "--run-module":
        from studio.children import CHILD_MODULES
        module = sys.argv[2]
        if module not in CHILD_MODULES:
            sys.exit(f"--run-module: {module!r} is not one of {', '.join(CHILD_MODULES)}")
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        from studio.cli import main
        sys.exit(main())
