"""The SMTP adapter against a real server over TLS: STARTTLS on the submission port with a login, and implicit TLS
(smtps://); the server's certificate is checked (a throwaway one, made here with openssl, trusted by the test)."""

import ssl
import subprocess
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from delivery_support import Mailbox, free_port

from app.notify import Message, SendFailed
from app.notify.smtp import SmtpChannel, parse_smtp_url

MESSAGE = Message(delivery_id=7, title="隐患 YH-1 将于 2026年12月4日 到期", body="请按期整改。", finding_number="YH-1",
                  deadline=date(2026, 12, 4), recipient_name="张三", email="zhang@example.cn")  # fmt: skip


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return {"server": server, "client": ssl.create_default_context(cafile=str(cert))}


def authenticator(server, session, envelope, mechanism, auth_data):
    # handled=False: aiosmtpd answers the failure itself (535)
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"closeloop", b"s3cret/pass"), handled=False)


def serve(mailbox, port, **tls) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=authenticator, **tls)
    controller.start()
    return controller


def test_starttls_with_a_login(certificate):
    mailbox, port = Mailbox(), free_port()
    controller = serve(mailbox, port, tls_context=certificate["server"], require_starttls=True, auth_required=True)
    try:
        url = f"smtp://closeloop:s3cret%2Fpass@127.0.0.1:{port}?starttls=1"
        SmtpChannel(parse_smtp_url(url), "noreply@closeloop.test", certificate["client"]).send(MESSAGE)
        wrong = f"smtp://closeloop:guess@127.0.0.1:{port}?starttls=1"
        with pytest.raises(SendFailed, match="535"):
            SmtpChannel(parse_smtp_url(wrong), "noreply@closeloop.test", certificate["client"]).send(MESSAGE)
        untrusted = SmtpChannel(parse_smtp_url(url), "noreply@closeloop.test")  # the system's CAs only
        with pytest.raises(SendFailed, match="CERTIFICATE_VERIFY_FAILED"):
            untrusted.send(MESSAGE)
    finally:
        controller.stop()
    assert [m["Subject"] for m in mailbox.messages] == [MESSAGE.title]


def test_implicit_tls(certificate):
    mailbox, port = Mailbox(), free_port()
    # aiosmtpd counts only STARTTLS as TLS for AUTH; the whole connection is TLS here
    controller = serve(mailbox, port, ssl_context=certificate["server"], auth_require_tls=False)
    try:
        url = f"smtps://closeloop:s3cret%2Fpass@127.0.0.1:{port}"
        SmtpChannel(parse_smtp_url(url), "noreply@closeloop.test", certificate["client"]).send(MESSAGE)
    finally:
        controller.stop()
    assert [m["Message-ID"] for m in mailbox.messages] == ["<delivery-7@closeloop.test>"]
