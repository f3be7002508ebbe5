"""docs/benchmarks.md's prose, kept apart from the code that writes it (bench/report.py): how each benchmark is
run, what each issue's work on a figure bought, and every place that bypasses a library for speed."""

METHOD = """\
- Transport: the Flask test client (in-process WSGI, no sockets) for our app and for every floor alike.
- JSON: the bare floors answer through Flask's own provider (the standard library's `json`); our app and the
  create's stack floor write with orjson (`app/json_provider.py`): the same JSON, byte for byte on a real page of
  findings (`tests/api/test_json_responses.py`).
- Our side is the real application (`app.create_app`, production settings) on a database built by the real
  migrations (`flask_migrate.upgrade`), authenticated with a bearer token as an integration would be.
- Each floor is a bare Flask app written in `bench/floors.py`, with its own engine on the same database URL, the
  same engine options and `app.database.configure_engine` (SQLite: WAL, synchronous=NORMAL, foreign_keys=ON,
  BEGIN IMMEDIATE for writing requests).
- Warm-up of one batch per side (the create: 100 requests), then interleaved rounds (A B, B A, ...) timed with
  `time.perf_counter`: the list {rounds} rounds of {page} pages per side, the create {create_rounds} rounds of
  {create} creates (a shared machine's speed drifts within seconds, and a round that short gives both sides the
  same stretch of it: rounds of 100 creates ranged 0.46-1.15 in ratio within one run). Throughput is the median
  of the per-batch request rates; latencies are medians and p90s over every request. The ratios use the medians.
- Data: a city of 4 districts, 16 grids, 80 enterprises, one inspector per district, a city-wide supervisor.
  {rows} findings are loaded with one INSERT ... SELECT per 250k rows over a series (SQLite: recursive CTE;
  PostgreSQL: generate_series), `received_at` 90 s apart in pairs (the id breaks ties), then ANALYZE.
  The list runs as the city-wide supervisor (every row visible). The deep page uses
  `app.read.findings.encode_cursor` on the row at position rows - 50 (found once with OFFSET in the set-up);
  the measured request carries only the cursor. Both pages are checked to return exactly the expected 50 ids.
- Creates run after the list benchmarks, on the same database (the table already holds the bulk rows), as four
  interleaved sides: ours, the fair floor (the create's three writes), the bare one-INSERT floor and the
  required stack alone. An inspector's report of an order (rectifying) writes the new order's notifications to
  the enterprise's officers in its own transaction; the benchmark's world has no officer accounts, so there the
  create reads the enterprise's officers with the enterprise (SQLite) or in its one statement (PostgreSQL) and
  writes no notification.
- The create's bound: one more, untimed batch per side counting the statements and the time spent inside the
  database driver (the engine's cursor events, and around the DB-API calls of `app/services/prepared.py`).
  fair floor / (fair floor + our extra driver time) is the ratio a create would reach if it cost the floor's
  request plus only what our statements cost beyond the floor's.
- Photos (no database): server CPU (`time.process_time`) per call of `app.imaging.process_photo` on the three
  shared 12 MP phone photos, interleaved with a reference pipeline (draft 1/2 + BICUBIC 1600 + thumbnail 320 +
  q82) and a naive one (full decode + LANCZOS), both written in `bench/photos.py`; the phone upload is each photo
  upright at 1600 px, q80, no EXIF, as the PWA sends it. Memory is the RSS high-water mark of a fresh process per
  measurement, after imports and a warm-up.
- Uploads (`bench/uploads.py`): the real server (gunicorn with `gunicorn.conf.py`, as `make run` serves) on this
  backend's database, photos on a local disk, 4 client threads, each sending one finding's 6 photos after
  another over a connection of its own (as a phone's outbox does; gunicorn closes a connection idle for 2 s), every
  file distinct (a JPEG comment makes each sha256 new), after a warm-up of 96 phone uploads (every pooled
  connection's statements prepared and planned, as on a server that has run for a minute), in 3 slices of 120
  phone uploads (5 findings per client) and 3 of 24 originals; the ceiling is cores / `process_photo`'s CPU per
  photo, the median of 12 samples before each slice and after the last (48 in all), so that it is measured over
  the same minute as the rate (this machine's speed moves by 10-20 % within seconds). Where the CPU went comes
  from /proc:
  the gunicorn workers, PostgreSQL's backends and the client threads. The create and the uploads run {repeats}
  times each: the table shows the range of their ratios, the median run's figures, and a target counts as met
  only if every run meets it.
- PWA: gzip -9 sizes of the build (`pwa/scripts/size.mjs`); Lighthouse 12 (`bench/lighthouse`), mobile preset,
  Debian's Chromium, against gunicorn serving the build, 3 runs, the median counts. Both measured once per run.
- Imports (`bench/imports.py`): a 50,000-row sheet with the import's Chinese headers (valid credit codes, the
  city's grids, coordinates in Xiamen) written by openpyxl's write-only mode, and the same rows as a CSV. Each
  run is a fresh process (`python -m bench.imports MODE ...`): POST /api/v1/enterprises/import through the real
  application (test client, an admin's bearer token, multipart), first into an empty register, then the same file
  again, then the CSV as a dry run; timed from the request to the committed answer, each answer's counts checked.
  3 rounds, the floors first in one and last in the next, the imported rows deleted between them; the median
  counts. Memory is the process's VmHWM, reset after start-up, beside the RSS at that moment.
- Deadlines (`bench/deadlines.py`, PostgreSQL only): a world of its own in a schema of its own
  (`bench_deadlines`, migrated and seeded like the shared one, dropped afterwards): 2,000 enterprises with 1 or 2
  officers each, 2 inspectors and a supervisor per street, a supervisor per district, some of them with email or
  the group robot chosen; 1,000,000 findings received evenly over 463 days, oldest first, loaded by one COPY of
  their varying columns into a temporary table and one INSERT ... SELECT, with a report event each and a confirm
  event for half of the due orders, then VACUUM ANALYZE. The run's moment is Wednesday 2026-12-09 09:30 in
  Shanghai; which rows are due is decided by the pure rules (a deadline date is due if a rectifying finding with
  it has a notice due then; a report if its triage wait is), one row in 50: reminders, overdue notices, street,
  district and city escalations and triage waits. Every other row is one the job must not read (closed, voided,
  pending review, rectifying beyond the job's horizon, reports from the last day or before its window). The
  job (`run_deadlines`, the application's own engine and session) runs 5 times, each a first run at that moment
  rolled back afterwards, with VACUUM (untimed) before each so no round wades through the last one's dead rows;
  the floor runs 3 times per round, interleaved. One more run counts each kind of statement and its time inside
  the driver; then a committed run, then 3 runs at the same moment that write nothing. The plan is the job's own
  candidate statement, caught on the engine's cursor events and run again under EXPLAIN (ANALYZE, BUFFERS); the
  benchmark fails if it reads findings with a Seq Scan, returns other than the due rows, or throws rows away.
- Statistics (`bench/stats.py`, PostgreSQL only): a world of its own in a schema of its own (`bench_stats`,
  migrated and seeded like the shared one, dropped afterwards), grown to 10 communities of 5 grids under every
  street (400 grids) and 2,000 enterprises; 1,000,000 findings by INSERT ... SELECT over generate_series, observed
  evenly over 730 days up to the run, every state among the last 60 days' and mostly closed before, one in 20
  major, some listed or with an extension pending, deadlines 7 to 30 days after observation, one in 97 filed at a
  district or street itself with no enterprise; then VACUUM ANALYZE. `GET /api/v1/stats?group_by=district`
  (street, month) through the Flask test client as the city's supervisor, 2 warm-ups, then 5 rounds interleaved
  with the floor (A B, B A, ...); the medians count, and each answer's counts per key must equal the floor's. The
  plan is the request's own statement, caught on the engine's cursor events and run again under EXPLAIN (ANALYZE,
  BUFFERS). A third side in the same rounds asks the same district breakdown of the same application on
  connections whose planner may use no index: what migration 0010's index is for.
- Exports (`bench/exports.py`): the 台账 as CSV and XLSX at 10,000 and 100,000 rows (the bulk findings, picked by
  the list's text filter on their numbers), each export in a fresh gunicorn (1 worker x 2 threads) warmed by a
  1-row export, as the city-wide supervisor, read over loopback in 64 KB reads; the worker's VmHWM, reset just
  before the export, 2 runs per size; each answer checked to hold exactly its rows. Memory is flat when the
  100,000-row peak is within 10 % of the 10,000-row one."""

# The create's steps and where its time goes (issue 15): measured apart, kept as written.
CREATE_STEPS = """\
The fair floor makes the three writes any create must make on this schema (the district's number, the finding,
its report event) in one transaction and answers a flat row. Our create also signs the request in, loads and
judges the body, fingerprints it, checks that the reporter may file at the enterprise, tells its officers,
declares its photos and answers the finding's full detail. Before issue 15 it sent 13 statements on SQLite and
12 on PostgreSQL and ran at 0.35-0.39 (SQLite) and 0.32-0.34 (PostgreSQL) of the fair floor (2 runs each, load
1.3 to 2.3). Now it sends BEGIN IMMEDIATE and 4 statements on SQLite and one statement on PostgreSQL (besides the
pool's pre-ping, which the floor pays too), and runs at 0.72-0.73 and 0.72-0.88.

What each step bought, each taken out again in the same interleaved rounds (medians of 10 rounds against the
fair floor; load average about 1; measured on 2026-12-01 by hand, not by `make bench`, which re-measures the
rows above):

| step | SQLite | PostgreSQL |
| --- | --- | --- |
| before issue 15 (separate runs) | 0.35-0.39 | 0.32-0.34 |
| the general path alone: ON CONFLICT, no idempotency read, no SAVEPOINT (separate runs) | 0.38 | 0.35-0.37 |
| all of it, with the fast path taken out (report_finding and the answer from the written values) | 0.43 | 0.45 |
| all of it, with Flask-Limiter's hooks run on every request again | 0.67 | 0.83 |
| all of it, without the remembered account (the signed-in user read first, as before) | 0.68 | 0.77 |
| all of it (that run) | 0.70 | 0.85 |
| then SQLite's create in a Core transaction of its own (separate runs) | 0.72-0.73 | - |

Then, on 2026-12-02, by hand on a machine where the rows above had missed (SQLite 0.64-0.71, PostgreSQL
0.61-0.63): on PostgreSQL, psycopg turned the create's statement from pyformat into $n at every execute (it
caches that only for queries under 4096 characters and 50 parameters; ours is 6.9 KB with 75): sent as $n
through a RawCursor, a create in a loop went from 4.22 to 3.55 ms, and the row to 0.82-0.97. On SQLite, in
A/B runs of 100 rounds x 10 creates against the fair floor (total time, 3 runs each): 0.66-0.68 before;
0.69-0.74 with BEGIN IMMEDIATE and COMMIT on the driver and no cookie signer built for a bearer request;
0.73-0.75 with Flask-Login's unused session hash left out; 0.73-0.78 with no ORM Session made for the create.

The field readers of the body (`app/api/fastload.py`) were worth 0.05 on SQLite in an earlier run of the same
kind (0.64 without them against 0.69).

Where the rest goes, on SQLite (the tighter of the two): with the create's own work stubbed out (the route
answering a finding it made once), the same request costs 0.54 ms against our 1.33 ms and the fair floor's
0.92 ms, in the same rounds. That 0.54 ms is the stack the issues require and the fair floor has none of: the
hooks of the edge, the JSON body check, CSRF, the password gate and the remember-cookie clean-up, Flask-Login's
loader and `login_required`, webargs, flask-smorest's response and FindingDetailSchema's dump, and Flask's own
dispatch of them. The create's own 0.8 ms is its transaction (BEGIN IMMEDIATE 0.04 ms and COMMIT, as the floor's)
and four statements on the DB-API cursor (0.13 ms in the driver against the floor's 0.12 ms for three, the
statements-alone row), the draft (rules, fingerprint, columns: 0.06 ms) and the answer (0.03 ms).

On PostgreSQL the statement does the work of the floor's three and more in one round trip: its execution
measured 0.7 ms (median of 200, a generic plan prepared by psycopg after 5 runs) against the floor's 0.6 ms of
driver time for three statements plus a BEGIN and a COMMIT round trip of its own. A lost race fails the
statement as a whole (the INSERT's unique key), so no number is burnt; the create then answers as the retry it
is (`tests/integration/test_create_races.py` forces it with a held transaction).

The benchmark's world has no officer accounts, so its creates write no notification. At an enterprise with
officers the PostgreSQL statement writes the notices and their deliveries itself (same trip); SQLite writes them
through `write_notifications` in the create's transaction, a few statements more."""


# Every place that bypasses a library for speed: where, what it skips, the benchmark row that justifies it, and
# the test that holds it to the library's own result.
BYPASS_ROWS = [
    ("`app/services/photo_upload.py` (`upload_photo`, `judge`), `app/services/photo_rows.py` (`record`)",
     "the ORM path of an upload (`store_photo`: its checks run twice, FOR UPDATE, the unit of work, a SAVEPOINT "
     "for the blob): one SELECT judges the upload with store_photo's own rules, then the rows are written by "
     "statements each conditional on what was judged (the finding claimed only while the columns its rules and "
     "the caller's scope read are unchanged, INSERT ... ON CONFLICT DO NOTHING for the blob and the photo, the slot "
     "only while empty), as `text()` where SQLAlchemy would compile at every execution; on PostgreSQL one WITH "
     "statement. A condition that fails is answered by store_photo",
     "phone 1600 px and 12 MP original uploads/s through gunicorn",
     "`tests/api/test_upload_fast_path.py` (the rows written equal store_photo's for a new photo and a declared "
     "after-photo; the statements of each shape; the claim's columns cover the scope's for every role); "
     "`tests/integration/test_upload_races.py` (each lost race forced: voided, a twin, other bytes, the last "
     "place, a blob forgotten by repair, a count older than the row lock; 20 twins at once; racing for the last "
     "places)"),
    ("`app/api/photos.py` (`_read_exactly`, `_read_in_large_chunks`)",
     "werkzeug's request stream over gunicorn's Body (1 KB reads, each copying gunicorn's 8 KB buffer): the body "
     "read by gunicorn's own length reader, asking the socket for up to 256 KB at a time instead of 8 KB (60 "
     "recv calls for a phone's 470 KB became 13)", "phone 1600 px and 12 MP original uploads/s through gunicorn",
     "`tests/api/test_upload_body.py` (the same bytes from real gunicorn Body objects at sizes around its 1 KB "
     "and 8 KB steps and a 4 MB original's, the same refusals; a pipelined next request left whole, the reader's "
     "chunk size put back; real gunicorn stores what a client sent, byte for byte, on one keep-alive connection)"),
    ("`app/imaging/pipeline.py` (`_encode`, `_open`)",
     "Pillow's encode into a BytesIO, which holds the GIL throughout, and its decoder fed 64 KB at a time: the "
     "JPEGs encoded into a file in memory (`os.memfd_create`, Linux), which Pillow encodes without the GIL, and "
     "the whole upload handed to the decoder at once. Two threads of one process running process_photo kept "
     "1.45 cores busy and now 1.86-1.97", "phone 1600 px and 12 MP original uploads/s through gunicorn",
     "`tests/unit/test_imaging_threads.py` (the same JPEG bytes, sizes and metadata as Pillow's usual paths for a "
     "12 MP photo, a phone upload and a PNG; a truncated upload refused on both)"),
    ("`app/services/findings.py` (`report_finding`, `write_report`), `app/services/numbers.py`, "
     "`app/services/history.py`",
     "the ORM unit of work: prebuilt Core INSERTs for the events, the counter upsert and the finding's INSERT ... "
     "ON CONFLICT (id) DO NOTHING RETURNING as `text()` built once (no idempotency read, no SAVEPOINT)",
     "create finding, requests/s (and its statements-alone bound)",
     "`tests/api/test_idempotency_and_concurrency.py`, `tests/integration/test_create_races.py` (retries, clashes, "
     "races, numbers with no gap); `tests/api/test_audit_trail.py` (the Core-written report event and the "
     "ORM-written actions read back alike)"),
    ("`app/services/prepared.py`, used by `app/services/create_sqlite.py` (the create on SQLite, in a transaction "
     "of its own begun and committed on the driver, BEGIN IMMEDIATE first, with no ORM Session made for it), "
     "`app/services/accounts.py` (the signed-in user's read) and "
     "`app/services/photo_upload.py` (the upload's judging SELECT, the remembered account read again in it)",
     "SQLAlchemy's execution layer (and, for the create, the ORM session's transaction): statements compiled once, "
     "run on the DB-API cursor with SQLAlchemy's own bind and result processors (those chosen by the driver's "
     "type code at the first run)", "create finding, requests/s; phone 1600 px uploads/s through gunicorn",
     "`tests/api/test_create_fast_path.py` (the rows written equal report_finding's, field for field; the "
     "account read equals SQLAlchemy's execution of the same statement for live, revoked, expired and "
     "deactivated tokens); `tests/api/test_create_transaction.py` (what the driver is sent, traced: one "
     "transaction, the write lock first, an order's notices inside it; the Sessions a create makes, counted); "
     "`tests/api/test_upload_fast_path.py` (the judging row equals SQLAlchemy's execution "
     "of the same SELECT, column for column, for a new, a stored and a declared photo, with and without the "
     "account's column)"),
    ("`app/services/create_pg.py` (the create on PostgreSQL)",
     "the create's several statements and its transaction: one data-modifying WITH statement in autocommit (the "
     "enterprise under the reporter's prefix, the number, the finding, its events, photos, notices and "
     "deliveries, the remembered account read again); a lost race fails the statement and is answered as a retry",
     "create finding, requests/s",
     "`tests/api/test_create_fast_path.py` (every shape of create writes what report_finding writes, "
     "notifications and deliveries included); `tests/integration/test_create_races.py` (the lost race forced)"),
    ("`app/services/prepared.py` (`native_placeholders`, `cursor_for`), on PostgreSQL",
     "psycopg's pyformat conversion: a prepared statement's `%(name)s` rewritten once into PostgreSQL's own $n and "
     "run through psycopg's RawCursor. psycopg re-parses a pyformat query at every execute when it is over 4096 "
     "characters or 50 parameters (the create's one statement is 6.9 KB with 75): a create spent about 0.7 ms "
     "there", "create finding, requests/s",
     "`tests/integration/test_prepared_statements.py` (a literal % and a name used twice rewritten right; the "
     "statement run on the RawCursor answers what SQLAlchemy's execution answers, on both databases); "
     "`tests/api/test_create_fast_path.py`"),
    ("`app/services/created.py`", "the detail read after a create: the answer built from the written values",
     "create finding, requests/s",
     "`tests/api/test_create_fast_path.py` (the 201 body is byte for byte the GET of the finding, for 14 shapes)"),
    ("`app/api/fastload.py` (the create's body, `app/api/create_body.py`)",
     "marshmallow's general load path: a reader per declared field, the fields' own validators; anything else, "
     "and every refusal, through marshmallow's load", "create finding, requests/s",
     "`tests/unit/test_fastload.py` (the same output or marshmallow's own errors, on mutations and on arbitrary "
     "JSON through hypothesis)"),
    ("`app/cookie_session.py`",
     "Flask's signed-cookie session for a request with no cookie (a phone's, with a bearer token): the signer "
     "Flask builds before looking for the cookie, and the seven cookie settings it reads before seeing an empty "
     "session has nothing to save", "create finding, requests/s",
     "`tests/unit/test_cookie_session.py` (the session, Set-Cookie and Vary of Flask's own interface, for no, a "
     "good, a forged and an empty cookie, each read, written, cleared or left alone; no secret key)"),
    ("`app/extensions.py` (`SignIns`)",
     "Flask-Login's hash of the client's address and user agent at every sign-in check, made before it looks "
     "whether session protection is on (it is off: the server-side session replaces it)",
     "create finding, requests/s", "`tests/unit/test_sign_ins.py` (Flask-Login's answer and session left, for "
     "each mode, with and without a session from another client)"),
    ("`app/api/parsing.py` (`strict_json`)",
     "encoding every body again to find a lone surrogate: only a body with a \\u escape can hold one",
     "create finding, requests/s", "`tests/unit/test_strict_json.py` (accepted and refused as the every-body "
     "check does, on arbitrary JSON through hypothesis and on the edges: pairs, escaped backslashes, surrogates "
     "written out, deep nesting)"),
    ("`app/services/fingerprint.py` (`jsonable`)", "the JSON round trip of an event's payload, for plain values",
     "create finding, requests/s", "`tests/unit/test_fastload.py` (the same JSON as the round trip)"),
    ("`app/throttle.py` (`check_only_limited_routes`)",
     "Flask-Limiter's before_request check on a request no limit applies to", "create finding, requests/s",
     "`tests/api/test_create_fast_path.py` (no limit resolved for the create; the login's still are); "
     "`tests/api/test_auth.py` (login throttling)"),
    ("`app/services/accounts.py` (the signed-in principal), `app/services/lookups.py` (`visible_enterprise`)",
     "ORM loading: one prebuilt row per request", "create finding, requests/s; list page",
     "`tests/api/test_visibility_api.py` (the domain rule and the SQL scope agree for every kind of user)"),
    ("`app/read/rows.py` (`finding_rows`, `read_rows`)", "ORM objects: Core rows turned into dicts",
     "list page of 50, median latency", "`tests/api/test_listing.py`, `tests/api/test_sync.py`"),
    ("`app/api/fastdump.py`", "marshmallow's general dump path: precompiled writers per field",
     "list page of 50, median latency", "`tests/unit/test_fastdump.py` (both paths give the same output)"),
    ("`app/json_provider.py`", "the standard library's `json`: orjson", "list page of 50, median latency",
     "`tests/api/test_json_responses.py` (a real page of findings, byte for byte)"),
    ("`app/services/admin/enterprise_import.py`", "the one-at-a-time verb: bulk Core INSERT/UPDATE (executemany)",
     "enterprise import, 50,000 new rows",
     "`tests/api/test_admin_enterprises.py::test_an_imported_enterprise_is_the_same_record_as_one_registered_alone`"),
    ("`app/services/bulk.py` (`insert_unnest`, through `insert_rows`), used by "
     "`app/services/notifications.py` (`write_notifications`)",
     "SQLAlchemy's compiled multi-row INSERT, the ORM's bulk path and executemany: on PostgreSQL one "
     "INSERT ... SELECT FROM unnest(one array per column) per 10,000 rows, each array processed by its column "
     "type's bind processor and sent in binary format (`%(name)b` through `exec_driver_sql`), a column with one "
     "value in the batch bound once; on SQLite one Core executemany", "deadline job, 1,000,000 findings, 20,000 due",
     "`tests/integration/test_notification_writes.py` (the same values through the ORM, stored alike, on both "
     "databases); `tests/integration/test_deadline_job.py` (exactly the expected notifications at each moment)"),
    ("`app/jobs/deadlines.py` (`_candidates`)", "ORM loading: the candidates as rows of the nine columns read",
     "deadline job, 1,000,000 findings, 20,000 due",
     "`tests/integration/test_deadline_job.py` (exactly the expected notifications, wording and due moments)"),
    ("`app/services/bulk.py` (`among`), in the job's look-ups by id",
     "SQLAlchemy's IN lists: `= ANY(array)` on PostgreSQL, one query instead of one per 900 ids",
     "deadline job, 1,000,000 findings, 20,000 due",
     "`tests/integration/test_bulk_lookups.py` (the same rows for 2,002 ids, one query or three); "
     "`tests/integration/test_deadline_job.py`, `tests/integration/test_event_notices.py` (on both databases)"),
    ("`app/jobs/escalations.py` (`record_escalations`, PostgreSQL only)",
     "executemany: the escalate events through `insert_rows` (`insert_unnest`), the findings' counters in one "
     "`text()` UPDATE ... "
     "FROM unnest", "deadline job, 1,000,000 findings, 20,000 due",
     "`tests/integration/test_event_notices.py::test_each_escalation_is_an_event_of_the_system_actor_written_once` "
     "(actor, states, payload, events_count and updated_at, on both databases)"),
]  # fmt: skip
BYPASSES = "\n".join(
    [
        "Each is justified by the row named beside it in the table above and held to the library's result by a test.",
        "",
        "| where | what it skips | the row that justifies it | the equivalence test |",
        "| --- | --- | --- | --- |",
        *(f"| {where} | {skips} | {row} | {test} |" for where, skips, row, test in BYPASS_ROWS),
    ]
)


PROFILING = """\
When a ratio misses, profile our side of it (SQLite by default, `--postgres-url URL --pg-reset` for PostgreSQL):

    .venv/bin/python -m bench --profile create            # or list / deep (these load --rows findings first)

It runs `--requests` requests under cProfile after a warm-up and prints the top functions by own and cumulative
time, the application's own functions, the library entry points (marshmallow load/dump, session commit/flush,
lazy loads, Flask-Login's user loader) and every SQL statement sent, with its count and time per request."""


# What was changed for the deadline job's row, each measured before and after (interleaved, on this machine kind;
# the commit messages carry the same figures).
DEADLINE_CHANGES = """\
How the job got here (issue 12's first version read every candidate as an ORM object and wrote its rows in
compiled multi-row INSERTs of 500):

- `write_notifications`: one INSERT ... SELECT FROM unnest per 10,000 rows on PostgreSQL (an executemany on
  SQLite), for the notifications and their deliveries: 6.41 s to 2.76 s at 200,000 findings with 4,000 due.
- The officers of every enterprise told, in one query instead of one per enterprise (1,389 queries): 1.91 s to
  1.11 s at 200,000 findings.
- Migration 0008, `ix_findings_status_received_at`: the reports waiting for triage read by index alone (the
  plans below: 82,116 index entries to 20,000 at 1,000,000 findings; a few milliseconds, within the noise).
- The keys already written read back and only the rest sent, rather than all again for ON CONFLICT to drop: a
  run at the same moment again 0.95 s to 0.85 s at 200,000 findings.
- Escalations: their events and the findings' counters in one statement each rather than one per row: the job
  1.16 s to 1.05 s at 200,000 findings.
- Look-ups by id as `= ANY(array)` on PostgreSQL, not an IN list per 900 ids (91 queries to 9): again-run 2.87 s
  to 2.73 s at 1,000,000 findings.
- The candidates as rows of the nine columns read, not ORM objects: again-run 2.79 s to 2.42 s at 1,000,000
  findings (and the sort by id no longer spills to disk).
- `insert_unnest` binds a column with one value in every row of a batch (the run's moment, a status, NULL) once
  rather than as an array processed, dumped and quoted per row, and reads RETURNING with one fetchall: a first
  run 4.67 s to 4.45 s at 1,000,000 findings.
- Each escalation's uuid5 made once, not twice; a candidate's State by a dict look-up; today and each rule's kind
  once per run: a first run 4.27 s to 4.12 s.
- `insert_unnest` sends its arrays in PostgreSQL's binary format (`%(name)b`, each still processed by its column
  type's SQLAlchemy bind processor): in text format psycopg searched every string, timestamp and uuid for
  characters to quote and escaped them in Python. A first run 4.10 s to 3.48 s, the same rows written (a digest
  of the notifications, deliveries, escalate events and counters matches the code before)."""


# The uploads' steps and where their CPU goes (issue 15): measured apart, kept as written.
UPLOAD_STEPS = """\
Before issue 15 a phone upload ran at 0.34-0.46 of its CPU ceiling: each request checked twice through the ORM
and, on SQLite, held the write lock across the file writes. What was done, each measured on 2026-12-01 by hand
(`python -m bench --only uploads`, 3 runs each; not re-measured by `make bench`, which measures the rows above):

- The upload judged by one SELECT, the files written with no transaction open, the rows written by statements
  each conditional on what was judged (on PostgreSQL one WITH statement): 7 round trips where there were 20, the
  sign-in's account read and the two BEGINs included. The read phase ends with a COMMIT: a ROLLBACK made psycopg
  forget its prepared statements (DEALLOCATE ALL). PostgreSQL's own CPU per upload 3.1-3.6 -> 1.1-1.9 ms.
- The body read in chunks of up to 256 KB instead of gunicorn's 8 KB, and the local storage's paths without
  resolving the root for each object: per phone upload 70 -> 13 recv calls and 30 -> 3 stat calls (strace of a
  worker over 60 uploads); the workers' system CPU 3.0 -> 1.3-1.6 ms per upload in a sequential run.
- process_photo on every core from the threads of one worker. Two threads of one process running process_photo
  kept only 1.45 cores busy: Pillow's JPEG encode into a BytesIO holds the GIL throughout, and its decoder fed 64 KB
  at a time holds it between calls. Encoding into a file in memory (`os.memfd_create`) and decoding the upload in
  one call: 1.86-1.97 cores busy, the same bytes. The runs that missed had three of the four connections on one
  worker (the workers' shares 74-76 % / 24-26 %) and 1.65-1.72 cores busy; with the change a 12 MP run with every
  connection on one worker kept 1.88 busy.
- On PostgreSQL one connection and one transaction per upload: the judging's read transaction stays open through
  the processing (it has only read, in READ COMMITTED: no row lock, no snapshot between statements), where ending
  it cost a COMMIT, the pool's ping of the connection checked out again and a BEGIN: 6 round trips where there
  were 9. The warm-up grew from 12 to 96 uploads: with 12, most measured uploads ran on connections whose
  statements were not yet prepared or planned for good (0.4 ms to parse and 0.4 ms to plan each, in the
  server's log); PostgreSQL's CPU per upload 2.0 -> 1.4 ms and the ratio 0.60 -> 0.63 (medians of 4 alternating
  runs each).
- The upload let in with the account remembered for its token and read again by the judging SELECT, which
  runs on the DB-API cursor: the sign-in's 0.65 ms of worker CPU and its round trip gone, the judging SELECT
  0.5 -> 0.8 ms (per-step thread CPU in the workers, 4 clients).

Where a 1600 px upload's CPU goes (PostgreSQL, 4 clients, the detail rows above): process_photo 14-16 ms alone;
the workers 22-26 ms in all, so 7-10 ms per upload are the request around it: Flask and the sign-in, the judging
SELECT and the rows' statement, the body read, the sha256, three object writes (about 1 MB copied into the page
cache: 8.5 % of the workers' samples in `perf`), the answer. Run one at a time the same request costs 5-6 ms
besides process_photo; with four in flight, more (the GIL handed between threads, the scheduler). PostgreSQL adds
1.5-1.9 ms per upload on the same two cores, the client threads 0.5 ms. So even with both cores busy all the time
a phone upload reaches about 0.58-0.66 of a ceiling that counts process_photo alone; a 12 MP original, where
process_photo is 90 ms of the 120, 0.67-0.78. On this machine (2 vCPUs whose speed varies: process_photo alone
measured 13.9-17.0 ms in the same hour) the phone runs' ratios spread by +-0.05.

On 2026-12-02, on a freshly booted machine of the same kind (process_photo alone 14-18 ms), the phone runs gave
0.49-0.59 on PostgreSQL with the same code. Measured then (per-step thread CPU in the workers, 6 slices of 120):
process_photo in the workers 15.4-16.4 ms, steady; the rest 5.7-8.2 ms, of which the three object writes moved
most, 1.1-3.3 ms (on this VM a page the page cache has not used before costs about 2.8 ms per MB to write into,
one it reuses 0.2-0.5); process_photo alone, sampled after each slice, moved 15.1-17.8 ms. Two changes:
- The ceiling sampled around the slices (above) instead of once after a single run of 108: a ratio divides two
  figures, and one of them taken in other seconds than the other moved the ratio by +-0.07 between runs.
- Each gunicorn worker keeps the memory it frees (gunicorn.conf.py, keep_freed_memory: glibc's mmap and trim
  thresholds fixed at 32 MB and 256 MB). A 12 MP original processed in a worker's threads faulted its buffers in
  afresh every time, about 7,000 page faults a photo (2,700 in tests/unit/test_worker_memory.py's probe), and 2
  with the thresholds fixed. Per 12 MP upload the workers' system CPU fell 21-27 -> 12-16 ms (the rest is mostly
  the 4.9 MB written into the page cache); the workers' RSS after the run 159 -> 205-276 MB, the price. Phone
  uploads fault ~17 times each either way and did not move.

Later on 2026-12-02 (another freshly booted machine of the kind, by hand): the phone runs gave 0.59-0.66 on
SQLite and 0.54-0.58 on PostgreSQL (3 runs each), process_photo alone 14.3-18.3 ms over the hour. What was
tried and measured there:
- Whether this machine's two cores slow each other: process_photo on the same 60 phone uploads in one process,
  then in two processes at once, six times over. Alone, 14.4-15.0 ms of CPU per photo; two at once, 14.1-18.2
  ms each, 12-23 % more in 7 of the 12 (the host's other work beside the second core, it seems: it comes and
  goes). The ceiling divides by the figure of one process alone; the server has both cores busy.
- process_photo allowed one at a time per worker (a semaphore; 2 workers on 2 cores): the workers' CPU per
  phone upload 21.7 -> 19.9 ms, but only 1.73 cores busy where 1.92 were (while one worker's photo waits for
  the slot, the other worker has no upload to work on), so 59 -> 51 % of the ceiling. Not kept.
- A py-spy profile of the workers (SQLite, 100 Hz, one run): 80 % of their samples in the imaging pipeline, 4 %
  in the three object writes, 5 % the rows' statements and their transaction, 1.4 % the judging SELECT, 1 %
  each the body read and the sha256, 3 % gunicorn's own; no single step left worth the 5-10 % the target
  needs."""
