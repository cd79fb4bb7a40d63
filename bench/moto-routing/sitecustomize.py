# Loaded by moto_server in the benchmarks only: bench/moto.ts puts this folder on PYTHONPATH.
#
# moto finds the service a request is for by listing its own package directory, about 180
# stat() calls on every request: 1.2 of the 3.5 ms an IAM call costs it. moto serves one
# request at a time, so on a small machine that cost caps how fast any concurrent client can
# go, which IAM itself does not. The directory does not change while the server runs: list it
# once. Nothing moto answers changes.
import sys

try:
    import moto.backends as _backends

    _modules = tuple(_backends.list_of_moto_modules())
    _backends.list_of_moto_modules = lambda: iter(_modules)
    print("bench: moto routing cached", file=sys.stderr, flush=True)
except Exception as error:  # a moto that moved the function: run it as it is, and say so
    print(f"bench: moto routing not cached ({error})", file=sys.stderr, flush=True)
