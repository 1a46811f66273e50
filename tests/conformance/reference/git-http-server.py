#!/usr/bin/env python3
"""A small HTTP/1.1 server that runs `git http-backend` as a CGI program.

It is the reference server of the conformance suite and of benches/scripts/server-bench.sh.

    git-http-server.py --listen 127.0.0.1:PORT --root DIR [--git /usr/local/bin/git]

Every request runs one `git http-backend` with GIT_PROJECT_ROOT=DIR and GIT_HTTP_EXPORT_ALL=1.
The `Git-Protocol` request header is passed as GIT_PROTOCOL; a `Content-Encoding` header as
HTTP_CONTENT_ENCODING (http-backend inflates gzip bodies itself); chunked request bodies are
de-chunked here and passed through a pipe with no CONTENT_LENGTH, which http-backend reads to EOF.
Responses are streamed back with chunked transfer-encoding so connections stay alive.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, unquote


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "git-http-backend-reference"

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self.run_cgi()

    def do_POST(self):
        self.run_cgi()

    def read_body_chunks(self):
        """Yields the request body, de-chunked if needed."""
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ConnectionError("truncated chunked body")
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # trailers until empty line
                    while True:
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    return
                remaining = size
                while remaining:
                    data = self.rfile.read(min(remaining, 1 << 16))
                    if not data:
                        raise ConnectionError("truncated chunk")
                    remaining -= len(data)
                    yield data
                self.rfile.readline(3)  # CRLF after chunk
        else:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining:
                data = self.rfile.read(min(remaining, 1 << 16))
                if not data:
                    raise ConnectionError("truncated body")
                remaining -= len(data)
                yield data

    def run_cgi(self):
        url = urlsplit(self.path)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": self.server.root,
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_SOFTWARE": self.server_version,
            "REQUEST_METHOD": self.command,
            "PATH_INFO": unquote(url.path),
            "QUERY_STRING": url.query,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_USER": "conformance",
        }
        for header, var in (("Content-Type", "CONTENT_TYPE"),
                            ("Content-Encoding", "HTTP_CONTENT_ENCODING"),
                            ("Git-Protocol", "GIT_PROTOCOL"),
                            ("Accept", "HTTP_ACCEPT"),
                            ("User-Agent", "HTTP_USER_AGENT")):
            value = self.headers.get(header)
            if value is not None:
                env[var] = value
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        if self.command == "POST" and not chunked:
            env["CONTENT_LENGTH"] = self.headers.get("Content-Length") or "0"

        proc = subprocess.Popen([self.server.git, "http-backend"], env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=self.server.errlog)
        feed_error = []

        def feed():
            try:
                for data in self.read_body_chunks():
                    try:
                        proc.stdin.write(data)
                    except BrokenPipeError:
                        pass  # keep draining the request body
            except Exception as e:  # noqa: BLE001
                feed_error.append(e)
            finally:
                try:
                    proc.stdin.close()
                except BrokenPipeError:
                    pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        out = proc.stdout
        status = 200
        reason = "OK"
        headers = []
        while True:
            line = out.readline()
            if not line:
                break
            line = line.rstrip(b"\r\n")
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            value = value.strip()
            if name.lower() == "status":
                code, _, reason = value.partition(" ")
                status = int(code)
            else:
                headers.append((name, value))
        self.send_response(status, reason or None)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            while True:
                data = out.read1(1 << 16)
                if not data:
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            feeder.join()
            proc.wait()
        if feed_error:
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", default="127.0.0.1:0")
    ap.add_argument("--root", required=True)
    ap.add_argument("--git", default=shutil.which("git") or "/usr/local/bin/git")
    ap.add_argument("--log", default=None, help="file for http-backend's stderr")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    host, _, port = args.listen.rpartition(":")
    srv = Server((host, int(port)), Handler)
    srv.root = os.path.abspath(args.root)
    srv.git = args.git
    srv.verbose = args.verbose
    srv.errlog = open(args.log, "ab") if args.log else None
    print("listening on %s:%d" % srv.server_address[:2], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
