"""End-to-end: Grove keeps its secrets to itself.

Files holding secrets are created 0600 whatever the umask; no access key secret, hook signing secret, SMTP
password or wrongly presented secret is ever printed by the server, by a command (other than the one that creates
a key, which shows it once), in an event, a hook's delivery record, or any view the API answers.

Run by ctest (CMake passes the binary in GROVE_BINARY); exits 77 (skipped) when boto3 is missing.
By hand: GROVE_BINARY=build/grove python3 tests/python/secrets_test.py -v
"""
import json
import os
import shutil
import stat
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

try:
    import boto3  # noqa: F401
    import botocore.exceptions
except ImportError:
    print("SKIPPED: boto3 is not installed for " + sys.executable + "; pip install boto3 to run these tests")
    sys.exit(77)

from grove_server import GroveServer, grove, main  # noqa: E402  (after the boto3 check)

HOOK_SECRET = "hooksecret-" + "Q7" * 16
SMTP_PASSWORD = "smtppass-" + "Z9" * 12
WRONG_SECRET = "wrongsecret-" + "K4" * 14


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class SecretsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="grove-secrets-")
        cls.home = os.path.join(cls.root, "home")
        cls.outputs = []  # (what, text) of every command run, to search for secrets.
        old_umask = os.umask(0)  # Whatever Grove creates must be private by the mode it asks for.
        try:
            os.environ["GROVE_HOOK_SECRET"] = HOOK_SECRET
            os.environ["GROVE_SMTP_URL"] = "smtp://grove:%s@127.0.0.1:1" % SMTP_PASSWORD
            cls.server = GroveServer("--poll-ms", "50", home=cls.home)
        finally:
            os.umask(old_umask)
        cls.admin = (cls.server.access_key_id, cls.server.secret_access_key)
        cls.secrets = {"the admin secret": cls.admin[1], "a hook secret": HOOK_SECRET,
                       "an SMTP password": SMTP_PASSWORD, "a wrong secret": WRONG_SECRET}
        try:
            cls.exercise()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.root, ignore_errors=True)

    @classmethod
    def run_grove(cls, *args, delivers_secret=False):
        result = grove(cls.home, *args, check=False)
        if not delivers_secret:
            cls.outputs.append(("grove " + " ".join(args), result.stdout + result.stderr))
        return result

    @classmethod
    def native(cls, method, path, body=None, secret=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(cls.server.url + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + (secret or cls.admin[1]),
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    @classmethod
    def exercise(cls):
        """Everything that handles a secret: keys made, used, refused and revoked; hooks that fail to deliver."""
        made = json.loads(cls.run_grove("key", "create", "--role", "operator", "--name", "ops", "--json",
                                        delivers_secret=True).stdout)
        cls.secrets["a CLI-made secret"] = made["secret_access_key"]
        status, body = cls.native("POST", "/api/v1/keys", {"role": "viewer", "name": "api-made"})
        assert status in (200, 201), body
        cls.secrets["an API-made secret"] = json.loads(body)["secret_access_key"]
        # Signed requests with good keys, and refused ones with wrong secrets.
        s3 = cls.server.client("s3")
        s3.create_bucket(Bucket="secret-bucket")
        s3.put_object(Bucket="secret-bucket", Key="k.txt", Body=b"hello")
        cls.server.client("sagemaker", key_id=made["access_key_id"], secret=made["secret_access_key"]).list_pipelines()
        for service, call in (("s3", lambda c: c.list_objects_v2(Bucket="secret-bucket")),
                              ("sagemaker", lambda c: c.list_pipelines())):
            try:
                call(cls.server.client(service, secret=WRONG_SECRET))
                raise AssertionError("a wrong secret was accepted")
            except botocore.exceptions.ClientError:
                pass
        assert cls.native("GET", "/api/v1/endpoints", secret=WRONG_SECRET)[0] == 401
        # Hooks: a signed webhook and an email, both to places that refuse them, so deliveries fail and are logged.
        cls.run_grove("hook", "create", "web", "--on", "endpoint.*", "--webhook", "http://127.0.0.1:1/hook",
                      "--secret-env", "GROVE_HOOK_SECRET", "--max-attempts", "1")
        hook = json.loads(cls.run_grove("hook", "create", "signed", "--on", "endpoint.*", "--webhook",
                                        "http://127.0.0.1:1/signed", "--max-attempts", "1", "--json",
                                        delivers_secret=True).stdout)
        cls.secrets["a generated hook secret"] = hook["secret"]
        cls.run_grove("hook", "create", "mail", "--on", "endpoint.*", "--email", "ops@example.com",
                      "--max-attempts", "1")
        cls.run_grove("endpoint", "create", "secret-endpoint")
        deadline = time.time() + 30
        while time.time() < deadline:
            deliveries = cls.run_grove("hook", "deliveries", "--json").stdout
            if deliveries.count('"dead"') >= 3:
                break
            time.sleep(0.2)
        # Keys revoked, through the API and the CLI; the revoked key is refused.
        assert cls.native("DELETE", "/api/v1/keys/" + made["access_key_id"])[0] == 200
        cls.native("GET", "/api/v1/endpoints", secret=made["secret_access_key"])
        cls.run_grove("key", "revoke", made["access_key_id"])
        # Everything a user can read back.
        for args in (("key", "list"), ("key", "list", "--json"), ("hook", "list"), ("hook", "list", "--json"),
                     ("hook", "show", "web"), ("hook", "show", "web", "--json"), ("hook", "show", "signed", "--json"),
                     ("hook", "deliveries"),
                     ("hook", "deliveries", "--json"), ("export",)):
            cls.run_grove(*args)
        for path in ("/api/v1/keys", "/api/v1/hooks", "/api/v1/hooks/web", "/api/v1/hooks/signed",
                     "/api/v1/hooks/web/deliveries", "/api/v1/hooks/signed/deliveries",
                     "/api/v1/hooks/mail/deliveries", "/api/v1/whoami", "/api/v1/config"):
            status, body = cls.native("GET", path)
            assert status == 200, (path, body)
            cls.outputs.append(("GET " + path, body))
        cls.outputs.append(("the event stream", cls.event_stream()))

    @classmethod
    def event_stream(cls):
        """What GET /api/v1/events (server-sent events, from the first) sends in a second."""
        import http.client
        import socket
        connection = http.client.HTTPConnection("127.0.0.1", cls.server.port, timeout=1)
        connection.request("GET", "/api/v1/events", headers={"Authorization": "Bearer " + cls.admin[1]})
        response = connection.getresponse()
        text = b""
        try:
            while True:
                piece = response.read1(65536)
                if not piece:
                    break
                text += piece
        except (socket.timeout, TimeoutError):
            pass
        connection.close()
        assert b"endpoint.created" in text, text[:500]
        return text.decode(errors="replace")

    def test_files_holding_secrets_are_0600_whatever_the_umask(self):
        for name in ("admin-key.json", "grove.db", "grove.db-wal", "grove.db-shm"):
            path = os.path.join(self.home, name)
            if name.startswith("grove.db-") and not os.path.exists(path):
                continue
            self.assertEqual(mode(path), 0o600, "%s is %o" % (name, mode(path)))
        self.assertFalse([n for n in os.listdir(self.home) if n.endswith(".tmp")])

    def test_a_backup_of_the_store_is_0600(self):
        backup = os.path.join(self.root, "backup")
        old_umask = os.umask(0)
        try:
            result = grove(self.home, "backup", backup, check=False)
        finally:
            os.umask(old_umask)
        self.assertEqual(result.returncode, 0, result.stderr)
        for folder, _, files in os.walk(backup):
            for name in files:
                if name.endswith(".db") or name.endswith(".sqlite"):
                    path = os.path.join(folder, name)
                    self.assertEqual(mode(path), 0o600, "%s is %o" % (path, mode(path)))

    def test_the_hooks_did_fail_to_deliver(self):
        """The test means something only if the failure paths (which log) ran."""
        deliveries = json.loads(grove(self.home, "hook", "deliveries", "--json").stdout)
        text = json.dumps(deliveries)
        self.assertIn("http://127.0.0.1:1/hook", text)
        self.assertIn("smtp://grove:***@127.0.0.1:1", text)  # The SMTP server, named without its password.

    def test_no_secret_is_printed_logged_or_recorded(self):
        with open(self.server.log_path) as f:
            places = [("the server's log", f.read())] + self.outputs
        for what, text in places:
            for secret_name, secret in self.secrets.items():
                self.assertNotIn(secret, text, "%s shows %s" % (what, secret_name))
        self.assertGreater(len(places), 15)

    def test_the_secret_is_shown_only_where_it_is_delivered(self):
        shown = grove(self.home, "hook", "show", "signed", "--show-secret").stdout
        self.assertIn(self.secrets["a generated hook secret"], shown)
        # A secret from the environment is not even stored: the hook names the variable.
        self.assertIn("$GROVE_HOOK_SECRET", grove(self.home, "hook", "show", "web", "--show-secret").stdout)
        made = grove(self.home, "key", "create", "--role", "viewer").stdout
        self.assertIn("AWS_SECRET_ACCESS_KEY=", made)


if __name__ == "__main__":
    main()
