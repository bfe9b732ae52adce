"""End-to-end: `grove server` against slow and hostile clients over real sockets.

Header and body limits, idle and slow connections (slowloris), request smuggling and path traversal: each gets
its 4xx (or is cut off) with a message that says what was wrong, the connection is closed or kept as it should
be, nothing outside the data folder is read or written, and the server keeps answering everyone else.

Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
  GROVE_BINARY=build/grove python3 tests/python/hostile_clients_test.py -v
"""
import hashlib
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import unittest
import uuid

from grove_server import GroveServer, main

# Short read timeouts, so a test sees them expire (docs/operations.md, "Slow and hostile clients").
TIMEOUT_FLAGS = ("--header-timeout", "1s", "--body-timeout", "1s", "--idle-timeout", "2s", "--body-limit-mb", "1")


class Raw:
    """One client connection that speaks HTTP/1.1 by hand: what it sends is sent byte for byte."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode("latin-1"))

    def _fill(self, timeout):
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        self.buffer += chunk
        return bool(chunk)

    def response(self, timeout=10):
        """(status, headers with lowercase names, body) of the next final response; None if closed first."""
        while True:
            while b"\r\n\r\n" not in self.buffer:
                if not self._fill(timeout):
                    return None
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ")[1])
            headers = {}
            for line in lines[1:]:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
            if 100 <= status < 200:
                continue
            if headers.get("transfer-encoding") == "chunked":
                return status, headers, self._chunked_body(timeout)
            length = int(headers.get("content-length", "0"))
            while len(self.buffer) < length:
                if not self._fill(timeout):
                    raise AssertionError("connection closed in the middle of a %d response" % status)
            body, self.buffer = self.buffer[:length], self.buffer[length:]
            return status, headers, body

    def _line(self, timeout):
        while b"\r\n" not in self.buffer:
            if not self._fill(timeout):
                raise AssertionError("connection closed in the middle of a chunked body")
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _chunked_body(self, timeout):
        body = b""
        while True:
            size = int(self._line(timeout).split(b";")[0], 16)
            if size == 0:
                self._line(timeout)  # The empty trailer.
                return body
            while len(self.buffer) < size + 2:
                if not self._fill(timeout):
                    raise AssertionError("connection closed in the middle of a chunk")
            body, self.buffer = body + self.buffer[:size], self.buffer[size + 2:]

    def closed(self, timeout=5):
        """True when the server closes the connection within `timeout` without sending anything more."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if not self._fill(max(deadline - time.monotonic(), 0.01)):
                    return self.buffer == b""
            except socket.timeout:
                return False
        return False

    def close(self):
        self.sock.close()


def request(method, target, headers=(), body=b"", host="t"):
    head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, target, host)
    for name, value in headers:
        head += "%s: %s\r\n" % (name, value)
    if body and not any(name.lower() in ("content-length", "transfer-encoding") for name, _ in headers):
        head += "Content-Length: %d\r\n" % len(body)
    return head.encode("latin-1") + b"\r\n" + (body if isinstance(body, bytes) else body.encode())


class HostileServerCase(unittest.TestCase):
    """One server with short read timeouts and a 1 MiB body limit, shared by a class's tests."""

    extra_args = TIMEOUT_FLAGS

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="grove-hostile-")
        cls.server = GroveServer(*cls.extra_args, home=os.path.join(cls.root, "home"))
        cls.port = cls.server.port
        cls.auth = ("Authorization", "Bearer " + cls.server.secret_access_key)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.root, ignore_errors=True)

    def exchange(self, data, timeout=10):
        """Sends `data` on a new connection; (response, the connection)."""
        client = Raw(self.port)
        self.addCleanup(client.close)
        client.send(data)
        return client.response(timeout), client

    def assertRefused(self, data, status, code=None, message_part=None, closes=True):
        response, client = self.exchange(data)
        self.assertIsNotNone(response, "no answer to %r" % data[:200])
        self.assertEqual(response[0], status, (data[:200], response))
        if code or message_part:
            error = json.loads(response[2])["error"]
            if code:
                self.assertEqual(error["code"], code, error)
            if message_part:
                self.assertIn(message_part, error["message"])
        if closes:
            self.assertEqual(response[1].get("connection"), "close", response)
            self.assertTrue(client.closed(), "the connection stays open after %d" % status)
        return response

    def assertServing(self):
        """A well-behaved client still gets a prompt answer, on the open and on a protected route."""
        start = time.monotonic()
        for target, headers in (("/ping", ()), ("/api/v1/endpoints", (self.auth,))):
            response, _ = self.exchange(request("GET", target, headers))
            self.assertIsNotNone(response)
            self.assertEqual(response[0], 200, response)
        self.assertLess(time.monotonic() - start, 2.0)


class LimitsTest(HostileServerCase):
    def test_a_request_line_over_the_header_limit_is_431(self):
        self.assertRefused(request("GET", "/api/v1/endpoints?" + "q" * 20000, [self.auth]), 431, "HeaderTooLarge",
                           "16384 bytes")
        self.assertServing()

    def test_one_huge_header_is_431(self):
        self.assertRefused(request("GET", "/ping", [("X-Big", "h" * 17000)]), 431, "HeaderTooLarge")
        self.assertServing()

    def test_too_many_headers_are_431(self):
        many = [("X-H%d" % i, "v") for i in range(3000)]
        self.assertRefused(request("GET", "/ping", many), 431, "HeaderTooLarge")
        self.assertServing()

    def test_a_json_api_body_over_the_limit_is_413_before_it_is_read(self):
        body = b"{" + b" " * (2 << 20) + b"}"
        self.assertRefused(request("POST", "/api/v1/pipelines", [self.auth, ("Content-Type", "application/json")],
                                   body), 413, "PayloadTooLarge", "1048576 bytes")
        self.assertServing()

    def test_an_invocation_body_over_the_limit_is_413(self):
        body = b"1,2,3\n" * 400000
        self.assertRefused(request("POST", "/endpoints/e/invocations", [self.auth, ("Content-Type", "text/csv")],
                                   body), 413, "PayloadTooLarge")
        self.assertRefused(request("POST", "/api/v1/endpoints/e/invocations", [self.auth], body), 413)
        self.assertServing()

    def test_a_chunked_body_over_the_limit_is_413(self):
        chunk = b"x" * 65536
        body = b"".join(b"10000\r\n" + chunk + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
        self.assertRefused(request("POST", "/api/v1/pipelines", [self.auth, ("Transfer-Encoding", "chunked")], body),
                           413, "PayloadTooLarge")
        self.assertServing()

    def test_an_s3_put_over_its_limit_is_413_and_never_sent(self):
        too_big = 300 << 20  # Over S3 PUT's 256 MiB.
        response, client = self.exchange(request(
            "PUT", "/hostile-bucket/big.bin", [self.auth, ("Content-Length", str(too_big)),
                                               ("Expect", "100-continue")]))
        self.assertEqual(response[0], 413, response)  # No 100 Continue came first.
        self.assertIn(b"268435456 bytes", response[2])
        self.assertTrue(client.closed())
        # Without Expect, the first bytes of the body arrive with the header: answered alike.
        self.assertRefused(request("PUT", "/hostile-bucket/big.bin", [self.auth, ("Content-Length", str(too_big))],
                                   b"x" * 100000), 413)
        self.assertServing()

    def test_an_s3_put_within_its_limit_takes_more_than_the_api_limit(self):
        response, _ = self.exchange(request("PUT", "/hostile-ok", [self.auth]))
        self.assertIn(response[0], (200, 409), response)
        response, _ = self.exchange(request("PUT", "/hostile-ok/two-mib.bin", [self.auth], b"y" * (2 << 20)))
        self.assertEqual(response[0], 200, response)

    def test_an_answered_4xx_keeps_a_well_framed_connection_open(self):
        client = Raw(self.port)
        self.addCleanup(client.close)
        client.send(request("GET", "/api/v1/no-such-route", [self.auth]) + request("GET", "/ping"))
        first, second = client.response(), client.response()
        self.assertEqual(first[0], 404, first)
        self.assertEqual(second[0], 200, second)
        client.send(request("GET", "/api/v1/endpoints"))  # No key: 401, and the connection is still good.
        self.assertEqual(client.response()[0], 401)
        client.send(request("GET", "/ping"))
        self.assertEqual(client.response()[0], 200)


class SlowClientsTest(HostileServerCase):
    def test_a_connection_that_sends_nothing_is_closed_after_the_idle_timeout(self):
        client = Raw(self.port)
        self.addCleanup(client.close)
        start = time.monotonic()
        self.assertTrue(client.closed(timeout=8), "an idle connection is still open")
        self.assertLess(time.monotonic() - start, 5)  # --idle-timeout 2s, plus the sweeper's period.

    def test_a_header_sent_a_byte_at_a_time_gets_408(self):
        client = Raw(self.port)
        self.addCleanup(client.close)
        data = request("GET", "/api/v1/endpoints", [self.auth, ("X-Pad", "p" * 200)])
        start = time.monotonic()
        for i in range(len(data)):
            if time.monotonic() - start > 2.5:  # Cut off by then; stop before the lingering close ends.
                break
            try:
                client.send(data[i:i + 1])
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.05)
        response = client.response()
        self.assertIsNotNone(response)
        self.assertEqual(response[0], 408, response)
        error = json.loads(response[2])["error"]
        self.assertEqual(error["code"], "RequestTimeout")
        self.assertIn("did not arrive within 1000 ms", error["message"])
        self.assertLess(time.monotonic() - start, 4)
        self.assertTrue(client.closed())
        self.assertServing()

    def test_a_body_sent_slowly_gets_408(self):
        client = Raw(self.port)
        self.addCleanup(client.close)
        client.send(request("POST", "/api/v1/endpoints/e/invocations",
                            [self.auth, ("Content-Type", "text/csv"), ("Content-Length", "100000")]))
        start = time.monotonic()
        while time.monotonic() - start < 2.5:
            try:
                client.send(b"1")
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.1)
        response = client.response()
        self.assertIsNotNone(response)
        self.assertEqual(response[0], 408, response)
        self.assertIn("arrived too slowly", json.loads(response[2])["error"]["message"])
        self.assertServing()

    def test_a_body_that_stops_half_way_gets_408(self):
        response, client = self.exchange(request("POST", "/api/v1/pipelines",
                                                 [self.auth, ("Content-Length", "1000")]) + b"{\"na")
        self.assertEqual(response[0], 408, response)
        self.assertTrue(client.closed())


class ManySlowClientsTest(HostileServerCase):
    """200+ slow connections held open (default timeouts, 20 s and more) while others are served promptly."""

    extra_args = ()
    HELD = 240

    def test_others_are_served_while_slow_connections_are_held(self):
        held = []
        try:
            for i in range(self.HELD):
                client = Raw(self.port)
                held.append(client)
                if i % 3 == 1:
                    client.send(b"GET /api/v1/endpoints HTTP/1.1\r\nHost: t\r\nX-Slow: ")  # A header never ended.
                elif i % 3 == 2:
                    client.send(request("POST", "/api/v1/pipelines", [self.auth, ("Content-Length", "5000")],
                                        b"{"))  # A body never finished.
            latencies = []
            for _ in range(20):
                start = time.monotonic()
                self.assertServing()
                latencies.append(time.monotonic() - start)
                for client in held[::7]:  # Keep some of them trickling.
                    try:
                        client.send(b"x")
                    except OSError:
                        pass
            self.assertLess(max(latencies), 2.0, latencies)
            # They were held, not dropped: the server counts them open.
            status, _, body = self.exchange(request("GET", "/metrics", [self.auth]))[0]
            self.assertEqual(status, 200)
        finally:
            for client in held:
                client.close()


# Each of these is one request whose framing is ambiguous or malformed. After the 400 nothing else may be
# answered: the body holds a second request that a lenient parser would run (GET /api/v1/keys, as admin).
SMUGGLED = b"GET /api/v1/keys HTTP/1.1\r\nHost: t\r\n\r\n"


def smuggling_attempts(auth):
    bearer = "%s: %s\r\n" % auth

    def post(headers):
        """A POST to a protected route whose head ends with `headers` (each line with its CRLF)."""
        return ("POST /api/v1/pipelines HTTP/1.1\r\nHost: t\r\n" + bearer + headers + "\r\n").encode()

    chunked_smuggle = b"0\r\n\r\n" + SMUGGLED
    return {
        "Content-Length and Transfer-Encoding":
            post("Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(chunked_smuggle)) + chunked_smuggle,
        "Transfer-Encoding then Content-Length":
            post("Transfer-Encoding: chunked\r\nContent-Length: %d\r\n" % len(chunked_smuggle)) + chunked_smuggle,
        "two different Content-Lengths":
            post("Content-Length: 2\r\nContent-Length: %d\r\n" % (len(SMUGGLED) + 2)) + b"{}" + SMUGGLED,
        "a Content-Length list that differs":
            post("Content-Length: 2, %d\r\n" % (len(SMUGGLED) + 2)) + b"{}" + SMUGGLED,
        "Transfer-Encoding gzip (chunked not last)":
            post("Transfer-Encoding: gzip\r\n") + SMUGGLED,
        "Transfer-Encoding chunked, gzip":
            post("Transfer-Encoding: chunked, gzip\r\n") + chunked_smuggle,
        "Transfer-Encoding with junk":
            post("Transfer-Encoding: xchunked\r\n") + chunked_smuggle,
        "a chunk size that is not hex":
            post("Transfer-Encoding: chunked\r\n") + b"zz\r\n{}\r\n0\r\n\r\n" + SMUGGLED,
        "a negative chunk size":
            post("Transfer-Encoding: chunked\r\n") + b"-2\r\n{}\r\n0\r\n\r\n" + SMUGGLED,
        "a chunk size that overflows":
            post("Transfer-Encoding: chunked\r\n") + b"10000000000000002\r\n{}\r\n0\r\n\r\n" + SMUGGLED,
        "a chunk without its CRLF":
            post("Transfer-Encoding: chunked\r\n") + b"2\r\n{}XX0\r\n\r\n" + SMUGGLED,
        "a Content-Length that is not a number":
            post("Content-Length: 2x\r\n") + b"{}" + SMUGGLED,
        "a signed Content-Length":
            post("Content-Length: +2\r\n") + b"{}" + SMUGGLED,
        "a negative Content-Length":
            post("Content-Length: -1\r\n") + SMUGGLED,
        "a Content-Length that overflows":
            post("Content-Length: 18446744073709551618\r\n") + SMUGGLED,
        "obs-fold in Transfer-Encoding":
            post("Content-Length: 2\r\nTransfer-Encoding:\r\n chunked\r\n") + chunked_smuggle,
        "obs-fold in another header":
            ("GET /ping HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n").encode() + SMUGGLED,
        "bare LF line endings":
            b"GET /ping HTTP/1.1\nHost: t\nContent-Length: " + str(len(SMUGGLED)).encode() + b"\n\n" + SMUGGLED,
        "a bare LF inside the header block":
            b"GET /ping HTTP/1.1\r\nHost: t\nX-A: b\r\n\r\n" + SMUGGLED,
        "a space before the colon":
            post("Transfer-Encoding : chunked\r\nContent-Length: 2\r\n") + b"{}" + SMUGGLED,
        "a NUL in a header":
            b"GET /ping HTTP/1.1\r\nHost: t\r\nX-A: a\x00b\r\n\r\n" + SMUGGLED,
    }


class SmugglingTest(HostileServerCase):
    def test_each_ambiguous_framing_is_400_and_closed_with_nothing_more_answered(self):
        for name, data in smuggling_attempts(self.auth).items():
            with self.subTest(name):
                response, client = self.exchange(data)
                self.assertIsNotNone(response, "no answer")
                self.assertEqual(response[0], 400, response)
                error = json.loads(response[2])["error"]
                self.assertEqual(error["code"], "BadRequest", error)
                self.assertTrue(error["message"].startswith("malformed HTTP request: "), error)
                self.assertEqual(response[1].get("connection"), "close", response)
                self.assertTrue(client.closed(), "after the 400 came more than a close: %r" % client.buffer[:300])
        self.assertServing()


class PathTraversalTest(HostileServerCase):
    """Hostile names on every route that takes one; a sentinel beside the data folder stays untouched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret_text = "SENTINEL-" + uuid.uuid4().hex
        cls.sentinel = os.path.join(cls.root, "sentinel.txt")
        with open(cls.sentinel, "w") as f:
            f.write(cls.secret_text)
        os.chmod(cls.sentinel, 0o644)

    def call(self, method, target, body=b"", headers=()):
        response, _ = self.exchange(request(method, target, [self.auth, *headers], body))
        self.assertIsNotNone(response, target)
        self.assertNotIn(self.secret_text.encode(), response[2], target)
        return response

    def outside(self):
        """Every file beside the data folder (the sentinel and nothing else), and the sentinel's text and time."""
        names = sorted(os.listdir(self.root))
        with open(self.sentinel) as f:
            return names, f.read(), os.stat(self.sentinel).st_mtime_ns

    def test_s3_keys_and_buckets_that_climb_out_are_refused(self):
        before = self.outside()
        self.assertIn(self.call("PUT", "/trav-bucket")[0], (200, 409))
        keys = ["../sentinel.txt", "../../sentinel.txt", "a/../../sentinel.txt", "%2e%2e/%2e%2e/sentinel.txt",
                "%2E%2E%2F%2E%2E%2Fsentinel.txt", "..%2f..%2fsentinel.txt", "..%5c..%5csentinel.txt",
                "a%5c..%5c..%5csentinel.txt", "./sentinel.txt", "%2f" + self.sentinel.lstrip("/"),
                "/" + self.sentinel.lstrip("/"), "a%00.txt", "%00"]
        for key in keys:
            with self.subTest(key=key):
                status, _, body = self.call("PUT", "/trav-bucket/" + key, b"overwritten")
                self.assertEqual(status, 400, (key, body))
                self.assertIn(b"InvalidArgument", body)
                for method in ("GET", "HEAD", "DELETE"):
                    status = self.call(method, "/trav-bucket/" + key)[0]
                    self.assertTrue(400 <= status < 500 and status != 403 or method == "DELETE" and status == 204,
                                    (method, key, status))
                status = self.call("POST", "/trav-bucket/" + key + "?uploads")[0]
                self.assertEqual(status, 400, key)
        # Copy from a hostile source.
        self.assertEqual(self.call("PUT", "/trav-bucket/ok.txt", b"fine")[0], 200)
        for source in ("/trav-bucket/../sentinel.txt", "/trav-bucket/%2e%2e/sentinel.txt", self.sentinel):
            status = self.call("PUT", "/trav-bucket/copy.txt", headers=[("x-amz-copy-source", source)])[0]
            self.assertTrue(400 <= status < 500, (source, status))
        for bucket in ("..", "%2e%2e", ".", "a..b", "tmp%2f..", "UPPER", "a%00b"):
            with self.subTest(bucket=bucket):
                self.assertTrue(400 <= self.call("PUT", "/" + bucket + "/k", b"x")[0] < 500, bucket)
                self.assertTrue(400 <= self.call("PUT", "/" + bucket)[0] < 500, bucket)
                self.assertTrue(400 <= self.call("GET", "/" + bucket + "/k")[0] < 500, bucket)
        # The listing shows only the one good object.
        status, _, body = self.call("GET", "/trav-bucket?list-type=2")
        self.assertEqual(status, 200)
        self.assertIn(b"<Key>ok.txt</Key>", body)
        self.assertEqual(body.count(b"<Key>"), 1, body)
        self.assertEqual(self.outside(), before)

    def test_artifact_names_that_climb_out_are_refused(self):
        before = self.outside()
        self.assertIn(self.call("PUT", "/trav-art")[0], (200, 409))
        self.assertEqual(self.call("PUT", "/trav-art/a.txt", b"artifact")[0], 200)
        digest = hashlib.sha256(b"artifact").hexdigest()  # Artifacts are named by their bytes' SHA-256.
        self.assertEqual(self.call("GET", "/api/v1/artifacts/%s/content" % digest)[2], b"artifact")
        inner = ["../sentinel.txt", "../../../sentinel.txt", "a/../../sentinel.txt", "%2e%2e/sentinel.txt",
                 "/" + self.sentinel.lstrip("/"), "a%00b", "..%5csentinel.txt"]
        for path in inner:
            for route in ("/api/v1/artifacts/%s/content?path=%s", "/api/v1/artifacts/%s?path=%s"):
                status = self.call("GET", route % (digest, path))[0]
                self.assertTrue(400 <= status < 500, (route, path, status))
        names = ["..", "%2e%2e", "..%2f..%2fsentinel.txt", "%2f" + self.sentinel.lstrip("/").replace("/", "%2f"),
                 "sha256:..%2fsentinel.txt", "file:%2f%2f" + self.sentinel.replace("/", "%2f"),
                 digest + "%2f..%2f..%2fsentinel.txt", digest + "%00"]
        for name in names:
            for route in ("/api/v1/artifacts/%s/content", "/api/v1/artifacts/%s"):
                status = self.call("GET", route % name)[0]
                self.assertTrue(400 <= status < 500, (route, name, status))
        self.assertEqual(self.outside(), before)

    def test_model_data_urls_that_name_files_are_refused(self):
        before = self.outside()
        group = {"ModelPackageGroupName": "trav-group"}
        target = [("X-Amz-Target", "SageMaker.CreateModelPackageGroup"),
                  ("Content-Type", "application/x-amz-json-1.1")]
        self.assertIn(self.call("POST", "/", json.dumps(group).encode(), target)[0], (200, 400))
        urls = ["file://" + self.sentinel, self.sentinel, "s3://trav-bucket/../sentinel.txt",
                "s3://trav-bucket/%2e%2e/sentinel.txt", "s3://../sentinel.txt", "s3://grove-artifacts/sha256/../x",
                "file://" + os.path.join(self.root, "home", "..", "sentinel.txt"), "http://127.0.0.1:1/model"]
        for url in urls:
            with self.subTest(url=url):
                package = {"ModelPackageGroupName": "trav-group", "ModelApprovalStatus": "PendingManualApproval",
                           "InferenceSpecification": {"Containers": [{"Image": "x", "ModelDataUrl": url}],
                                                      "SupportedContentTypes": ["text/csv"],
                                                      "SupportedResponseMIMETypes": ["text/csv"]}}
                status, _, body = self.call("POST", "/", json.dumps(package).encode(), [
                    ("X-Amz-Target", "SageMaker.CreateModelPackage"), ("Content-Type", "application/x-amz-json-1.1")])
                self.assertEqual(status, 400, (url, body))
                model = {"ModelName": "trav-model", "ExecutionRoleArn": "arn:aws:iam::1:role/x",
                         "PrimaryContainer": {"Image": "x", "ModelDataUrl": url}}
                status, _, body = self.call("POST", "/", json.dumps(model).encode(), [
                    ("X-Amz-Target", "SageMaker.CreateModel"), ("Content-Type", "application/x-amz-json-1.1")])
                self.assertTrue(400 <= status < 500, (url, status, body))
        self.assertEqual(self.outside(), before)


if __name__ == "__main__":
    main()
