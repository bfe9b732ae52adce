"""Starts `grove server` on a free loopback port for the Python end-to-end tests.

The tests drive Grove with the real boto3 and aws-cli of the `python3` first on
PATH. GROVE_BINARY names the grove executable; GROVE_SOURCE_DIR the checkout
(examples and data sets are read relative to it).
"""

import json
import os
import sys
import re
import subprocess
import tempfile
import time
import unittest

GROVE = os.environ.get("GROVE_BINARY", "grove")
SOURCE_DIR = os.environ.get("GROVE_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

try:
    import boto3  # noqa: F401
    import botocore  # noqa: F401
    HAVE_BOTO3 = True
except ImportError:  # pragma: no cover
    HAVE_BOTO3 = False


def require_boto3(test_case):
    """Skips a test class with a clear message when boto3 is not installed."""
    return unittest.skipUnless(HAVE_BOTO3, "boto3 is not installed for " + sys.executable)(test_case)


def grove(home, *args, check=True, cwd=None):
    """Runs a grove command on data folder `home`; returns the CompletedProcess."""
    result = subprocess.run([GROVE, "--home", home, *args], cwd=cwd or SOURCE_DIR, capture_output=True, text=True,
                            timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"grove {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


class GroveServer:
    """A `grove server` on a data folder of its own, stopped by close()."""

    def __init__(self, *extra_args, home=None, log_path=None):
        self._tmp = None
        if home is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="grove-py-")
            home = self._tmp.name
        os.makedirs(home, exist_ok=True)
        self.home = home
        # The log lives in the data folder unless `log_path` puts it elsewhere (e.g. off a full disk).
        self.log_path = log_path or os.path.join(home, "server.log")
        self._log = open(self.log_path, "w+")
        self.process = subprocess.Popen([GROVE, "--home", home, "server", "--listen", "127.0.0.1:0", *extra_args],
                                        cwd=SOURCE_DIR, stdout=self._log, stderr=subprocess.STDOUT, text=True)
        self.port = self._wait_for_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_key_id, self.secret_access_key = self._credentials()

    def _wait_for_port(self):
        return int(self.wait_for(r"listening on http://[^:]+:(\d+)").group(1))

    def wait_for(self, pattern):
        """The first match of `pattern` in what the server printed, waiting for it up to 30 s."""
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log_path) as f:
                match = re.search(pattern, f.read())
            if match:
                return match
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        with open(self.log_path) as f:
            raise AssertionError("grove server did not print %r: %s" % (pattern, f.read()))

    def _credentials(self):
        """The admin key the server created on first start, if access control made one."""
        key_file = os.path.join(self.home, "admin-key.json")
        if os.path.exists(key_file):
            with open(key_file) as f:
                key = json.load(f)
            return key["access_key_id"], key["secret_access_key"]
        return "x", "x"

    def client(self, service, **kwargs):
        import boto3
        import botocore.config
        config = botocore.config.Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=kwargs.pop("key_id", self.access_key_id),
                            aws_secret_access_key=kwargs.pop("secret", self.secret_access_key),
                            config=config, **kwargs)

    def rest(self, method, path, body=None):
        """The JSON answer of a native REST call (--auth off servers); HTTPError for a 4xx or 5xx."""
        import urllib.request
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def aws_env(self):
        """The environment with which unmodified aws-cli and boto3 code reaches this server."""
        env = dict(os.environ)
        env.update({"AWS_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": self.access_key_id,
                    "AWS_SECRET_ACCESS_KEY": self.secret_access_key, "AWS_DEFAULT_REGION": "us-east-1"})
        env.pop("AWS_PROFILE", None)
        return env

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        if self._tmp is not None:
            self._tmp.cleanup()


def main():
    """Runs the calling test module's tests, once GROVE_BINARY names a grove binary."""
    if not GROVE or not os.access(GROVE, os.X_OK):
        print("GROVE_BINARY must name the grove binary (got %r)" % GROVE)
        sys.exit(2)
    unittest.main(module="__main__")
