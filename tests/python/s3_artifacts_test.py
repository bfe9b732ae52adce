"""Artifacts in an S3 bucket (moto's S3 server): `grove --artifacts s3://... --s3-endpoint ...` runs a pipeline
whose outputs land in the bucket, content-addressed; another data folder with the same flags (and an empty local
cache) reads them back; GROVE_ARTIFACTS / GROVE_S3_ENDPOINT do the same as the flags."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from grove_server import GROVE, SOURCE_DIR, grove, main  # noqa: E402

try:
    import boto3
    import moto.server  # noqa: F401
    HAVE_MOTO = True
except ImportError:  # pragma: no cover
    HAVE_MOTO = False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(HAVE_MOTO, "moto and boto3 are not installed for " + sys.executable)
class S3ArtifactsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.endpoint = f"http://127.0.0.1:{cls.port}"
        cls.moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(cls.port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.s3 = boto3.client("s3", endpoint_url=cls.endpoint, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        deadline = time.time() + 30
        while True:
            try:
                cls.s3.create_bucket(Bucket="grove-prod")
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grove-s3-")
        os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                           "AWS_DEFAULT_REGION": "us-east-1"})

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def flags(self):
        return ["--artifacts", "s3://grove-prod/artifacts", "--s3-endpoint", self.endpoint]

    def test_outputs_land_in_the_bucket_and_another_folder_reads_them(self):
        home = os.path.join(self.tmp, "a")
        grove(home, "run", "examples/abalone.yaml", *self.flags())
        execution = json.loads(grove(home, "execution", "list", "--json", *self.flags()).stdout)[0]["id"]
        outputs = json.loads(grove(home, "execution", "outputs", execution, "--json", *self.flags()).stdout)
        model = next(o for o in outputs if o["step"] == "AbaloneTrain" and o["name"] == "model")["digest"]
        keys = {o["Key"] for o in self.s3.list_objects_v2(Bucket="grove-prod", Prefix="artifacts/")["Contents"]}
        self.assertIn(f"artifacts/sha256/{model[:2]}/{model}", keys)
        local = os.path.join(home, "artifact-cache", "sha256", model[:2], model)
        self.assertTrue(os.path.exists(local))

        # The metadata travels in a copy of grove.db; the bytes come from the bucket into an empty cache.
        other = os.path.join(self.tmp, "b")
        os.makedirs(other)
        shutil.copy(os.path.join(home, "grove.db"), os.path.join(other, "grove.db"))
        env = dict(os.environ, GROVE_ARTIFACTS="s3://grove-prod/artifacts", GROVE_S3_ENDPOINT=self.endpoint)
        shown = subprocess.run([GROVE, "--home", other, "artifact", "cat", model], cwd=SOURCE_DIR, env=env,
                               capture_output=True, timeout=120)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        with open(local, "rb") as f:
            self.assertEqual(shown.stdout, f.read())
        self.assertTrue(os.path.exists(os.path.join(other, "artifact-cache", "sha256", model[:2], model)))

    def test_a_bounded_cache_stays_within_its_bound_and_the_pipeline_still_runs(self):
        home = os.path.join(self.tmp, "bounded")
        grove(home, "run", "examples/abalone.yaml", "-p", "MseThreshold=7", *self.flags(),
              "--artifact-cache-mb", "1", "--launcher", "subprocess")
        cache = os.path.join(home, "artifact-cache", "sha256")
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(cache) for f in files)
        self.assertLessEqual(total, 1 << 20)
        versions = json.loads(grove(home, "registry", "versions", "AbalonePackageGroup", "--json", *self.flags()).stdout)
        self.assertEqual(len(versions), 1)

    def test_without_credentials_the_error_names_the_variable(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        result = subprocess.run([GROVE, "--home", os.path.join(self.tmp, "c"), "execution", "list", *self.flags()],
                                cwd=SOURCE_DIR, env=env, capture_output=True, text=True, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AWS_ACCESS_KEY_ID", result.stderr)


@unittest.skipUnless(HAVE_MOTO, "moto and boto3 are not installed for " + sys.executable)
class SignedS3ArtifactsTest(unittest.TestCase):
    """moto with signature checking on (INITIAL_NO_AUTH_ACTION_COUNT, then an IAM user's keys): Grove's SigV4
    requests pass with the right secret, and a wrong one fails saying which credentials to check."""

    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.endpoint = f"http://127.0.0.1:{port}"
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="4")  # The IAM set-up below; then every request is checked.
        cls.moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        iam = boto3.client("iam", endpoint_url=cls.endpoint, region_name="us-east-1", aws_access_key_id="setup",
                           aws_secret_access_key="setup")
        deadline = time.time() + 30
        while True:
            try:
                iam.create_user(UserName="grove")
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        key = iam.create_access_key(UserName="grove")["AccessKey"]
        iam.put_user_policy(UserName="grove", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        cls.key_id, cls.secret = key["AccessKeyId"], key["SecretAccessKey"]
        boto3.client("s3", endpoint_url=cls.endpoint, region_name="us-east-1", aws_access_key_id=cls.key_id,
                     aws_secret_access_key=cls.secret).create_bucket(Bucket="grove-signed")

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grove-s3-signed-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_grove(self, secret, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.key_id, AWS_SECRET_ACCESS_KEY=secret,
                   AWS_DEFAULT_REGION="us-east-1", GROVE_ARTIFACTS="s3://grove-signed/artifacts",
                   GROVE_S3_ENDPOINT=self.endpoint)
        return subprocess.run([GROVE, "--home", os.path.join(self.tmp, "home"), *args], cwd=SOURCE_DIR, env=env,
                              capture_output=True, text=True, timeout=300)

    def test_signed_requests_pass_and_a_wrong_secret_is_refused(self):
        ran = self.run_grove(self.secret, "run", "examples/abalone.yaml")
        self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
        s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=self.key_id,
                          aws_secret_access_key=self.secret)
        # (No Prefix: moto checks the signature of an encoded "/" in the query differently from boto3.)
        self.assertGreater(s3.list_objects_v2(Bucket="grove-signed")["KeyCount"], 5)

        shutil.rmtree(os.path.join(self.tmp, "home", "artifact-cache"))  # So that the bytes must come from S3.
        wrong = self.run_grove("not-the-secret", "run", "examples/abalone.yaml")
        self.assertNotEqual(wrong.returncode, 0)
        self.assertIn("HTTP 403 Forbidden (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY", wrong.stdout)


if __name__ == "__main__":
    main()
