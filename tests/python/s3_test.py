#!/usr/bin/env python3
"""End-to-end test of Grove's S3 subset with the real boto3 and aws cli.

Started by ctest (test `s3_python`) with GROVE_BINARY set to the grove binary.
It runs `grove --home <tmp> server --listen 127.0.0.1:0`, reads the port the
server prints, and drives it as unchanged client code would. Exits 77 (ctest:
skipped) when boto3 is not installed.
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import boto3
    import botocore.config
    from botocore.exceptions import ClientError
except ImportError:  # pragma: no cover - depends on the machine
    print("SKIPPED: boto3 is not installed for " + sys.executable + "; pip install boto3 awscli to run this test")
    sys.exit(77)

from grove_server import GroveServer  # noqa: E402  (after the boto3 check)
MIB = 1024 * 1024


class S3Test(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = os.environ.get("GROVE_BINARY")
        if not binary:
            raise unittest.SkipTest("set GROVE_BINARY to the grove binary (ctest does)")
        cls.tmp = tempfile.mkdtemp(prefix="grove-s3-test-")
        cls.server = GroveServer(home=os.path.join(cls.tmp, "home"))
        cls.s3 = cls.server.client("s3")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def aws(self, *args, returncode=0):
        """Runs the aws cli against the server; returns its stdout."""
        aws = shutil.which("aws")
        command = [aws] if aws else [sys.executable, "-m", "awscli"]
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.server.access_key_id,
                   AWS_SECRET_ACCESS_KEY=self.server.secret_access_key, AWS_DEFAULT_REGION="us-east-1",
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_EC2_METADATA_DISABLED="true")
        done = subprocess.run(command + ["--endpoint-url", self.server.url] + list(args), env=env,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, returncode, "aws %s failed:\n%s%s" % (" ".join(args), done.stdout, done.stderr))
        return done.stdout

    def test_aws_cli_mb_ls_cp_rm(self):
        with open(self.path("data.csv"), "w") as f:
            f.write("x,y\n1,2\n3,4\n")
        self.aws("s3", "mb", "s3://cli-bucket")
        self.assertIn("cli-bucket", self.aws("s3", "ls"))
        self.aws("s3", "cp", self.path("data.csv"), "s3://cli-bucket/inputs/")
        self.assertIn("PRE inputs/", self.aws("s3", "ls", "s3://cli-bucket/"))
        self.assertRegex(self.aws("s3", "ls", "s3://cli-bucket/inputs/"), r"\s12 data\.csv")
        self.aws("s3", "cp", "s3://cli-bucket/inputs/data.csv", self.path("back.csv"))
        self.assertTrue(filecmp.cmp(self.path("data.csv"), self.path("back.csv"), shallow=False))
        self.aws("s3", "rm", "s3://cli-bucket/inputs/data.csv")
        # `aws s3 ls` exits 1 when nothing matches.
        self.assertEqual(self.aws("s3", "ls", "s3://cli-bucket/inputs/", returncode=1).strip(), "")
        self.aws("s3", "rb", "s3://cli-bucket")
        self.assertNotIn("cli-bucket", self.aws("s3", "ls"))

    def test_put_get_head_copy_delete(self):
        s3 = self.s3
        s3.create_bucket(Bucket="objects")
        key = "eval/report one+two.json"
        put = s3.put_object(Bucket="objects", Key=key, Body=b'{"mse": 4.2}', ContentType="application/json",
                            Metadata={"owner": "ana"})
        self.assertEqual(put["ETag"], '"%s"' % __import__("hashlib").md5(b'{"mse": 4.2}').hexdigest())
        got = s3.get_object(Bucket="objects", Key=key)
        self.assertEqual(got["Body"].read(), b'{"mse": 4.2}')
        self.assertEqual(got["ContentType"], "application/json")
        self.assertEqual(got["Metadata"], {"owner": "ana"})
        self.assertEqual(got["ETag"], put["ETag"])
        head = s3.head_object(Bucket="objects", Key=key)
        self.assertEqual(head["ContentLength"], 12)
        self.assertEqual(head["LastModified"], got["LastModified"])
        ranged = s3.get_object(Bucket="objects", Key=key, Range="bytes=1-5")
        self.assertEqual(ranged["Body"].read(), b'"mse"')
        self.assertEqual(ranged["ContentRange"], "bytes 1-5/12")

        s3.copy_object(Bucket="objects", Key="copy.json", CopySource={"Bucket": "objects", "Key": key})
        self.assertEqual(s3.get_object(Bucket="objects", Key="copy.json")["Body"].read(), b'{"mse": 4.2}')
        s3.delete_object(Bucket="objects", Key="copy.json")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="objects")["Contents"]]
        self.assertEqual(keys, [key])

    def test_delete_objects_in_one_request(self):
        s3 = self.s3
        s3.create_bucket(Bucket="many")
        for i in range(5):
            s3.put_object(Bucket="many", Key=f"runs/{i} & more.csv", Body=b"x")
        answer = s3.delete_objects(Bucket="many", Delete={"Objects": [{"Key": f"runs/{i} & more.csv"} for i in (0, 1, 2)]
                                                          + [{"Key": "runs/never-there"}]})
        self.assertEqual(sorted(d["Key"] for d in answer["Deleted"]),
                         ["runs/0 & more.csv", "runs/1 & more.csv", "runs/2 & more.csv", "runs/never-there"])
        self.assertNotIn("Errors", answer)
        self.assertEqual([o["Key"] for o in s3.list_objects_v2(Bucket="many")["Contents"]],
                         ["runs/3 & more.csv", "runs/4 & more.csv"])
        quiet = s3.delete_objects(Bucket="many", Delete={"Objects": [{"Key": "runs/3 & more.csv"}], "Quiet": True})
        self.assertNotIn("Deleted", quiet)
        # What boto3's resource API does to empty a bucket.
        boto3_bucket = __import__("boto3").resource(
            "s3", endpoint_url=self.server.url, region_name="us-east-1", aws_access_key_id=self.server.access_key_id,
            aws_secret_access_key=self.server.secret_access_key).Bucket("many")
        boto3_bucket.objects.all().delete()
        self.assertEqual(s3.list_objects_v2(Bucket="many")["KeyCount"], 0)
        with self.assertRaises(s3.exceptions.NoSuchBucket):
            s3.delete_objects(Bucket="no-such-bucket", Delete={"Objects": [{"Key": "a"}]})

    def test_list_objects_v2_paginates_and_groups(self):
        s3 = self.s3
        s3.create_bucket(Bucket="listing")
        keys = ["runs/r%d/metrics.json" % i for i in range(5)] + ["runs/top.json", "a b.txt", "x+y.txt"]
        for key in keys:
            s3.put_object(Bucket="listing", Key=key, Body=b"{}")
        pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket="listing",
                                                                   PaginationConfig={"PageSize": 3}))
        self.assertEqual(len(pages), 3)
        listed = [o["Key"] for page in pages for o in page.get("Contents", [])]
        self.assertEqual(listed, sorted(keys))
        grouped = s3.list_objects_v2(Bucket="listing", Prefix="runs/", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in grouped["CommonPrefixes"]],
                         ["runs/r%d/" % i for i in range(5)])
        self.assertEqual([o["Key"] for o in grouped["Contents"]], ["runs/top.json"])
        folder_pages = list(s3.get_paginator("list_objects_v2").paginate(
            Bucket="listing", Prefix="runs/", Delimiter="/", PaginationConfig={"PageSize": 2}))
        prefixes = [p["Prefix"] for page in folder_pages for p in page.get("CommonPrefixes", [])]
        self.assertEqual(prefixes, ["runs/r%d/" % i for i in range(5)])

    def test_upload_and_download_20_mib_byte_identical(self):
        s3 = self.s3
        s3.create_bucket(Bucket="big")
        source, back = self.path("random.bin"), self.path("random.back")
        with open(source, "wb") as f:
            f.write(os.urandom(20 * MIB))
        s3.upload_file(source, "big", "inputs/random.bin")  # Multipart: 8 MiB parts.
        head = s3.head_object(Bucket="big", Key="inputs/random.bin")
        self.assertEqual(head["ContentLength"], 20 * MIB)
        self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])
        s3.download_file("big", "inputs/random.bin", back)  # HEAD, then ranged GETs with If-Match.
        self.assertTrue(filecmp.cmp(source, back, shallow=False))

    def test_errors_raise_the_right_exceptions(self):
        s3 = self.s3
        s3.create_bucket(Bucket="errors")
        with self.assertRaises(s3.exceptions.NoSuchKey) as missing:
            s3.get_object(Bucket="errors", Key="nope")
        self.assertEqual(missing.exception.response["Error"]["Key"], "nope")
        with self.assertRaises(s3.exceptions.NoSuchBucket):
            s3.list_objects_v2(Bucket="no-such-bucket")
        with self.assertRaises(ClientError) as head:
            s3.head_object(Bucket="errors", Key="nope")
        self.assertEqual(head.exception.response["Error"]["Code"], "404")
        with self.assertRaises(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(Bucket="errors")
        with self.assertRaises(ClientError) as reserved:
            s3.create_bucket(Bucket="metrics")
        self.assertEqual(reserved.exception.response["Error"]["Code"], "InvalidBucketName")


if __name__ == "__main__":
    unittest.main(verbosity=2)
