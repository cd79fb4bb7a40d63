# Loaded by sitecustomize.py in the benchmarks only: a `POST /bench/seed` route that makes
# IAM users (with a console password when asked) or their keys inside moto, through the same
# backend methods moto's own CreateUser, CreateLoginProfile and CreateAccessKey answers use.
# Seeding 5,000 users through the API costs about 10,000 calls, one at a time (moto serves
# one request at a time): minutes of a 10-minute benchmark. Dates come from libfaketime's
# clock as for any call: the benchmark sets it between batches.
import json
import sys

try:
    import moto.moto_server.werkzeug_app as _app

    _dispatch = _app.DomainDispatcherApplication.__call__

    def _seed(body):
        from moto.iam.models import iam_backends

        iam = iam_backends[body.get("account", "123456789012")]["aws"]
        for user in body["users"]:
            if body["make"] == "users":
                iam.create_user("us-east-1", user["name"])
                if user.get("password"):
                    iam.create_login_profile(user["name"], user["password"])
            else:
                iam.create_access_key(user["name"])
        return len(body["users"])

    def _call(self, environ, start_response):
        if environ.get("PATH_INFO") != "/bench/seed" or environ.get("REQUEST_METHOD") != "POST":
            return _dispatch(self, environ, start_response)
        size = int(environ.get("CONTENT_LENGTH") or 0)
        made = _seed(json.loads(environ["wsgi.input"].read(size)))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"made": made}).encode()]

    _app.DomainDispatcherApplication.__call__ = _call
    print("bench: moto bulk seeding", file=sys.stderr, flush=True)
except Exception as error:  # a moto that moved things: seeding goes through the API
    print(f"bench: moto bulk seeding unavailable ({error})", file=sys.stderr, flush=True)
