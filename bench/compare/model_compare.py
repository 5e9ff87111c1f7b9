#!/usr/bin/env python3
"""Peer comparison for a full-size ViT-B/32 (fp32, random weights): PyTorch vs
ONNX Runtime vs cliprt, image and text towers at batch 1 and 32, and end to
end from a folder of JPEG files to embeddings. Same weights, same pixels,
same token ids, same thread count, peers alternating within one session.

    python3 bench/compare/model_compare.py --cli build-cli/tools/cliprt \\
        --tokenizer ../shared/assets/bpe_simple_vocab_16e6.txt.gz --threads 2

Weights: openai-clip's `CLIP` class with its own random initialization
(seed 0), rounded through fp16 (so `clip.model.build_model`, which converts to
fp16, gets back exactly the saved values when widened with `.float()`), saved
with torch.save as an fp32 OpenAI-style state dict that cliprt loads as is.
Peers:
  * PyTorch: `clip.model.build_model(state_dict).float()`, torch.inference_mode,
    torch.set_num_threads(T), encode_image / encode_text.
  * ONNX Runtime: CPU EP, fp32, ORT_ENABLE_ALL, intra_op_num_threads=T, from a
    torch.onnx.export (TorchScript exporter, opset 17, dynamic batch) of
    encode_image and encode_text.
  * cliprt: the CLI only — `cliprt bench` (timings, JSON) on the same
    checkpoint file and `cliprt embed-image --pixels` / `embed-text` for outputs.
Timing: per configuration, R rounds; each round times every peer (a warm-up
call then N calls; cliprt's bench does the same inside one process) and the
table reports the median over rounds of each peer's median ms per call.
Texts: B copies of one caption (cliprt's bench caption) — cliprt runs the
causal text tower only up to the end-of-text token (same numbers, fewer
positions), the peers run all 77.
End to end: E JPEG files (640x480, Pillow quality 90); reference = Pillow open
+ clip's _transform(224) + torch.stack, batches of 32, encode_image; cliprt =
`cliprt embed-image MODEL folder/*.jpg --out emb.npy` as one process (wall
time, including loading and hashing the checkpoint; the load time measured by
`cliprt bench` is shown beside it).
Extra requirement beyond tools/fixtures/requirements.txt: none (onnx and
onnxruntime are pinned there; the TorchScript exporter needs no onnxscript).
"""
import argparse
import glob
import json
import os
import platform
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

CAPTION = "a photo of a dog playing with a ball"  # cliprt bench's default caption


def vit_b32(clip):
    torch.manual_seed(0)
    model = clip.model.CLIP(embed_dim=512, image_resolution=224, vision_layers=12, vision_width=768,
                            vision_patch_size=32, context_length=77, vocab_size=49408,
                            transformer_width=512, transformer_heads=8, transformer_layers=12)
    sd = {k: v.half().float() for k, v in model.state_dict().items()}  # fp16-representable values
    return sd


def photo(w, h, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([128 + 90 * np.sin(6.28 * (2 + c + seed % 3) * x / w + c) * np.cos(6.28 * (3 - c) * y / h)
                    for c in range(3)], -1)
    img += rng.integers(-8, 8, img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def write_npy(path, array):
    np.save(path, np.ascontiguousarray(array))


def time_calls(fn, calls):
    fn()  # warm-up
    ms = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ms)


def run(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        sys.exit(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr}")
    return res.stdout


def export_onnx(model, path, which, example):
    class Tower(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m.encode_image(x) if which == "image" else self.m.encode_text(x)

    torch.onnx.export(Tower(model).eval(), (example,), path, dynamo=False, opset_version=17,
                      input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "b"}, "y": {0: "b"}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build-cli/tools/cliprt")
    ap.add_argument("--tokenizer", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                        "..", "..", "..", "shared", "assets",
                                                        "bpe_simple_vocab_16e6.txt.gz"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", default="1,32")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--calls", type=int, default=3, help="timed calls per peer per round (batch 1: x4)")
    ap.add_argument("--e2e-images", type=int, default=64)
    ap.add_argument("--workdir", default=None, help="keep files here (default: a temporary folder)")
    ap.add_argument("--json", default=None, help="also write the results as JSON")
    args = ap.parse_args()
    T = args.threads
    torch.set_num_threads(T)
    os.environ["OMP_NUM_THREADS"] = str(T)
    import onnxruntime as ort
    clip = import_openai_clip()
    cli = os.path.abspath(args.cli)
    work = args.workdir or tempfile.mkdtemp(prefix="cliprt_compare_")
    os.makedirs(work, exist_ok=True)
    ckpt = os.path.join(work, "vit_b32_random_fp32.pt")
    sd = vit_b32(clip)
    torch.save(sd, ckpt)
    model = clip.model.build_model({k: v.clone() for k, v in sd.items()}).float().eval()
    for k, v in model.state_dict().items():  # the reference runs exactly the saved values
        assert torch.equal(v, sd[k]), k

    # Inputs: JPEG files → the reference's pixels; captions → clip.tokenize.
    img_dir = os.path.join(work, "jpeg")
    os.makedirs(img_dir, exist_ok=True)
    n_img = max(args.e2e_images, 32)
    for i in range(n_img):
        p = os.path.join(img_dir, f"img_{i:04d}.jpg")
        if not os.path.exists(p):
            photo(640, 480, i).save(p, quality=90)
    files = sorted(glob.glob(os.path.join(img_dir, "*.jpg")))
    transform = clip.clip._transform(224)
    pixels = torch.stack([transform(Image.open(f)) for f in files[:32]])
    tokens = clip.tokenize([CAPTION] * 32)
    px_path = os.path.join(work, "pixels.npy")
    write_npy(px_path, pixels.numpy())

    # Outputs on the same pixels / token ids.
    with torch.inference_mode():
        ref_img = model.encode_image(pixels).numpy()
        ref_txt = model.encode_text(tokens).numpy()
    run([cli, "embed-image", ckpt, "--pixels", px_path, "--out", os.path.join(work, "ci.npy"), "--threads", str(T)])
    ids_path = os.path.join(work, "ids.npy")
    run([cli, "tokenize", ckpt, "--tokenizer", args.tokenizer, CAPTION, "--out", ids_path])
    ids_same = bool(np.array_equal(np.load(ids_path)[0], tokens[0].numpy()))
    run([cli, "embed-text", ckpt, "--tokenizer", args.tokenizer, CAPTION, "--out", os.path.join(work, "ct.npy"),
         "--threads", str(T)])
    cl_img, cl_txt = np.load(os.path.join(work, "ci.npy")), np.load(os.path.join(work, "ct.npy"))

    onnx_img, onnx_txt = os.path.join(work, "image.onnx"), os.path.join(work, "text.onnx")
    if not os.path.exists(onnx_img):
        export_onnx(model, onnx_img, "image", pixels[:2])
    if not os.path.exists(onnx_txt):
        export_onnx(model, onnx_txt, "text", tokens[:2])
    so = ort.SessionOptions()
    so.intra_op_num_threads = T
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    s_img = ort.InferenceSession(onnx_img, so, providers=["CPUExecutionProvider"])
    s_txt = ort.InferenceSession(onnx_txt, so, providers=["CPUExecutionProvider"])
    ort_img = s_img.run(None, {"x": pixels.numpy()})[0]
    ort_txt = s_txt.run(None, {"x": tokens[:1].numpy()})[0]

    def rel(a, b):
        return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))

    diffs = {
        "image cliprt vs torch": rel(cl_img, ref_img), "image onnxruntime vs torch": rel(ort_img, ref_img),
        "text cliprt vs torch": rel(cl_txt, ref_txt[:1]), "text onnxruntime vs torch": rel(ort_txt, ref_txt[:1]),
    }

    # Throughput, alternating peers per round.
    results = []
    load_s = None
    for tower in ("image", "text"):
        for B in [int(b) for b in args.batches.split(",")]:
            calls = args.calls * (4 if B == 1 else 1)
            x = pixels[:B] if tower == "image" else tokens[:B]
            xn = x.numpy()
            sess = s_img if tower == "image" else s_txt
            fn_t = (lambda: model.encode_image(x)) if tower == "image" else (lambda: model.encode_text(x))
            per = {"pytorch": [], "onnxruntime": [], "cliprt": []}
            for _ in range(args.rounds):
                with torch.inference_mode():
                    per["pytorch"].append(time_calls(fn_t, calls))
                per["onnxruntime"].append(time_calls(lambda: sess.run(None, {"x": xn}), calls))
                out = json.loads(run([cli, "bench", ckpt, "--tokenizer", args.tokenizer, "--batch", str(B),
                                      "--threads", str(T), "--towers", "vision" if tower == "image" else "text",
                                      "--iters", str(calls), "--no-sha256"]))
                per["cliprt"].append(out[tower]["ms_per_call_median"])
                load_s = out["load_s"] if load_s is None else min(load_s, out["load_s"])
            med = {k: statistics.median(v) for k, v in per.items()}
            results.append({"tower": tower, "batch": B, "ms": med,
                            "per_s": {k: 1000.0 * B / v for k, v in med.items()}})

    # End to end: JPEG folder → embeddings.
    e2e_files = files[:args.e2e_images]
    per = {"pytorch": [], "cliprt": []}
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        with torch.inference_mode():
            for i in range(0, len(e2e_files), 32):
                batch = torch.stack([transform(Image.open(f)) for f in e2e_files[i:i + 32]])
                model.encode_image(batch)
        per["pytorch"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run([cli, "embed-image", ckpt, *e2e_files, "--out", os.path.join(work, "e2e.npy"), "--threads", str(T)])
        per["cliprt"].append(time.perf_counter() - t0)
    e2e = {k: statistics.median(v) for k, v in per.items()}

    load = os.getloadavg()
    lines = []
    lines.append(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, threads={T}, "
                 f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    lines.append(f"torch {torch.__version__}, onnxruntime {ort.__version__}, cliprt {run([cli, 'version']).strip()}")
    lines.append("")
    lines.append("| tower | batch | PyTorch ms | ONNX Runtime ms | cliprt ms | cliprt/s | vs PyTorch | vs ORT |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ms = r["ms"]
        lines.append(f"| {r['tower']} | {r['batch']} | {ms['pytorch']:.1f} | {ms['onnxruntime']:.1f} | "
                     f"{ms['cliprt']:.1f} | {r['per_s']['cliprt']:.1f} | {ms['pytorch'] / ms['cliprt']:.2f}x | "
                     f"{ms['onnxruntime'] / ms['cliprt']:.2f}x |")
    n = len(e2e_files)
    lines.append(f"| end to end, {n} JPEG 640x480 | 32 | {e2e['pytorch'] * 1e3:.0f} (Pillow+torch) | - | "
                 f"{e2e['cliprt'] * 1e3:.0f} (process, incl. load {load_s * 1e3:.0f} + hashing) | "
                 f"{n / e2e['cliprt']:.1f} | {e2e['pytorch'] / e2e['cliprt']:.2f}x | - |")
    lines.append("")
    lines.append("max |diff| / max |torch| on the same inputs: " +
                 ", ".join(f"{k} {v:.2e}" for k, v in diffs.items()) +
                 f"; token ids identical: {ids_same}")
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": results, "end_to_end_s": e2e, "load_s": load_s, "diffs": diffs,
                       "ids_identical": ids_same, "threads": T, "loadavg": load}, f, indent=1)


if __name__ == "__main__":
    main()
