"""bench/ is not run by the test suite (its figures are timings), so a refactor of the app could break it unseen:
every module of it is imported here, every registered benchmark must be callable, and every small variant that
`python -m bench --quick` puts in place must name an attribute its module still has, of the same kind."""

import importlib
import os
import pkgutil
import time

import pytest

import bench
from bench import load, load_report, load_world, procfs, quick
from bench.__main__ import BENCHMARKS, parse_args, selected

MODULES = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name != "__main__")


def test_there_are_benchmark_modules_to_import():
    assert {"bulk", "create", "listing", "load", "quick", "uploads", "world"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_every_bench_module_imports(name):
    module = importlib.import_module(f"bench.{name}")
    assert module.__doc__, f"bench/{name}.py says what it measures in its docstring"


def test_every_registered_benchmark_has_a_run_function_and_a_unique_name():
    names = [b.name for b in BENCHMARKS]
    assert len(names) == len(set(names))
    for benchmark in BENCHMARKS:
        assert callable(benchmark.run), benchmark.name
        assert benchmark.run.__code__.co_argcount == 3, f"{benchmark.name}: run(world, backend, cfg)"


def test_the_load_runs_only_when_named():
    assert "load" not in [b.name for b in selected(parse_args([]))]
    assert [b.name for b in selected(parse_args(["--only", "load"]))] == ["load"]


@pytest.mark.parametrize(
    ("module", "name"), [(m, n) for m, values in quick.OVERRIDES.items() for n in values], ids=lambda v: str(v)
)
def test_each_quick_override_names_an_attribute_of_the_same_kind(module, name):
    assert hasattr(module, name), f"bench/quick.py overrides {module.__name__}.{name}, which no longer exists"
    full, small = getattr(module, name), quick.OVERRIDES[module][name]
    assert type(full) is type(small) or {type(full), type(small)} <= {int, float}


def test_the_small_variants_are_put_back_after_the_run():
    before = {(m, n): getattr(m, n) for m, values in quick.OVERRIDES.items() for n in values}
    with quick.small_variants():
        assert all(getattr(m, n) == quick.OVERRIDES[m][n] for m, n in before)
    assert {(m, n): getattr(m, n) for m, n in before} == before


def test_quick_shrinks_only_what_the_command_line_left_alone():
    args = parse_args(["--quick", "--rounds", "5"])
    assert (args.rows, args.pg_rows, args.rounds, args.create_batch) == (quick.ROWS, None, 5, quick.CREATE_BATCH)
    assert args.create_rounds == quick.CREATE_ROUNDS
    assert parse_args([]).rows == 1_000_000


def test_quick_refuses_to_write_its_figures_into_the_docs():
    with pytest.raises(SystemExit):
        parse_args(["--quick", "--write-docs"])


def test_the_load_section_is_found_replaced_and_kept_apart_from_the_rest():
    body = "# Benchmarks\n\n## Results\n\nthe table\n\n## A province's load\n\nold figures\n\n## Set-up times\n\n- x\n"
    assert load_report.section_of(body) == "## A province's load\n\nold figures\n\n"
    assert load_report.without_section(body) == "# Benchmarks\n\n## Results\n\nthe table\n\n## Set-up times\n\n- x\n"
    assert load_report.section_of("# Benchmarks\n\n## Results\n") == ""
    last = "# Benchmarks\n\n## A province's load\n\nlast figures\n"
    assert load_report.section_of(last) == "## A province's load\n\nlast figures\n"


def test_a_province_needs_at_least_two_app_hosts_and_the_cores_its_requests_cost():
    cpu = {kind: {"app": 0.004, "db": 0.002, "client": 0.001} for kind in load_report.PROVINCE}
    need = load_report.capacity(cpu)
    total = sum(load_report.PROVINCE.values())
    assert need["app"] == pytest.approx(total * 0.004) and need["db"] == pytest.approx(total * 0.002)
    assert need["app_cores"] == pytest.approx(need["app"] / load_report.HEADROOM)
    assert load_report.capacity(cpu, load_report.CITY_SHARE)["hosts"] == 2  # never one: a host must be able to fail


def test_the_mixed_run_keeps_within_its_share_of_the_machine():
    heavy = {kind: {"app": 0.05, "db": 0.01, "client": 0.01} for kind in load_report.PROVINCE}
    share = load.scale_for(heavy)
    used = sum(load_report.PROVINCE[k] * share * sum(heavy[k].values()) for k in load_report.PROVINCE)
    assert used == pytest.approx(load.UTILISATION * os.cpu_count())
    assert load.scale_for({kind: {"app": 0.0, "db": 0.0, "client": 1e-9} for kind in load_report.PROVINCE}) == 1.0


def test_a_process_trees_cpu_counts_this_process_and_grows():
    before = procfs.tree_cpu(os.getpid())
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    assert procfs.tree_cpu(os.getpid()) >= before + 0.04
    assert procfs.tree_cpu(2**22 + 12345) == 0.0  # gone (or never there): nothing


def test_every_state_has_a_history_of_about_seven_events_and_three_photos():
    lengths = {status: len(steps) for status, steps in load_world.STEPS.items()}
    assert lengths == {"reported": 3, "rectifying": 5, "pending_review": 7, "closed": 9, "voided": 4}
    for status, steps in load_world.STEPS.items():
        assert steps[0][0] == "report" and steps[0][1] is None
        pairs = zip(steps[1:], steps[:-1], strict=True)  # (a step, the one before it)
        assert all(step[1] == previous[2] for step, previous in pairs), f"{status}: a step starts where one ended"
        assert steps[-1][2] == status, f"{status}: the history ends in the finding's state"
