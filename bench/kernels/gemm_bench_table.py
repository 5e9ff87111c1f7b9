#!/usr/bin/env python3
"""Turns a gemm_bench JSON file (--benchmark_out=... --benchmark_out_format=json,
run with --benchmark_repetitions=N) into the markdown table of
docs/performance.md: median GFLOP/s per implementation and the ratios the
targets are stated in (all from the same run).

usage: python3 bench/kernels/gemm_bench_table.py run.json
"""
import collections
import json
import sys


def main(path):
    with open(path) as f:
        data = json.load(f)
    ctx = data["context"]
    rows = collections.OrderedDict()
    peaks = {}
    labels = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        parts = b["run_name"].split("/")
        gflops = b.get("GFLOPS")
        if parts[0] == "fma_peak":
            peaks[parts[1]] = gflops
            continue
        shape, impl = parts[1], parts[2]
        impl = impl.rsplit("_t", 1)[0]
        rows.setdefault(shape, {})[impl] = gflops
        labels[impl] = b.get("label", "")
    print(f"Run: {ctx.get('date')}, {ctx.get('num_cpus')} CPUs, host {ctx.get('host_name')}, "
          f"timing: {'process CPU time' if any('process_time' in b['name'] for b in data['benchmarks']) else 'wall time'}")
    print("FMA peak (same run): " + ", ".join(f"{k} {v:.1f}" for k, v in peaks.items()) + " GFLOP/s")
    peak = peaks.get("avx512_t2") or max(peaks.values())
    impls = [i for i in ["cliprt_f32_avx512", "cliprt_bf16_avx512", "cliprt_qs8_avx512",
                         "eigen_native", "openblas"] if any(i in r for r in rows.values())]
    print()
    print("| shape (M×N×K) | " + " | ".join(impls) + " | f32 / best peer | f32 / peak | bf16 / f32 | int8 / f32 |")
    print("|---" * (len(impls) + 5) + "|")
    def order(name):  # tower, then M, then layer
        tower, layer, m = name.split("_")
        return (tower, int(m[1:]), ["qkv", "out", "fc1", "fc2"].index(layer) if layer in
                ["qkv", "out", "fc1", "fc2"] else 9)

    ratios = {}  # shape -> (m, f32/best peer, f32/peak, bf16/f32, int8/f32)
    for shape, r in sorted(rows.items(), key=lambda kv: order(kv[0])):
        f32 = r.get("cliprt_f32_avx512")
        peers = [r[p] for p in ("eigen_native", "openblas") if p in r]
        cells = [f"{r[i]:.1f}" if i in r else "—" for i in impls]
        best = max(peers) if peers else float("nan")
        ratios[shape] = (int(shape.rsplit("_M", 1)[1]), f32 / best, f32 / peak,
                         r.get("cliprt_bf16_avx512", 0) / f32, r.get("cliprt_qs8_avx512", 0) / f32)
        print(f"| {shape} | " + " | ".join(cells) +
              f" | {f32 / best:.2f} | {f32 / peak:.0%} | {ratios[shape][3]:.2f} |"
              f" {ratios[shape][4]:.2f} |")
    print_targets(ratios)


def print_targets(ratios):
    """Issue 3's targets, checked on this run: range and the shapes that miss."""
    def check(title, select, column, goal, fmt):
        picked = {s: v[column] for s, v in ratios.items() if select(v[0])}
        if not picked:
            return
        lo, hi = min(picked.values()), max(picked.values())
        misses = [f"{s} {fmt(v)}" for s, v in sorted(picked.items(), key=lambda kv: kv[1]) if v < goal]
        verdict = "met" if not misses else "NOT met: " + ", ".join(misses)
        print(f"| {title} | {fmt(lo)} – {fmt(hi)} | {verdict} |")

    ratio = lambda v: f"{v:.2f}x"
    percent = lambda v: f"{v:.0%}"
    print()
    print("| target (issue 3) | range in this run | verdict |")
    print("|---|---|---|")
    check("fp32 >= 1.0x best peer, M >= 256", lambda m: m >= 256, 1, 1.0, ratio)
    check("fp32 >= 0.95x best peer, M = 50", lambda m: m == 50, 1, 0.95, ratio)
    check("fp32 >= 85% of FMA peak, M >= 256", lambda m: m >= 256, 2, 0.85, percent)
    check("bf16 >= 1.7x our fp32, M >= 2", lambda m: m >= 2, 3, 1.7, ratio)
    check("bf16 >= 1.7x our fp32, M = 1 (GEMV)", lambda m: m == 1, 3, 1.7, ratio)
    check("int8 >= 2.5x our fp32, M >= 2", lambda m: m >= 2, 4, 2.5, ratio)
    check("int8 >= 2.5x our fp32, M = 1 (GEMV)", lambda m: m == 1, 4, 2.5, ratio)


if __name__ == "__main__":
    main(sys.argv[1])
