"""End-to-end: hooks deliver events from `grove server` over real protocols on loopback.

A webhook to a Python http.server receiver that checks the HMAC signature, a command that writes its stdin
to a file, email to an aiosmtpd sink, and a pipeline start; an approval made while no server ran is
delivered when one starts; a webhook answering 500 goes to the dead letters after max attempts and
`grove hook replay` delivers it once the receiver answers 200.
Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/hooks_test.py -v
"""
import hashlib
import hmac
import http.server
import json
import os
import socket
import sys
import tempfile
import threading
import time
import unittest

from grove_server import GroveServer, grove, main

try:
    from aiosmtpd.controller import Controller
except ImportError:  # A python3 of its own (pyenv) lacks Debian's python3-aiosmtpd; it is pure Python.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        Controller = None

ECHO_PIPELINE = """pipeline: hook-echo
parameters:
  Word: {type: String, default: none}
steps:
  - name: Echo
    type: Processing
    cache: false
    arguments:
      command: [sh, -c, 'echo "$0" > "$GROVE_OUTPUT_OUT/word.txt"', {Get: Parameters.Word}]
      outputs: [out]
"""


class Receiver(http.server.ThreadingHTTPServer):
    """Records each POST with its headers; answers `status`."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ReceiverHandler)


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = self.server.status if self.path == "/flaky" else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"receiver down")

    def log_message(self, *args):
        pass


class Sink:
    """aiosmtpd handler: keeps each message's envelope and text."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "text": envelope.content.decode("utf-8", "replace")})
        return "250 Message accepted for delivery"


def free_port():
    """A loopback port free now (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, what, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


class HooksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="grove-hooks-")
        cls.home = os.path.join(cls.tmp.name, "home")
        cls.receiver = Receiver()
        threading.Thread(target=cls.receiver.serve_forever, daemon=True).start()
        cls.hook_url = "http://127.0.0.1:%d" % cls.receiver.server_address[1]
        cls.sink = Sink()
        cls.smtp = None
        if Controller is not None:
            cls.smtp = Controller(cls.sink, hostname="127.0.0.1", port=free_port())
            cls.smtp.start()
        cls.command_out = os.path.join(cls.tmp.name, "events.jsonl")
        # A registered model version, and the hooks, before any server runs.
        grove(cls.home, "run", os.path.join("examples", "abalone.yaml"), "-q")
        definition = os.path.join(cls.tmp.name, "echo.yaml")
        with open(definition, "w") as f:
            f.write(ECHO_PIPELINE)
        grove(cls.home, "pipeline", "create", definition)
        made = json.loads(grove(cls.home, "--json", "hook", "create", "web", "--on", "model.approved", "--where",
                                "group=Abalone*", "--webhook", cls.hook_url + "/web").stdout)
        cls.secret = made["secret"]
        grove(cls.home, "hook", "create", "flaky", "--on", "model.approved", "--webhook", cls.hook_url + "/flaky",
              "--max-attempts", "2")
        grove(cls.home, "hook", "create", "cmd", "--on", "model.*", "--command", "cat >> " + cls.command_out)
        grove(cls.home, "hook", "create", "mail", "--on", "model.approved", "--email", "ops@example.com")
        grove(cls.home, "hook", "create", "start", "--on", "model.approved", "--start", "hook-echo", "-p",
              "Word={group}/{version}")
        grove(cls.home, "hook", "create", "other", "--on", "model.approved", "--where", "group=Nothing*",
              "--command", "true")
        cls.receiver.status = 500
        # Approved while no server runs: delivered when one starts.
        grove(cls.home, "registry", "approve", "AbalonePackageGroup/1", "--by", "tester")
        extra = ["--auth", "off"]
        if cls.smtp is not None:
            extra += ["--smtp-url", "smtp://127.0.0.1:%d" % cls.smtp.port, "--smtp-from", "grove@example.com"]
        cls.server = GroveServer(*extra, home=cls.home)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        if cls.smtp is not None:
            cls.smtp.stop()
        cls.receiver.shutdown()
        cls.tmp.cleanup()

    def deliveries(self, hook, *flags):
        return json.loads(grove(self.home, "--json", "hook", "deliveries", hook, *flags).stdout)["deliveries"]

    def delivered(self, hook):
        return [d for d in self.deliveries(hook) if d["status"] == "delivered"]

    def requests_to(self, path):
        with self.receiver.lock:
            return [r for r in self.receiver.requests if r["path"] == path]

    def test_webhook_is_signed_and_recorded(self):
        request = wait_until(lambda: self.requests_to("/web"), "the webhook")[0]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        expected = "sha256=" + hmac.new(self.secret.encode(), request["body"], hashlib.sha256).hexdigest()
        self.assertEqual(headers["x-grove-signature"], expected)
        self.assertEqual(headers["x-grove-event"], "model.approved")
        self.assertTrue(headers["x-grove-timestamp"].isdigit())
        event = json.loads(request["body"])
        self.assertEqual(event["type"], "model.approved")
        self.assertEqual(event["subject"], "AbalonePackageGroup/1")
        self.assertEqual(event["group"], "AbalonePackageGroup")
        self.assertEqual(event["by"], "tester")
        delivery = wait_until(lambda: self.delivered("web"), "the delivery record")[0]
        self.assertEqual(delivery["id"], headers["x-grove-delivery"])
        self.assertEqual(delivery["history"][-1]["outcome"], "HTTP 200")
        self.assertEqual(self.deliveries("other"), [])  # Its where does not match.

    def test_command_gets_the_event_on_stdin(self):
        def approved_line():
            if not os.path.exists(self.command_out):
                return None
            with open(self.command_out) as f:
                events = [json.loads(line) for line in f if line.strip()]
            return [e for e in events if e["type"] == "model.approved"]
        event = wait_until(approved_line, "the command's output")[0]
        self.assertEqual(event["version"], 1)
        self.assertEqual(wait_until(lambda: self.delivered("cmd"), "the record")[0]["history"][-1]["outcome"],
                         "exit 0")

    @unittest.skipIf(Controller is None, "aiosmtpd is not installed (Debian: python3-aiosmtpd)")
    def test_email_reaches_the_smtp_sink(self):
        message = wait_until(lambda: self.sink.messages, "the mail")[0]
        self.assertEqual(message["to"], ["ops@example.com"])
        self.assertEqual(message["from"], "grove@example.com")
        self.assertIn("Subject: [grove] model.approved AbalonePackageGroup/1", message["text"])
        self.assertIn('"group": "AbalonePackageGroup"', message["text"])
        self.assertTrue(wait_until(lambda: self.delivered("mail"), "the record")[0]["history"][-1]["outcome"]
                        .startswith("SMTP 250"))

    def test_start_runs_the_pipeline_with_the_event_fields(self):
        def started():
            executions = json.loads(grove(self.home, "--json", "execution", "list").stdout)
            return [e for e in executions if e["pipeline"] == "hook-echo"]
        execution = wait_until(started, "the started execution")[0]
        self.assertEqual(execution["parameters"]["Word"], "AbalonePackageGroup/1")
        outcome = wait_until(lambda: self.delivered("start"), "the record")[0]["history"][-1]["outcome"]
        self.assertEqual(outcome, "execution " + execution["id"])

    def test_failing_webhook_goes_dead_then_replay_delivers(self):
        dead = wait_until(lambda: self.deliveries("flaky", "--dead"), "the dead letter")
        self.assertEqual(dead[0]["attempts"], 2)
        self.assertEqual([a["outcome"] for a in dead[0]["history"]], ["HTTP 500", "HTTP 500"])
        self.assertEqual(len(self.requests_to("/flaky")), 2)
        self.receiver.status = 200
        replayed = json.loads(grove(self.home, "--json", "hook", "replay", "flaky", "--all-dead").stdout)
        self.assertEqual(replayed["replayed"], 1)
        delivery = wait_until(lambda: self.delivered("flaky"), "the replayed delivery")[0]
        self.assertEqual(delivery["history"][-1]["outcome"], "HTTP 200")
        ids = {r["headers"].get("X-Grove-Delivery") for r in self.requests_to("/flaky")}
        self.assertEqual(ids, {delivery["id"]})  # One id across retries and the replay.

    def test_an_event_while_the_server_runs(self):
        grove(self.home, "registry", "reject", "AbalonePackageGroup/1", "--comment", "drift")
        rejected = wait_until(lambda: [d for d in self.delivered("cmd") if d["type"] == "model.rejected"],
                              "the rejection's delivery")
        self.assertEqual(rejected[0]["event"]["comment"], "drift")


if __name__ == "__main__":
    main()
