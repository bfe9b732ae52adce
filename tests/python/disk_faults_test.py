"""End-to-end disk faults: a data folder that fills up, and one that turns read-only, under a real `grove server`.

The test re-executes itself inside a private mount namespace (`unshare -m`), where it mounts a small tmpfs as the
data folder, so the mounts vanish with it and the machine's own mounts are untouched. It needs root (mount) and
util-linux's unshare; without them it exits 77 (skipped) and says why.

- Full disk: the tmpfs is shrunk to what the data folder already uses. Writing operations — `grove run` of a
  pipeline on new data, an S3 PUT to the server, a model registration through the server (SageMaker's
  CreateModelPackage), `grove queue enqueue` — must fail with an error that says the disk is full and where
  (non-zero exit, or a 5xx), or succeed whole; the server keeps serving; `grove doctor` finds nothing lost or
  corrupt; nothing failed is recorded. After `mount -o remount,size=...` gives space back, the same operations
  succeed.
- Read-only: the data folder is bind-mounted read-only on itself (root ignores file permissions). Writing
  commands fail with an error naming the folder; reads (list, show, doctor) work or fail clearly; the server
  keeps serving. After remounting read-write everything works.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from grove_server import GroveServer, HAVE_BOTO3, SOURCE_DIR, grove, main  # noqa: E402

GROUP = "AbalonePackageGroup"
REGISTERED = "Registered"  # The group CreateModelPackage registers into.
RAW_ROW = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"
NO_SPACE = re.compile(r"no space left on device|disk is full", re.I)
READ_ONLY = re.compile(r"read-only file system|readonly database|read-only", re.I)
INSIDE = "GROVE_DISK_FAULTS_NAMESPACE"


def why_no_mount_namespace():
    """None when this process can create a private mount namespace and mount a tmpfs in it, else the reason."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root (running as uid %d)" % os.geteuid()
    if shutil.which("unshare") is None:
        return "util-linux's unshare is not installed"
    with tempfile.TemporaryDirectory(prefix="grove-mnt-probe-") as probe:
        result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                                 "mount -t tmpfs -o size=64k tmpfs '%s' && mount --bind '%s' '%s' && "
                                 "mount -o remount,bind,ro '%s'" % (probe, probe, probe, probe)],
                                capture_output=True, text=True)
    if result.returncode != 0:
        return "cannot create a private mount namespace with a tmpfs and a read-only bind mount: %s" % (
            result.stderr.strip() or "unshare exited %d" % result.returncode)
    return None


def mount(*args):
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def used_kb(path):
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize // 1024


def note(what, ok, said):
    """Prints what an operation on a faulty disk answered, for the test's log."""
    lines = [line for line in said.splitlines() if line.strip()]
    print("  %s: %s%s" % (what, "ok" if ok else "failed: ", "" if ok else (lines[-1] if lines else "")[:400]),
          file=sys.stderr)


def output(result):
    return result.stdout + result.stderr


def abalone_without_row(folder, row):
    """Abalone's CSV without one row: new data, so a run's steps cannot come from the cache."""
    with open(os.path.join(SOURCE_DIR, "datasets", "abalone", "abalone-dataset.csv")) as f:
        lines = f.readlines()
    path = os.path.join(folder, "abalone-%d.csv" % row)
    with open(path, "w") as f:
        f.writelines(lines[:row] + lines[row + 1:])
    return path


class DiskFaultsTest(unittest.TestCase):

    def setUp(self):
        # Everything but the data folder (inputs, the server's log) lives outside the mount.
        self.tmp = tempfile.TemporaryDirectory(prefix="grove-disk-")
        self.home = os.path.join(self.tmp.name, "data")
        os.makedirs(self.home)
        mount("-t", "tmpfs", "-o", "size=256m", "tmpfs", self.home)
        self.mounts = 1
        self.server = None
        grove(self.home, "run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved")
        grove(self.home, "endpoint", "create", "abalone", "--follow", GROUP)
        self.rows = os.path.join(self.tmp.name, "rows.csv")  # Queued inference rows: ~1.2 MB.
        with open(self.rows, "w") as f:
            f.writelines("%d,%s\n" % (i, RAW_ROW) for i in range(25000))
        self.server = GroveServer("--auth", "off", "--queue-workers", "0", home=self.home,
                                  log_path=os.path.join(self.tmp.name, "server.log"))

    def tearDown(self):
        if self.server:
            self.server.close()
        for _ in range(self.mounts):
            subprocess.run(["umount", "-l", self.home], capture_output=True)
        self.tmp.cleanup()

    # --- Operations, each returning (ok, what it said) -----------------------------------------------------------

    def run_pipeline(self, row):
        result = grove(self.home, "run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved",
                       "-p", "InputData=" + abalone_without_row(self.tmp.name, row), check=False)
        return result.returncode == 0, output(result)

    def http(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        return response.status, answer

    def s3_put(self, key, data):
        status, answer = self.http("PUT", "/faults/" + key, body=data,
                                   headers={"Content-Type": "application/octet-stream"})
        return status == 200, "HTTP %d %s" % (status, answer.decode(errors="replace"))

    def register(self):
        """Registers AbalonePackageGroup/1's model in group Registered through SageMaker's CreateModelPackage."""
        if not HAVE_BOTO3:
            return None, "boto3 is not installed"
        import botocore.exceptions
        sm = self.server.client("sagemaker")
        url = sm.describe_model_package(ModelPackageName=GROUP + "/1")[
            "InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
        try:
            sm.create_model_package(ModelPackageGroupName=REGISTERED, ModelApprovalStatus="Approved",
                                    InferenceSpecification={"Containers": [{"Image": "xgboost", "ModelDataUrl": url}],
                                                            "SupportedContentTypes": ["text/csv"],
                                                            "SupportedResponseMIMETypes": ["text/csv"]})
            return True, ""
        except botocore.exceptions.ClientError as e:
            return False, "HTTP %s %s" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e)

    def enqueue(self):
        result = grove(self.home, "queue", "enqueue", self.rows, "--dim", "d1", "--endpoint", "abalone",
                       check=False)
        return result.returncode == 0, output(result)

    # --- Checks ---------------------------------------------------------------------------------------------------

    def assert_serves(self):
        status, answer = self.http("POST", "/endpoints/abalone/invocations", body=RAW_ROW,
                                   headers={"Content-Type": "text/csv", "X-Grove-Input": "raw"})
        self.assertEqual(status, 200, answer)
        self.assertEqual(len(json.loads(answer)["predictions"]), 1)

    def assert_doctor_finds_nothing_lost(self):
        result = grove(self.home, "doctor", check=False)
        self.assertEqual(result.returncode, 0, "grove doctor: " + output(result))

    def state(self):
        """What is recorded: executions by status, the group's versions, the bucket's keys, queued rows."""
        executions = json.loads(grove(self.home, "execution", "list", "--json").stdout)
        versions = json.loads(grove(self.home, "registry", "versions", GROUP, "--json").stdout)
        registered = grove(self.home, "registry", "versions", REGISTERED, "--json", check=False)
        if registered.returncode == 0:
            versions += json.loads(registered.stdout)
        queued = grove(self.home, "queue", "list", "--limit", "100000").stdout
        status, listing = self.http("GET", "/faults?list-type=2")
        self.assertEqual(status, 200, listing)
        return {"executions": sorted(e["status"] for e in executions),
                "versions": len(versions),
                "keys": sorted(re.findall(r"<Key>([^<]*)</Key>", listing.decode())),
                "queued": len(queued.splitlines())}

    def assert_clean_failure(self, what, ok, said, pattern):
        """An operation on a faulty disk either succeeded or failed saying why (`pattern`) and where."""
        note(what, ok, said)
        if ok:
            return
        self.assertRegex(said, pattern, "%s failed without saying why" % what)

    # --- Scenarios ------------------------------------------------------------------------------------------------

    def test_full_disk_fails_clearly_loses_nothing_and_recovers(self):
        status, answer = self.http("PUT", "/faults")
        self.assertEqual(status, 200, answer)
        self.assertEqual(self.s3_put("small.json", b"{}")[0], True)
        if HAVE_BOTO3:
            self.server.client("sagemaker").create_model_package_group(ModelPackageGroupName=REGISTERED)
        before = self.state()

        # Fill the disk: shrink the tmpfs to what the data folder uses now.
        mount("-o", "remount,size=%dk" % used_kb(self.home), self.home)
        big = os.urandom(2 << 20)
        ran, ran_said = self.run_pipeline(7)
        note("grove run (full)", ran, ran_said)
        self.assertFalse(ran, "a run on a full disk should fail: " + ran_said)
        self.assertRegex(ran_said, NO_SPACE)
        put, put_said = self.s3_put("big.bin", big)
        note("S3 PUT (full)", put, put_said)
        self.assertFalse(put, "a 2 MB PUT on a full disk should fail")
        self.assertRegex(put_said, r"^HTTP 5\d\d")
        self.assertRegex(put_said, NO_SPACE)
        queued, queue_said = self.enqueue()
        note("grove queue enqueue (full)", queued, queue_said)
        self.assertFalse(queued, "enqueueing 25,000 rows on a full disk should fail")
        self.assertRegex(queue_said, NO_SPACE)
        registered, register_said = self.register()
        self.assert_clean_failure("CreateModelPackage (full)", registered, register_said, NO_SPACE)
        self.assert_serves()

        # Nearly full: room for the metadata, not for the run's artifacts, so the run starts and a step fails.
        mount("-o", "remount,size=%dk" % (used_kb(self.home) + 160), self.home)
        ran, ran_said = self.run_pipeline(9)
        note("grove run (160 KB free)", ran, ran_said)
        self.assertFalse(ran, "a run with 160 KB free should fail: " + ran_said)
        self.assertRegex(ran_said, NO_SPACE)

        # Space returns: nothing failed was recorded, nothing is lost, and the same operations succeed.
        mount("-o", "remount,size=256m", self.home)
        self.assert_doctor_finds_nothing_lost()
        after = self.state()
        self.assertEqual(after["keys"], before["keys"], "the failed PUT must not be listed")
        self.assertEqual(after["queued"], before["queued"], "a failed enqueue must add no row")
        self.assertEqual(after["executions"].count("Succeeded"), before["executions"].count("Succeeded"))
        self.assertNotIn("Executing", after["executions"], "a failed run must not be left running")
        self.assertEqual(after["versions"], before["versions"] + (1 if registered else 0))

        for what, operation in (("grove run", lambda: self.run_pipeline(7)),
                                ("S3 PUT", lambda: self.s3_put("big.bin", big)),
                                ("grove queue enqueue", self.enqueue), ("CreateModelPackage", self.register)):
            ok, said = operation()
            self.assertTrue(ok is not False, "%s after space returned: %s" % (what, said))
        status, answer = self.http("GET", "/faults/big.bin")
        self.assertEqual((status, answer == big), (200, True))
        self.assert_serves()
        self.assert_doctor_finds_nothing_lost()

    def test_read_only_folder_fails_writes_clearly_and_recovers(self):
        status, answer = self.http("PUT", "/faults")
        self.assertEqual(status, 200, answer)
        # Version 2 (the same model, from the cache) keeps the endpoint serving when version 1 is rejected.
        grove(self.home, "run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved")
        before = self.state()
        mount("--bind", self.home, self.home)
        self.mounts += 1
        mount("-o", "remount,bind,ro", self.home)

        # Writes fail, saying the folder is read-only and naming it.
        ran, ran_said = self.run_pipeline(11)
        note("grove run (read-only)", ran, ran_said)
        self.assertFalse(ran, "a run on a read-only folder should fail")
        self.assertRegex(ran_said, READ_ONLY)
        self.assertIn(self.home, ran_said)
        approve = grove(self.home, "registry", "reject", GROUP + "/1", check=False)
        note("grove registry reject (read-only)", approve.returncode == 0, output(approve))
        self.assertNotEqual(approve.returncode, 0, "rejecting on a read-only folder should fail")
        self.assertRegex(output(approve), READ_ONLY)
        self.assertIn(self.home, output(approve))
        put, put_said = self.s3_put("x.json", b"{}")
        note("S3 PUT (read-only)", put, put_said)
        self.assertFalse(put, "a PUT to a server on a read-only folder should fail")
        self.assertRegex(put_said, r"^HTTP 5\d\d")
        self.assertRegex(put_said, READ_ONLY)
        # The server opened its database before the folder turned read-only, through the mount beneath, so its
        # writes to it may go on; a change must then be whole, or fail saying why.
        status, answer = self.http("POST", "/api/v1/registry/groups/%s/versions/1/reject" % GROUP, body=b"{}",
                                   headers={"Content-Type": "application/json"})
        server_rejected = status == 200
        note("REST reject through the server (read-only)", server_rejected, answer.decode(errors="replace"))
        if not server_rejected:
            self.assertGreaterEqual(status, 500, answer)
            self.assertRegex(answer.decode(), READ_ONLY)
        queued, queue_said = self.enqueue()
        note("grove queue enqueue (read-only)", queued, queue_said)
        self.assertFalse(queued, "enqueueing on a read-only folder should fail")
        self.assertRegex(queue_said, READ_ONLY)

        # Reads work, or fail saying why; the server keeps serving.
        for args in (("registry", "versions", GROUP), ("execution", "list"), ("endpoint", "show", "abalone"),
                     ("doctor",)):
            result = grove(self.home, *args, check=False)
            note("grove %s (read-only)" % " ".join(args), result.returncode == 0, output(result))
            if result.returncode != 0:
                self.assertRegex(output(result), READ_ONLY, "grove %s failed without saying why" % " ".join(args))
                self.assertIn(self.home, output(result))
        status, answer = self.http("GET", "/api/v1/registry/groups/%s/versions" % GROUP)
        self.assertEqual(status, 200, answer)
        self.assert_serves()

        # Read-write again: nothing failed was recorded, and everything works.
        mount("-o", "remount,bind,rw", self.home)
        self.assert_doctor_finds_nothing_lost()
        self.assertEqual(self.state(), before)
        for what, operation in (("grove run", lambda: self.run_pipeline(11)),
                                ("S3 PUT", lambda: self.s3_put("x.json", b"{}")), ("grove queue enqueue", self.enqueue)):
            ok, said = operation()
            self.assertTrue(ok, "%s after remounting read-write: %s" % (what, said))
        grove(self.home, "registry", "approve" if server_rejected else "reject", GROUP + "/1")
        version_1 = json.loads(grove(self.home, "registry", "show", GROUP + "/1", "--json").stdout)
        self.assertEqual(version_1["approval_status"], "Approved" if server_rejected else "Rejected")
        self.assert_serves()
        self.assert_doctor_finds_nothing_lost()


if __name__ == "__main__":
    if os.environ.get(INSIDE) != "1":
        reason = why_no_mount_namespace()
        if reason:
            print("skipped: " + reason)
            sys.exit(77)
        # Run again inside a private mount namespace: its mounts die with it.
        os.environ[INSIDE] = "1"
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private", sys.executable, os.path.abspath(__file__),
                              *sys.argv[1:]])
    main()
