#!/usr/bin/python3
"""A real SMTP server on loopback for Sluice's mailer tests (python3-aiosmtpd from Debian).

Prints "READY <port>" on stdout once it listens, then one line per event:
"MESSAGE <n>" after a message was stored. Each delivered message n is written to --dir as
<n>.eml (the raw bytes as received, after SMTP dot-unstuffing) and <n>.json: the envelope,
the authenticated user, and the message as Python's email package parses it (an oracle
independent of the C++ code under test). Stops on SIGTERM or when stdin closes.

aiosmtpd cannot bind port 0, so a free port is picked first by binding a socket to port 0;
if another process takes it in between, a new one is picked.
"""

import argparse
import asyncio
import base64
import email
import email.policy
import email.utils
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(directory, name):
    """A self-signed certificate for `name` (also valid for IP 127.0.0.1 when name is
    "localhost"); the test passes cert.pem to the mailer as its trusted CA file."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    alt = "DNS:" + name
    if name == "localhost":
        alt += ",IP:127.0.0.1"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + alt,
         "-keyout", key, "-out", cert],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def describe(raw):
    """What Python's email package makes of the raw message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
                 "Content-Type"):
        value = message.get(name)
        headers[name] = None if value is None else str(value)
    date = message.get("Date")
    parts = []
    defects = [repr(d) for d in message.defects]
    for part in message.walk():
        defects += [repr(d) for d in part.defects]
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "disposition": part.get_content_disposition(),
            "filename": part.get_filename(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "payload_base64": base64.b64encode(payload).decode("ascii"),
        })
    return {
        "headers": headers,
        "date_epoch": email.utils.parsedate_to_datetime(date).timestamp() if date else None,
        "is_multipart": message.is_multipart(),
        "parts": parts,
        "defects": defects,
    }


class Handler:
    def __init__(self, directory, reject, delay):
        self.directory = directory
        self.reject = {address.lower() for address in reject}
        self.delay = delay
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        raw = envelope.original_content
        with self.lock:
            self.count += 1
            number = self.count
        user = session.auth_data.login.decode() if session.authenticated else None
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_user": user,
            "message": describe(raw),
        }
        base = os.path.join(self.directory, str(number))
        with open(base + ".eml.tmp", "wb") as out:
            out.write(raw)
        os.replace(base + ".eml.tmp", base + ".eml")
        with open(base + ".json.tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
        os.replace(base + ".json.tmp", base + ".json")
        print("MESSAGE %d" % number, flush=True)
        return "250 2.0.0 Message accepted for delivery"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                and auth_data.password == password.encode()):
            return AuthResult(success=True, auth_data=auth_data)
        # handled=False: aiosmtpd answers "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=False, handled=False)
    return authenticate


def main():
    # AUTH without TLS is what these tests want, on loopback only.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, help="where delivered messages are written")
    parser.add_argument("--auth", metavar="USER:PASSWORD",
                        help="require AUTH with these credentials (allowed without TLS)")
    parser.add_argument("--reject", action="append", default=[], metavar="ADDRESS",
                        help="answer RCPT TO for this address with 550")
    parser.add_argument("--delay-data", type=float, default=0, metavar="SECONDS",
                        help="wait this long before answering DATA")
    parser.add_argument("--starttls", action="store_true", help="offer STARTTLS")
    parser.add_argument("--tls", action="store_true", help="implicit TLS (smtps)")
    parser.add_argument("--cert-name", default="localhost",
                        help="name in the self-signed certificate (written to --dir)")
    args = parser.parse_args()

    smtp_options = {"auth_require_tls": False, "server_hostname": "sluice-test.localhost"}
    if args.auth:
        user, _, password = args.auth.partition(":")
        smtp_options["authenticator"] = make_authenticator(user, password)
        smtp_options["auth_required"] = True
    controller_options = {}
    if args.starttls or args.tls:
        context = make_certificate(args.dir, args.cert_name)
        if args.tls:
            controller_options["ssl_context"] = context
        else:
            smtp_options["tls_context"] = context
            smtp_options["require_starttls"] = True

    handler = Handler(args.dir, args.reject, args.delay_data)
    controller = None
    for attempt in range(10):
        port = free_port()
        candidate = Controller(handler, hostname="127.0.0.1", port=port,
                               **controller_options, **smtp_options)
        try:
            candidate.start()
        except OSError:
            continue  # taken between the probe and the bind: pick another port
        controller = candidate
        break
    if controller is None:
        print("ERROR no free port", flush=True)
        return 1

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *unused: stop.set())
    signal.signal(signal.SIGINT, lambda *unused: stop.set())

    def watch_stdin():
        sys.stdin.read()  # returns when the parent closes our stdin or dies
        stop.set()
    threading.Thread(target=watch_stdin, daemon=True).start()

    print("READY %d" % port, flush=True)
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
