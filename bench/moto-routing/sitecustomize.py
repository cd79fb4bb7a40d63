# Loaded by moto_server in the benchmarks only: bench/moto.ts puts this folder on PYTHONPATH.
#
# moto finds the service a request is for by listing its own package directory, about 180
# stat() calls on every request, under a lock: about a quarter of what one IAM call costs on
# this project's machine (docs/performance.md). moto serves one request at a time, so
# that cost caps how fast any concurrent client can go, which IAM itself does not. The
# directory does not change while the server runs: list it once. Nothing moto answers changes.
import sys

try:
    import moto.backends as _backends
    import moto.moto_server.werkzeug_app as _app

    if hasattr(_app, "list_of_moto_modules"):
        # Imported by name: replacing the module's attribute would change nothing.
        raise RuntimeError("werkzeug_app holds its own list_of_moto_modules")
    _modules = tuple(_backends.list_of_moto_modules())
    _backends.list_of_moto_modules = lambda: iter(_modules)
    print("bench: moto routing cached", file=sys.stderr, flush=True)
except Exception as error:  # a moto that moved things: run it as it is, and say so
    print(f"bench: moto routing not cached ({error})", file=sys.stderr, flush=True)

import bench_seed  # noqa: E402,F401  the benchmarks' bulk seeding route (bench_seed.py)
