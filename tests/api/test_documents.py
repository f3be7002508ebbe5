"""Issue 14's enforcement documents over HTTP: the 现场检查记录 and 责令限期整改指令书 of an inspection and the
整改复查意见书 of a reviewed finding, each numbered, drawn once as PDF/A-4 and stored by sha256; read back with
poppler (the order names the enterprise, its credit code, every finding's title and deadline, its 文号; its fonts
are embedded). Idempotent on the client's id or on what it is about; a correction supersedes; the officer's
acknowledge signs the order (签收) without changing the PDF issued; the PDF is seen as the inspection or the finding
is; every bad input is a 4xx with fields and leaves nothing written."""

import hashlib
import os
import re
import subprocess
import uuid
from datetime import timedelta

import factories as f
import pytest
import requests
from helpers import event, put_photo, real_today
from inspection_support import CHECKLISTS, INSPECTIONS, Scene, checklist_body, inspection_body, made
from PIL import Image
from sqlalchemy import func, select, text

from app.domain.documents import cn_date
from app.models import Document, DocumentSequence, Finding
from app.services.documents import object_key
from app.storage import storage_from_url


@pytest.fixture
def storage_url(request, tmp_path, monkeypatch):
    """Documents on the local disk (streamed), or in S3 (moto on loopback, a signed redirect) where a test asks."""
    if getattr(request, "param", "local") == "local":
        return f"file://{tmp_path / 'photos'}"
    environ = {"S3_ENDPOINT_URL": request.getfixturevalue("moto_endpoint"), "AWS_REGION": "us-east-1",
               "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}  # fmt: skip
    for name, value in {**environ, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}.items():
        monkeypatch.setenv(name, value)
    url = f"s3://t-{uuid.uuid4().hex[:16]}/photos"
    storage_from_url(url, environ).ensure_bucket()
    return url


@pytest.fixture
def scene(session):
    return Scene(session)


@pytest.fixture
def checklist(client, scene):
    return made(client, scene, CHECKLISTS, checklist_body(20, majors=(4,)))


@pytest.fixture
def inspection(client, scene, checklist):
    """An enforcement inspection of the world's enterprise, three items failed (one 重大)."""
    return made(client, scene, INSPECTIONS, inspection_body(scene, checklist, scene.world.enterprise,
                                                            failed=(2, 4, 9), na=(7,)), who="inspector")  # fmt: skip


def issue(client, scene, inspection_id, kind="rectification_order", who="inspector", **body):
    return client.post(f"{INSPECTIONS}/{inspection_id}/documents", json={"kind": kind, **body},
                       headers=scene.headers[who])  # fmt: skip


def issue_opinion(client, scene, finding_id, who="inspector", **body):
    return client.post(f"/api/v1/findings/{finding_id}/documents", json={"kind": "review_opinion", **body},
                       headers=scene.headers[who])  # fmt: skip


def created(response) -> dict:
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def pdf_of(client, scene, document: dict, who="inspector") -> bytes:
    response = client.get(document["url"], headers=scene.headers[who])
    if response.status_code == 302:  # S3: a signed URL, fetched here as a browser would
        assert response.headers["Cache-Control"] == "no-store"
        return requests.get(response.headers["Location"], timeout=10).content
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf" and response.headers["ETag"] == f'"{document["sha256"]}"'
    assert "private" in response.headers["Cache-Control"]
    return response.data


def text_of(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode())


def year() -> int:
    return real_today().year


def order_no(serial: int, short="厦湖") -> str:
    return f"（{short}）应急责改〔{year()}〕第{serial:04d}号"


def count(session, model, *where) -> int:
    session.rollback()  # a fresh snapshot: SQLite's reader keeps the one its transaction began with
    return session.scalar(select(func.count()).select_from(model).where(*where))


def findings_of(session, inspection: dict) -> list[Finding]:
    session.rollback()
    query = select(Finding).where(Finding.inspection_id == uuid.UUID(inspection["id"])).order_by(Finding.number)
    return list(session.scalars(query))


# --- acceptance 3: the order ------------------------------------------------------------------------------------


@pytest.fixture
def staggered(client, scene, checklist):
    """The inspection, its three failed items given three different deadlines (so each row's date is its own)."""
    body = inspection_body(scene, checklist, scene.world.enterprise, failed=(2, 4, 9), na=(7,))
    for step, result in enumerate(r for r in body["results"] if "finding" in r):
        result["finding"]["deadline"] = (real_today() + timedelta(days=10 + 3 * step)).isoformat()
    return made(client, scene, INSPECTIONS, body, who="inspector")


@pytest.mark.parametrize("storage_url", ["local", "s3"], indirect=True)
def test_the_order_names_the_enterprise_every_finding_and_its_deadline(
    client, session, scene, staggered, checklist, storage_url
):
    inspection = staggered
    order = created(issue(client, scene, inspection["id"]))
    assert set(order) >= {"id", "kind", "number", "sha256", "url"}
    assert order["kind"] == "rectification_order" and order["number"] == order_no(1)
    assert order["url"] == f"/api/v1/documents/{order['id']}.pdf" and order["edition"] == "issued"
    assert order["current"] is True and order["signed"] is None
    pdf = pdf_of(client, scene, order)
    assert hashlib.sha256(pdf).hexdigest() == order["sha256"] and pdf.startswith(b"%PDF-2.0")
    text = text_of(pdf)
    company = scene.world.enterprise
    assert company.name in text and company.credit_code in text and order["number"] in text
    found = findings_of(session, inspection)
    assert len(found) == 3 and len({finding.deadline for finding in found}) == 3
    for finding in found:
        assert re.sub(r"\s+", "", finding.title) in text
        assert cn_date(finding.deadline) in text  # 年月日, each row's own
    for index in (2, 4, 9):  # 违反的规定: the basis of each failed item
        assert re.sub(r"\s+", "", checklist["items"][index]["basis"]) in text
    assert "重大" in text and "第六十五条第一款第（三）项" in text and "厦门市湖里区应急管理局" in text
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), fonts
    stored = storage_from_url(storage_url, dict(os.environ)).get(object_key(order["sha256"]))
    assert stored == pdf


def test_the_inspection_record_tables_every_item(client, session, scene, inspection, checklist):
    record = created(issue(client, scene, inspection["id"], kind="inspection_record"))
    assert record["number"] == f"（厦湖）应急检记〔{year()}〕第0001号"
    text = text_of(pdf_of(client, scene, record))
    assert "现场检查记录" in text and "共检查20项：符合16项，不符合3项，不适用1项" in text
    for item in checklist["items"]:
        assert re.sub(r"\s+", "", item["content"]) in text
    assert all(finding.number in text for finding in findings_of(session, inspection))
    assert "35020012345" in text  # the second inspector's 执法证号


@pytest.mark.parametrize("kind", ["inspection_record", "rectification_order"])
def test_every_page_renders_to_an_a4_image_with_ink_on_it(client, scene, inspection, kind, tmp_path):
    """pdftoppm draws each page as docs/screenshots/document-*.png were drawn (-r 80): as many images as the PDF
    has pages, each A4 at 80 dpi (661 x 935), none blank, and the title's ink in the top fifth of the first."""
    document = created(issue(client, scene, inspection["id"], kind=kind))
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(pdf_of(client, scene, document))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages >= 1
    for n, path in enumerate(images):
        with Image.open(path) as page:
            gray = page.convert("L")
            assert abs(gray.width - 661) <= 1 and abs(gray.height - 935) <= 1, gray.size
            dark = sum(gray.histogram()[:128]) / (gray.width * gray.height)
            assert dark > 0.003, f"page {n + 1} is blank"
            if n == 0:
                title = gray.crop((0, 0, gray.width, gray.height // 5))
                assert sum(title.histogram()[:128]) > 500, "no title at the top of the first page"


def test_numbers_count_per_authority_kind_and_year(client, session, scene, checklist):
    w = scene.world
    bodies = [inspection_body(scene, checklist, company, failed=(0,)) for company in (w.enterprise, w.other_enterprise)]
    ids = [made(client, scene, INSPECTIONS, body, who="inspector")["id"] for body in bodies]
    assert [created(issue(client, scene, i))["number"] for i in ids] == [order_no(1), order_no(2)]
    assert created(issue(client, scene, ids[0], kind="inspection_record"))["number"].endswith("第0001号")
    # the city's supervisor issues under the city's authority: its own count
    record = created(issue(client, scene, ids[1], kind="inspection_record", who="supervisor"))
    assert record["number"] == f"（厦）应急检记〔{year()}〕第0001号"
    assert count(session, DocumentSequence) == 3


# --- idempotency and corrections --------------------------------------------------------------------------------


def test_the_same_request_again_is_the_same_document(client, session, scene, inspection):
    first = created(issue(client, scene, inspection["id"]))
    again = issue(client, scene, inspection["id"])  # no id: one made from the inspection and the kind
    assert again.status_code == 200 and again.get_json() == first
    own_id = str(uuid.uuid4())
    record = created(issue(client, scene, inspection["id"], kind="inspection_record", id=own_id))
    assert record["id"] == own_id
    assert issue(client, scene, inspection["id"], kind="inspection_record", id=own_id).status_code == 200
    clash = issue(client, scene, inspection["id"], kind="rectification_order", id=own_id)
    assert clash.status_code == 409 and clash.get_json()["error"]["code"] == "conflict"
    second = issue(client, scene, inspection["id"], id=str(uuid.uuid4()))  # another order, not a correction
    assert second.status_code == 409 and first["id"] in second.get_json()["error"]["fields"]["supersedes"]
    assert count(session, Document) == 2
    assert session.scalar(select(DocumentSequence.last).where(DocumentSequence.kind == "rectification_order")) == 1


def test_a_correction_gets_a_new_number_and_supersedes_the_old(client, session, scene, inspection):
    old = created(issue(client, scene, inspection["id"]))
    new = created(issue(client, scene, inspection["id"], supersedes=old["id"]))
    assert new["number"] == order_no(2) and new["supersedes"] == old["id"] and new["current"]
    listed = client.get(f"{INSPECTIONS}/{inspection['id']}/documents", headers=scene.headers["inspector"]).get_json()
    assert [(d["id"], d["current"], d["superseded_by"]) for d in listed["items"]] == [
        (old["id"], False, new["id"]), (new["id"], True, None)]  # fmt: skip
    assert pdf_of(client, scene, old) != pdf_of(client, scene, new)  # the old one is still there, unchanged
    twice = issue(client, scene, inspection["id"], supersedes=old["id"], id=str(uuid.uuid4()))
    assert twice.status_code == 409
    other_kind = issue(client, scene, inspection["id"], kind="inspection_record", supersedes=new["id"])
    assert other_kind.status_code == 422 and "supersedes" in other_kind.get_json()["error"]["fields"]
    unknown = issue(client, scene, inspection["id"], supersedes=str(uuid.uuid4()))
    assert unknown.status_code == 422 and "supersedes" in unknown.get_json()["error"]["fields"]


def test_documents_never_change_in_the_database(client, session, scene, inspection):
    created(issue(client, scene, inspection["id"]))
    for statement in ("UPDATE documents SET number = 'x'", "DELETE FROM documents"):
        with pytest.raises(Exception, match="documents never change"), session.begin_nested():
            session.execute(text(statement))
    session.rollback()


# --- 签收 ---------------------------------------------------------------------------------------------------------


def acknowledge(client, scene, finding: Finding, who="officer"):
    return client.post(f"/api/v1/findings/{finding.id}/events", json=event("acknowledge", finding.version),
                       headers=scene.headers[who])  # fmt: skip


def test_the_officers_acknowledge_signs_the_order_keeping_its_number(client, session, scene, inspection):
    order = created(issue(client, scene, inspection["id"]))
    unsigned_pdf = pdf_of(client, scene, order, who="officer")
    first, second, _ = findings_of(session, inspection)
    assert acknowledge(client, scene, first).status_code == 201
    listed = client.get(f"{INSPECTIONS}/{inspection['id']}/documents", headers=scene.headers["officer"]).get_json()
    old, signed = listed["items"]
    assert old["id"] == order["id"] and not old["current"] and old["sha256"] == order["sha256"]
    assert signed["edition"] == "signed" and signed["number"] == order["number"] and signed["current"]
    assert signed["supersedes"] == order["id"] and signed["signed"]["name"] == scene.users["officer"].display_name
    assert pdf_of(client, scene, order, who="officer") == unsigned_pdf  # the order as issued never changes
    signed_text = text_of(pdf_of(client, scene, signed, who="officer"))
    name = scene.users["officer"].display_name or scene.users["officer"].username
    assert f"{name}" in signed_text and "（在线签收）" in signed_text and order["number"] in signed_text
    assert cn_date(real_today()) in signed_text
    assert acknowledge(client, scene, second).status_code == 201  # the order is signed once
    assert count(session, Document) == 2
    # the finding page lists them too, for the officer
    finding_docs = client.get(f"/api/v1/findings/{second.id}/documents", headers=scene.headers["officer"])
    assert [d["id"] for d in finding_docs.get_json()["items"]] == [order["id"], signed["id"]]


def test_an_acknowledge_with_no_order_issued_signs_nothing(client, session, scene, inspection):
    finding = findings_of(session, inspection)[0]
    assert acknowledge(client, scene, finding).status_code == 201
    assert count(session, Document) == 0
    order = created(issue(client, scene, inspection["id"]))  # issued later: it waits for the next 签收
    assert order["signed"] is None


def test_a_correction_of_a_signed_order_is_signed_at_the_next_acknowledge(client, session, scene, inspection):
    created(issue(client, scene, inspection["id"]))
    first, second, _ = findings_of(session, inspection)
    acknowledge(client, scene, first)
    signed = client.get(f"{INSPECTIONS}/{inspection['id']}/documents", headers=scene.headers["inspector"])
    signed_id = signed.get_json()["items"][-1]["id"]
    corrected = created(issue(client, scene, inspection["id"], supersedes=signed_id))
    assert corrected["number"] == order_no(2) and corrected["signed"] is None
    acknowledge(client, scene, second)
    latest = client.get(f"{INSPECTIONS}/{inspection['id']}/documents", headers=scene.headers["inspector"])
    last = latest.get_json()["items"][-1]
    assert last["edition"] == "signed" and last["number"] == order_no(2) and last["current"]


# --- 整改复查意见书 -------------------------------------------------------------------------------------------------


def reviewed(client, session, scene, finding: Finding, action: str, **payload) -> Finding:
    """The officer submits the fix (an after-photo first, as a phone does) and the supervisor reviews it."""
    officer = scene.headers["officer"]
    photo = put_photo(client, officer, finding.id)
    done = real_today().isoformat()
    body = event("submit_rectification", finding.version, measures="已更换接地线", completed_on=done, photo_ids=[photo])
    response = client.post(f"/api/v1/findings/{finding.id}/events", json=body, headers=officer)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = event(action, response.get_json()["version"], **payload)
    response = client.post(f"/api/v1/findings/{finding.id}/events", json=body, headers=scene.headers["supervisor"])
    assert response.status_code == 201, response.get_data(as_text=True)
    session.rollback()
    return session.get(Finding, finding.id)


def test_the_review_opinion_follows_a_review_and_cites_the_order(client, session, scene, inspection):
    order = created(issue(client, scene, inspection["id"]))
    finding = findings_of(session, inspection)[0]
    early = issue_opinion(client, scene, finding.id)
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "invalid_transition"
    finding = reviewed(client, session, scene, finding, "approve", comment="接地线已压接牢固", on_site=True)
    opinion = created(issue_opinion(client, scene, finding.id))
    assert opinion["number"] == f"（厦湖）应急复查〔{year()}〕第0001号" and opinion["finding_id"] == str(finding.id)
    text = text_of(pdf_of(client, scene, opinion))
    assert order["number"] in text and "同意销号" in text and "接地线已压接牢固" in text and finding.number in text
    assert issue_opinion(client, scene, finding.id).status_code == 200


def test_a_rejection_gets_its_opinion_with_the_new_deadline(client, session, scene, inspection):
    finding = findings_of(session, inspection)[0]
    later = real_today() + timedelta(days=20)
    finding = reviewed(client, session, scene, finding, "reject", comment="接地电阻不合格",
                       new_deadline=later.isoformat())  # fmt: skip
    opinion = created(issue_opinion(client, scene, finding.id, who="supervisor"))
    text = text_of(pdf_of(client, scene, opinion))
    assert "不合格" in text and f"于{cn_date(later)}前继续整改" in text and "申请行政复议" in text
    assert "作出了《责令限期整改指令书》" not in text  # no order was issued for it


# --- who may issue and see ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [("officer", 403), ("grid_worker", 403), ("admin", 403),
                                         ("far_inspector", 404)])  # fmt: skip
def test_only_the_enforcers_of_its_area_issue(client, session, scene, inspection, who, status):
    response = issue(client, scene, inspection["id"], who=who)
    assert response.status_code == status, response.get_data(as_text=True)
    assert count(session, Document) == 0 and count(session, DocumentSequence) == 0


def test_the_pdf_is_seen_as_the_inspection_is(client, session, scene, inspection):
    order = created(issue(client, scene, inspection["id"]))
    someone_else = scene.world.user("enterprise_officer", enterprise=scene.world.other_enterprise)
    other_officer = f.token_for(session, someone_else)
    session.commit()
    for headers, status in ((scene.headers["officer"], 200), (scene.headers["district_supervisor"], 200),
                            (scene.headers["far_inspector"], 404), (other_officer, 404), ({}, 401)):  # fmt: skip
        assert client.get(order["url"], headers=headers).status_code == status
        assert client.get(f"/api/v1/documents/{order['id']}", headers=headers).status_code == status
    for path in (f"/api/v1/documents/{uuid.uuid4()}.pdf", "/api/v1/documents/not-a-uuid.pdf"):
        assert client.get(path, headers=scene.headers["inspector"]).status_code == 404


# --- bad input -----------------------------------------------------------------------------------------------------


BAD_BODIES = [
    ({}, "kind"),
    ({"kind": "penalty_decision"}, "kind"),
    ({"kind": "review_opinion"}, "kind"),  # a finding's document, not an inspection's
    ({"kind": "rectification_order", "id": "not-a-uuid"}, "id"),
    ({"kind": "rectification_order", "supersedes": 12}, "supersedes"),
    ({"kind": "rectification_order", "number": "（厦湖）应急责改〔2026〕第0001号"}, "number"),
    ({"kind": ["rectification_order"]}, "kind"),
]


@pytest.mark.parametrize("body, field", BAD_BODIES)
def test_a_bad_body_is_a_422_naming_the_field(client, session, scene, inspection, body, field):
    response = client.post(f"{INSPECTIONS}/{inspection['id']}/documents", json=body, headers=scene.headers["inspector"])
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
    assert count(session, Document) == 0


def test_other_bad_requests(client, session, scene, inspection):
    headers = scene.headers["inspector"]
    url = f"{INSPECTIONS}/{inspection['id']}/documents"
    assert client.post(url, data="kind=x", headers={**headers, "Content-Type": "text/plain"}).status_code == 415
    assert client.post(url, data="{", headers={**headers, "Content-Type": "application/json"}).status_code == 400
    assert issue(client, scene, uuid.uuid4()).status_code == 404
    assert issue(client, scene, "not-a-uuid").status_code == 404
    wrong = client.post(f"/api/v1/findings/{uuid.uuid4()}/documents", json={"kind": "review_opinion"}, headers=headers)
    assert wrong.status_code == 404
    finding = findings_of(session, inspection)[0]
    assert issue_opinion(client, scene, finding.id, kind="rectification_order").status_code == 422
    assert count(session, Document) == 0


def test_without_a_font_the_issue_is_a_503_and_uses_no_number(app, client, session, scene, inspection):
    app.config["REPORT_FONT"] = "/nonexistent/wqy-microhei.ttc"
    response = issue(client, scene, inspection["id"])
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "report_font_missing"
    assert count(session, Document) == 0 and count(session, DocumentSequence) == 0
    app.config["REPORT_FONT"] = None
    assert created(issue(client, scene, inspection["id"]))["number"] == order_no(1)  # no gap


def test_an_order_needs_a_finding(client, session, scene, checklist):
    clean = made(client, scene, INSPECTIONS, inspection_body(scene, checklist, scene.world.enterprise),
                 who="inspector")  # fmt: skip
    response = issue(client, scene, clean["id"])
    assert response.status_code == 422 and "kind" in response.get_json()["error"]["fields"]
    # the record of a clean inspection is still a record
    assert created(issue(client, scene, clean["id"], kind="inspection_record"))["number"].endswith("第0001号")
