"""End-to-end: `grove server` access control as boto3 and the aws CLI meet it.

Run by ctest (CMake passes the binary in GROVE_BINARY); exits 77 (skipped) when boto3 is missing.
By hand: GROVE_BINARY=build/grove python3 tests/python/auth_test.py -v
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from unittest import mock

try:
    import boto3
    import botocore.auth
    import botocore.exceptions
    from botocore.config import Config
except ImportError:
    print("SKIPPED: boto3 is not installed for " + sys.executable + "; pip install boto3 to run these tests")
    sys.exit(77)

from grove_server import GroveServer, grove, main  # noqa: E402  (after the boto3 check)


def read(path):
    with open(path) as f:
        return f.read()


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="grove-auth-")
        cls.server = GroveServer(home=cls.home)
        cls.endpoint = "http://127.0.0.1:%d" % cls.server.port
        # The first start's admin key: kept in the data folder; the server prints how to use it, not its secret.
        match = cls.server.wait_for(r"export AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(.+) "
                                    r"AWS_ENDPOINT_URL=(\S+)\n")
        key_file = json.loads(read(os.path.join(cls.home, "admin-key.json")))
        assert key_file["access_key_id"] == match.group(1) and match.group(3) == cls.endpoint, match.group(0)
        # The printed line, run by a shell, exports the secret from the file.
        shell = subprocess.run(["sh", "-c", match.group(0).strip() + ' && printf %s "$AWS_SECRET_ACCESS_KEY"'],
                               capture_output=True, text=True, timeout=10)
        assert shell.stdout == key_file["secret_access_key"], (shell.stdout, shell.stderr)
        assert key_file["secret_access_key"] not in read(cls.server.log_path)
        cls.admin = (key_file["access_key_id"], key_file["secret_access_key"])
        viewer = json.loads(grove(cls.home, "key", "create", "--role", "viewer", "--name", "vera", "--json").stdout)
        cls.viewer = (viewer["access_key_id"], viewer["secret_access_key"])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.home, ignore_errors=True)

    def client(self, service, key):
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=key[0], aws_secret_access_key=key[1],
                            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))

    def assertError(self, call, status, code, message_part=""):
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            call()
        error = raised.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], status, error)
        self.assertEqual(error["Error"]["Code"], code, error)
        self.assertIn(message_part, error["Error"].get("Message", ""))

    def assertPassesAuth(self, call):
        """The call may fail for want of a route or a resource, but not for its credentials."""
        try:
            call()
        except botocore.exceptions.ClientError as e:
            self.assertNotIn(e.response["ResponseMetadata"]["HTTPStatusCode"], (400, 401, 403), e.response)

    def invoke(self, key):
        return lambda: self.client("sagemaker-runtime", key).invoke_endpoint(
            EndpointName="nope", Body=b"1,2,3", ContentType="text/csv")

    def test_the_key_file_is_readable_only_by_its_owner(self):
        mode = os.stat(os.path.join(self.home, "admin-key.json")).st_mode & 0o777
        self.assertEqual(mode, 0o600)

    def test_the_admin_key_passes(self):
        self.assertPassesAuth(lambda: self.client("sagemaker", self.admin).list_pipelines())
        self.assertPassesAuth(lambda: self.client("s3", self.admin).put_object(Bucket="b", Key="a b+c.json",
                                                                               Body=b"{}"))
        self.assertPassesAuth(lambda: self.client("s3", self.admin).list_objects_v2(Bucket="b", Prefix="a/"))
        # The runtime answers: the endpoint does not exist.
        self.assertError(self.invoke(self.admin), 400, "ValidationError")

    def test_a_wrong_secret_is_refused(self):
        wrong = (self.admin[0], "x" * 40)
        self.assertError(self.invoke(wrong), 403, "InvalidSignatureException", "signature")
        self.assertError(lambda: self.client("sagemaker", wrong).list_pipelines(), 403, "InvalidSignatureException")
        self.assertError(lambda: self.client("s3", wrong).get_object(Bucket="b", Key="k"), 403,
                         "SignatureDoesNotMatch")

    def test_a_wrong_key_id_is_refused(self):
        unknown = ("GRVKAAAAAAAAAAAAAAAA", self.admin[1])
        self.assertError(lambda: self.client("sagemaker", unknown).list_pipelines(), 403,
                         "UnrecognizedClientException")
        self.assertError(self.invoke(unknown), 403, "UnrecognizedClientException")
        self.assertError(lambda: self.client("s3", unknown).list_objects_v2(Bucket="b"), 403, "InvalidAccessKeyId")

    def test_an_old_signature_is_refused(self):
        old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        sagemaker = self.client("sagemaker", self.admin)
        s3 = self.client("s3", self.admin)
        with mock.patch("botocore.auth.get_current_datetime", return_value=old):
            self.assertError(lambda: sagemaker.list_pipelines(), 403, "InvalidSignatureException",
                             "Signature expired")
            self.assertError(lambda: s3.list_objects_v2(Bucket="b"), 403, "RequestTimeTooSkewed")

    def test_a_viewer_cannot_write(self):
        self.assertPassesAuth(lambda: self.client("sagemaker", self.viewer).list_pipelines())
        self.assertError(lambda: self.client("s3", self.viewer).put_object(Bucket="b", Key="k", Body=b"x"), 403,
                         "AccessDenied")
        self.assertError(lambda: self.client("sagemaker", self.viewer).start_pipeline_execution(PipelineName="p"),
                         403, "AccessDeniedException", "sagemaker:StartPipelineExecution")
        self.assertError(self.invoke(self.viewer), 403, "AccessDeniedException")

    def test_registering_an_approved_model_package_takes_an_approver(self):
        key = json.loads(grove(self.home, "key", "create", "--role", "operator", "--json").stdout)
        operator = self.client("sagemaker", (key["access_key_id"], key["secret_access_key"]))
        spec = {"Containers": [{"ModelDataUrl": "s3://grove-artifacts/sha256/" + "0" * 64}]}
        self.assertError(lambda: operator.create_model_package(
            ModelPackageGroupName="g", InferenceSpecification=spec, ModelApprovalStatus="Approved"),
            403, "AccessDeniedException", "sagemaker:CreateModelPackage")
        # Pending versions are an operator's to register (this one fails later, for want of the group).
        self.assertError(lambda: operator.create_model_package(
            ModelPackageGroupName="g", InferenceSpecification=spec, ModelApprovalStatus="PendingManualApproval"),
            400, "ValidationException", "ModelPackageGroup g does not exist.")
        self.assertError(lambda: self.client("sagemaker", self.admin).create_model_package(
            ModelPackageGroupName="g", InferenceSpecification=spec, ModelApprovalStatus="Approved"),
            400, "ValidationException", "ModelPackageGroup g does not exist.")

    def test_a_revoked_key_is_refused_within_a_second(self):
        key = json.loads(grove(self.home, "key", "create", "--role", "operator", "--json").stdout)
        operator = (key["access_key_id"], key["secret_access_key"])
        client = self.client("sagemaker", operator)
        self.assertPassesAuth(lambda: client.list_pipelines())
        grove(self.home, "key", "revoke", operator[0])
        revoked_at = time.monotonic()
        while True:
            try:
                client.list_pipelines()
            except botocore.exceptions.ClientError as e:
                if e.response["Error"]["Code"] == "UnrecognizedClientException":
                    break
            self.assertLess(time.monotonic() - revoked_at, 1.0, "the revoked key still works")
            time.sleep(0.02)

    def native(self, method, path, secret=None):
        request = urllib.request.Request(self.endpoint + path, method=method, data=b"{}" if method == "POST" else None)
        if secret:
            request.add_header("Authorization", "Bearer " + secret)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def test_bearer_on_the_native_api(self):
        self.assertEqual(self.native("GET", "/ping")[0], 200)
        status, body = self.native("GET", "/api/v1/endpoints")
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], "Unauthenticated")
        self.assertEqual(self.native("GET", "/api/v1/endpoints", self.admin[1])[0], 200)
        self.assertEqual(self.native("GET", "/api/v1/endpoints", self.viewer[1])[0], 200)
        self.assertEqual(self.native("GET", "/api/v1/endpoints", self.viewer[0])[0], 401)  # The id is no secret.
        status, body = self.native("POST", "/api/v1/endpoints/nope/invocations", self.viewer[1])
        self.assertEqual(status, 403)
        self.assertEqual(body["error"]["code"], "PermissionDenied")

    def routes(self):
        """What `grove server --routes` prints: every route and SageMaker operation with the role it needs."""
        listed = grove(self.home, "server", "--routes").stdout.splitlines()
        return [json.loads(line) for line in listed]

    def raw(self, route, headers=None, sign=None):
        """(status, body) of one request to `route`'s example; `sign`: (key, service) signs it with SigV4."""
        import http.client
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        headers = dict(headers or {})
        body = b"{}" if route["method"] in ("POST", "PUT") else b""
        if "target" in route:
            headers.update({"X-Amz-Target": route["target"], "Content-Type": "application/x-amz-json-1.1"})
        if sign:
            request = AWSRequest(method=route["method"], url=self.endpoint + route["example"], data=body,
                                 headers=headers)
            signer = botocore.auth.S3SigV4Auth if sign[1] == "s3" else botocore.auth.SigV4Auth
            signer(Credentials(*sign[0]), sign[1], "us-east-1").add_auth(request)
            headers = dict(request.headers.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            connection.request(route["method"], route["example"], body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def test_every_protected_route_refuses_a_missing_or_wrong_key_and_a_lower_role(self):
        routes = self.routes()
        self.assertGreater(len(routes), 100)  # REST, runtime, S3 and every SageMaker operation.
        open_routes = {(r["method"], r["pattern"]) for r in routes if r["role"] == "none"}
        # Open: health checks and the console's page and assets (its API calls need a key).
        self.assertEqual(open_routes, {("GET", "/ping"), ("GET", "/api/v1/health"), ("GET", "/ui"),
                                       ("GET", "/ui/index.html"), ("GET", "/ui/assets/{file...}")})
        roles = ["viewer", "operator", "approver", "admin"]
        keys = {"viewer": self.viewer}
        for role in ("operator", "approver"):
            made = json.loads(grove(self.home, "key", "create", "--role", role, "--json").stdout)
            keys[role] = (made["access_key_id"], made["secret_access_key"])
        wrong = (self.admin[0], "w" * 40)
        for route in routes:
            if route["role"] == "none":
                continue
            name = "%s %s %s" % (route["method"], route["example"], route.get("target", ""))
            service = "sagemaker" if "target" in route else "s3"
            with self.subTest(route=name):
                attempts = {"no key": {}, "a wrong bearer secret": {"Authorization": "Bearer " + wrong[1]},
                            "a key id as bearer": {"Authorization": "Bearer " + self.admin[0]}}
                for what, headers in attempts.items():
                    status, body = self.raw(route, headers)
                    self.assertIn(status, (401, 403), (what, body))
                status, body = self.raw(route, sign=(wrong, service))
                self.assertIn(status, (401, 403), ("a bad signature", body))
                lower = roles.index(route["role"]) - 1
                if lower >= 0:
                    status, body = self.raw(route, {"Authorization": "Bearer " + keys[roles[lower]][1]})
                    self.assertEqual(status, 403, ("role " + roles[lower], body))
                    if route["method"] != "HEAD":
                        self.assertIn(b"needs the " + route["role"].encode() + b" role", body)
                    status, body = self.raw(route, sign=(keys[roles[lower]], service))
                    self.assertEqual(status, 403, ("signed, role " + roles[lower], body))
        self.assertPassesAuth(lambda: self.client("sagemaker", self.admin).list_pipelines())

    def test_the_aws_cli(self):
        if shutil.which("aws") is None:
            self.skipTest("the aws CLI is not installed")
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.admin[0], AWS_SECRET_ACCESS_KEY="y" * 40,
                   AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=self.endpoint)
        result = subprocess.run(["aws", "sagemaker", "list-pipelines"], env=env, capture_output=True, text=True,
                                timeout=60)
        self.assertEqual(result.returncode, 255, result.stderr)
        self.assertIn("InvalidSignatureException", result.stderr)
        env["AWS_SECRET_ACCESS_KEY"] = self.admin[1]
        result = subprocess.run(["aws", "sagemaker-runtime", "invoke-endpoint", "--endpoint-name", "nope", "--body",
                                 "1,2", "--content-type", "text/csv", os.path.join(self.home, "out.bin")],
                                env=env, capture_output=True, text=True, timeout=60)
        self.assertIn("ValidationError", result.stderr)  # Past access control: the endpoint does not exist.


class AuthOffTest(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="grove-auth-off-")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def test_off_is_refused_beyond_loopback(self):
        result = grove(self.home, "server", "--auth", "off", "--listen", "0.0.0.0:0", check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--auth off is allowed only on a loopback address", result.stderr)

    def test_off_on_loopback_warns_and_answers_anyone(self):
        server = GroveServer("--auth", "off", home=self.home)
        try:
            server.wait_for("warning: access control is off")
            self.assertFalse(os.path.exists(os.path.join(self.home, "admin-key.json")))
            client = boto3.client("sagemaker", endpoint_url="http://127.0.0.1:%d" % server.port,
                                  region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
            self.assertEqual(client.list_pipelines()["PipelineSummaries"], [])
        finally:
            server.close()


if __name__ == "__main__":
    main()
