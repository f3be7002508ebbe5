"""A PUT whose body is sent with Transfer-Encoding: chunked and no Content-Length, as a client that does not know
its size in advance sends it: the only way to test that the limit holds for a body that does not declare one (the
test client always sends Content-Length). Shared by the werkzeug-served tests and the gunicorn ones."""

import http.client
import json


def put_chunked(port: int, path: str, headers: dict, body: bytes, chunk: int = 256 * 1024, content_type="image/jpeg"):
    """PUT `body` in chunks to the server on this loopback port: (status, JSON payload or None, response). The
    server may answer (and stop reading) before the last chunk is sent."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.putrequest("PUT", path)
    for name, value in {**headers, "Content-Type": content_type, "Transfer-Encoding": "chunked"}.items():
        conn.putheader(name, value)
    conn.endheaders()
    try:
        for start in range(0, len(body), chunk):
            piece = body[start : start + chunk]
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # it answered early; the answer is still to be read
    response = conn.getresponse()
    status, payload = response.status, response.read()
    conn.close()
    return status, json.loads(payload) if payload else None, response
