"""gunicorn.conf.py's workers keep the memory they free (keep_freed_memory): 12 MP photos processed by two threads
of one process, as a worker's threads process them, fault their buffers in afresh each time without it.

Page faults are counted, not timed: each is the kernel handing memory back that the process had just given away.
Each run is a fresh interpreter, since malloc's settings last for the process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import resource, runpy, sys, threading
conf = runpy.run_path("gunicorn.conf.py")
if sys.argv[1] == "worker":
    conf["post_fork"](None, None)  # what gunicorn calls in each worker
from app.imaging import process_photo
from bench.photos import load_photos
photos = load_photos()

def two_threads():
    threads = [threading.Thread(target=lambda: [process_photo(p) for p in photos]) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

two_threads()  # the first photos fault everything in, tuned or not
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
two_threads()
two_threads()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / (4 * len(photos)))
"""


def faults_per_photo(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return float(done.stdout.strip())


def test_a_worker_reuses_the_buffers_of_its_last_photos():
    untuned, worker = faults_per_photo("plain"), faults_per_photo("worker")
    assert untuned > 1000  # the probe sees the fault-in it is about: 2,700-7,000 a photo (11-28 MB) by default
    assert worker < untuned / 10  # 1-145 a photo here


def test_keep_freed_memory_sets_both_thresholds():
    probe = "import runpy; print(runpy.run_path('gunicorn.conf.py')['keep_freed_memory']())"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr  # glibc: mallopt accepted both values
