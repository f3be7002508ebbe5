"""Photo upload and download. The body is the image itself (or a multipart form with a `file` part)."""

from functools import partial

import marshmallow as ma
from flask import current_app, redirect, request, send_file
from flask_login import current_user, login_required
from gunicorn.http.body import LengthReader
from gunicorn.http.unreader import SocketUnreader
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from app.api.fields import one_of, path_uuid
from app.api.findings_schemas import PhotoSchema
from app.api.parsing import Blueprint
from app.api.remembered import run_as_signed_in
from app.database import write_phase
from app.domain.calendar import utcnow
from app.domain.errors import RuleViolation
from app.extensions import db
from app.imaging import process_photo
from app.read.presenting import present_photo
from app.services.actors import actor_for
from app.services.photo_upload import upload_photo
from app.services.photos import KINDS, digest, photo_for_download

blp = Blueprint("photos", __name__, url_prefix="/api/v1", description="Photo evidence")


class UploadQuery(ma.Schema):
    kind = one_of(KINDS, metadata={"description": "evidence (before) or rectification (after)"})


def _upload_bytes() -> bytes:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")  # the form parser reads the body through the same capped stream
        if upload is None:
            raise RuleViolation("Send the image in a form field named 'file'.", {"file": "Missing."})
        return upload.read()
    return _read_body()


def _read_body() -> bytes:
    """The whole body, or 413 when it is over MAX_CONTENT_LENGTH.

    A body with a Content-Length over the limit is refused before a byte of it is read. A chunked one (no
    length) is read through werkzeug's stream capped at the limit, whose read() STOPS at the limit without a
    word: the body was silently cut to MAX_CONTENT_LENGTH bytes and stored. Reading on in chunks makes the
    stream raise 413 at the first read past the limit, before anything is decoded or stored."""
    length = request.content_length
    if length is not None:
        if request.max_content_length is not None and length > request.max_content_length:
            raise RequestEntityTooLarge()
        return _read_exactly(length)
    stream, chunks = request.stream, []
    while chunk := stream.read(CHUNK):  # past the limit: RequestEntityTooLarge, answered as JSON 413
        chunks.append(chunk)
    return b"".join(chunks)


def _read_exactly(length: int) -> bytes:
    """The `length` bytes of the body, or 400 when the client sent fewer (werkzeug's stream hands a body cut
    short over as if it were whole: it would be judged, or even stored, as the shorter file).

    Under gunicorn they are read by its own length reader: werkzeug's stream over gunicorn's Body asks it for
    1 KB at a time and gunicorn copies its 8 KB buffer each time (1.1 ms of CPU for a phone's 470 KB, 6 ms for
    a 4 MB original, against 0.3 and 1.5 ms). Any other server (the test client) goes through werkzeug.
    tests/api/test_upload_body.py holds the two to the same bytes and the same refusals."""
    body = request.environ.get("wsgi.input")
    reader = getattr(body, "reader", None)
    if isinstance(reader, LengthReader) and reader.length == length and body.buf.tell() == 0:
        data = _read_in_large_chunks(reader, length) if length else b""
    else:
        data = request.get_data(cache=False)
    if len(data) < length:
        raise ClientDisconnected()
    return data


def _read_in_large_chunks(reader: LengthReader, length: int) -> bytes:
    """gunicorn's socket reader asks the socket for 8 KB at a time: 60 recv calls and as many buffer writes for
    a phone's 470 KB. For this body it asks for up to CHUNK at once (the socket hands over what it holds), then
    goes back to 8 KB for the requests that follow on the connection."""
    unreader = reader.unreader
    if not isinstance(unreader, SocketUnreader):
        return reader.read(length)
    usual, unreader.mxchunk = unreader.mxchunk, max(unreader.mxchunk, min(length, CHUNK))
    try:
        return reader.read(length)
    finally:
        unreader.mxchunk = usual


CHUNK = 256 * 1024


@blp.route("/findings/<finding_id>/photos/<photo_id>", methods=["PUT"])
@login_required
@blp.arguments(UploadQuery, location="query")
@blp.response(201, PhotoSchema)
@blp.alt_response(200, schema=PhotoSchema, description="The same photo again: nothing changes")
def upload(query, finding_id, photo_id):
    """Upload one photo (JPEG, PNG, WebP or HEIC; the type is read from the bytes). Safe to repeat."""
    finding_id, photo_id = path_uuid(finding_id, "finding"), path_uuid(photo_id, "photo")
    data = _upload_bytes()
    sha256 = digest(data)  # once: the checks, the processing and the store all need it
    config = current_app.config
    limits = {"max_pixels": config["MAX_PHOTO_PIXELS"], "max_decode_bytes": config["MAX_DECODE_MB"] * 2**20}
    process = partial(process_photo, **limits, sha256=sha256)

    def attach(unverified):
        actor = actor_for(current_user)
        uploaded = upload_photo(
            db.session, current_app.extensions["storage"], actor, finding_id, photo_id, query.get("kind"), data,
            sha256=sha256, process=process, clock=utcnow, begin_writing=write_phase, unverified=unverified,
        )  # fmt: skip
        return actor, uploaded

    refused, done = run_as_signed_in(attach)
    if refused is not None:
        return refused
    actor, uploaded = done
    db.session.commit()  # first: on PostgreSQL the finding's row is locked until then
    return present_photo(uploaded.id, uploaded.kind, uploaded.blob, actor, uploaded.round), (
        201 if uploaded.created else 200
    )


@blp.route("/photos/<photo_id>/<variant>")
@login_required
def download(photo_id, variant):
    """The display (1600 px) or thumb (320 px) JPEG, stripped of metadata; the original for supervisors."""
    blob, key = photo_for_download(db.session, actor_for(current_user), path_uuid(photo_id, "photo"), variant)
    storage = current_app.extensions["storage"]
    media_type = blob.media_type if variant == "original" else "image/jpeg"
    url = storage.signed_url(key, expires_s=current_app.config["SIGNED_URL_SECONDS"], content_type=media_type)
    if url is not None:
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "no-store"  # the signed URL expires: never keep the redirect
        return response
    response = send_file(
        storage.open(key), mimetype=media_type, etag=f"{blob.sha256}-{variant}", max_age=PHOTO_MAX_AGE, conditional=True
    )
    # Behind a login: the browser may keep it, no shared cache may (send_file says public), and what it keeps
    # belongs to the credentials it was fetched with.
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.update(("Authorization", "Cookie"))
    return response


PHOTO_MAX_AGE = 3600
