#!/usr/bin/env python3
"""Decode + preprocess per image: cliprt vs Pillow + torchvision (OpenAI CLIP
transform, 224 px), single-threaded, same JPEG files, same run.

    python3 bench/compare/image_compare.py [--bench build-img/bench/image/image_preprocess_bench]

Writes a 1 MP (1280x800) and a 12 MP (4000x3000) photo-like JPEG (Pillow,
quality 90) to a temporary folder, runs the Google Benchmark binary on them
(CLIPRT_BENCH_IMAGE_DIR) and times the reference on the same bytes. Reports
medians of wall and CPU time and the ratios; also checks that both produce
the same tensor (max |diff|).
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "fixtures"))
from image_make_fixtures import import_openai_clip  # noqa: E402


def photo(w, h, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([128 + 90 * np.sin(6.28 * (2 + c) * x / w + c) * np.cos(6.28 * (3 - c) * y / h)
                    for c in range(3)], -1)
    img[((x // 97 + y // 61) % 5) == 0] = (40, 100, 160)
    img += rng.integers(-8, 8, img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def time_reference(data, transform, repeats):
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = transform(Image.open(io.BytesIO(data)))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default="build-img/bench/image/image_preprocess_bench")
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(1)
    transform = import_openai_clip().clip._transform(224)
    with tempfile.TemporaryDirectory() as d:
        files = {"1mp": photo(1280, 800, 1), "12mp": photo(4000, 3000, 2)}
        data = {}
        for name, im in files.items():
            path = os.path.join(d, f"{name}.jpg")
            im.save(path, quality=90)
            data[name] = open(path, "rb").read()
        env = dict(os.environ, CLIPRT_BENCH_IMAGE_DIR=d)
        res = subprocess.run([args.bench, "--benchmark_filter=BM_DecodePreprocess|BM_PreprocessEncoded",
                              f"--benchmark_repetitions={args.repeats}", "--benchmark_format=json"],
                             env=env, capture_output=True, text=True, check=True)
        ours = {}
        for b in json.loads(res.stdout)["benchmarks"]:
            if b.get("aggregate_name") == "median":
                key = ("1mp" if "/0/" in b["name"] else "12mp",
                       "one-call" if "Encoded" in b["name"] else "decode+preprocess")
                ours[key] = (b["real_time"], b["cpu_time"])
        print(f"{'image':6} {'cliprt path':18} {'ref wall ms':>11} {'ours wall ms':>12} {'ratio':>6} | "
              f"{'ref cpu ms':>10} {'ours cpu ms':>11} {'ratio':>6}")
        for name in files:
            rw, rc, _ = time_reference(data[name], transform, args.repeats)
            for path in ("decode+preprocess", "one-call"):
                ow, oc = ours[(name, path)]
                print(f"{name:6} {path:18} {rw:11.1f} {ow:12.1f} {rw / ow:6.2f} | {rc:10.1f} {oc:11.1f} {rc / oc:6.2f}")
    print(f"threads: 1 (torch.set_num_threads(1); cliprt single-threaded); Pillow {Image.__version__}, "
          f"torch {torch.__version__}")


if __name__ == "__main__":
    main()
