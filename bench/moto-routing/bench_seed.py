# Loaded by sitecustomize.py in the benchmarks only: a `POST /bench/seed` route that makes
# IAM users (with a console password when asked) or their keys inside moto, through the same
# backend methods moto's own CreateUser, CreateLoginProfile and CreateAccessKey answers use.
# Seeding 5,000 users through the API costs about 10,000 calls, one at a time (moto serves
# one request at a time): minutes of a 10-minute benchmark. Dates come from libfaketime's
# clock as for any call: the benchmark sets it between batches.
#
# Each user is made as a real account's are: five tags (an owner on one in three; never the
# exemption tag, so the findings do not change) and, on one in four, an inline policy of about
# 1 KB. GetAccountAuthorizationDetails pages (the bulk tag read) carry all of that: with bare
# users they were a fraction of their real size, and the bulk read looked cheaper than it is.
import json
import sys
import zlib

# About 1 KB of policy document, as a user's inline policy often is.
_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"Bench{n}",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::bench-bucket-{n}", f"arn:aws:s3:::bench-bucket-{n}/*"],
            }
            for n in range(5)
        ],
    }
)


def _tags(name, n):
    tags = [
        {"Key": "team", "Value": ["payments", "platform", "data", "web"][n % 4]},
        {"Key": "cost-center", "Value": f"cc-{1000 + n % 37}"},
        {"Key": "environment", "Value": ["prod", "staging", "dev"][n % 3]},
        {"Key": "managed-by", "Value": "terraform"},
    ]
    tags.append({"Key": "owner", "Value": f"@bench-team-{n % 50}"} if n % 3 == 0 else {"Key": "description", "Value": f"service user {name}"})
    return tags


try:
    import moto.moto_server.werkzeug_app as _app

    _dispatch = _app.DomainDispatcherApplication.__call__

    def _seed(body):
        from moto.iam.models import iam_backends

        iam = iam_backends[body.get("account", "123456789012")]["aws"]
        for user in body["users"]:
            if body["make"] == "users":
                # By the name, not the order: the same user gets the same tags in every run.
                n = zlib.crc32(user["name"].encode())
                iam.create_user("us-east-1", user["name"], tags=_tags(user["name"], n))
                if n % 4 == 0:
                    iam.put_user_policy(user["name"], "bench-inline", _POLICY)
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
