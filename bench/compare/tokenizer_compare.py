#!/usr/bin/env python3
"""Tokenizer speed, side by side in one run, single thread, warm caches:

  cliprt        build*/bench/tokenizer/tokenizer_bench (Google Benchmark JSON)
  OpenAI clip   clip.simple_tokenizer.SimpleTokenizer.encode (Python + ftfy)
  HF tokenizers CLIPTokenizer (transformers 5, Rust `tokenizers` backend),
                one text per call and encode_batch, RAYON_NUM_THREADS=1
  SentencePiece transformers SiglipTokenizer (Python around sentencepiece)
                and Siglip2Tokenizer (Rust tokenizers, Gemma-style BPE test model)

over tests/data/tokenizer/corpus.jsonl (CPU time, best of N); prints tokens/s and the ratios
(cliprt openai_clip vs OpenAI Python; cliprt hf_clip_fast vs HF tokenizers -
the same pipeline - and cliprt openai_clip vs HF tokenizers).

Run: python3 bench/compare/tokenizer_compare.py --bench build-tok/bench/tokenizer/tokenizer_bench
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "fixtures"))
from tokenizer_goldens import BPE, SPM, gemma_dir, hf_dir, import_clip, load_corpus  # noqa: E402


def best_rate(fn, tokens, repeats):
    fn()  # warm caches
    best = float("inf")
    for _ in range(repeats):
        # CPU time of this process, like Google Benchmark's default, so a busy
        # shared machine does not skew the ratios.
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return tokens / best, best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "build-tok", "bench", "tokenizer", "tokenizer_bench"))
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    texts = load_corpus()

    out = subprocess.run([args.bench, "--benchmark_format=json", "--benchmark_min_time=1",
                          "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    ours = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            ours[b["run_name"].split("/")[-1]] = b["tokens_per_s"]

    import_clip()
    from clip.simple_tokenizer import SimpleTokenizer
    st = SimpleTokenizer(BPE)
    n_openai = sum(len(st.encode(t)) + 2 for t in texts)
    py_rate, _ = best_rate(lambda: [st.encode(t) for t in texts], n_openai, max(1, args.repeats // 2))

    captions = [t for t in texts if t and all(0x20 <= ord(c) < 0x7F for c in t) and "&" not in t]
    n_captions = sum(len(st.encode(t)) + 2 for t in captions)
    py_captions, _ = best_rate(lambda: [st.encode(t) for t in captions], n_captions, args.repeats)

    from transformers import CLIPTokenizer, SiglipTokenizer
    with tempfile.TemporaryDirectory() as tmp:
        hf = CLIPTokenizer.from_pretrained(hf_dir(tmp))
    backend = hf.backend_tokenizer
    n_hf = sum(len(e.ids) for e in backend.encode_batch(texts))
    hf_single, _ = best_rate(lambda: [backend.encode(t) for t in texts], n_hf, args.repeats)
    hf_batch, _ = best_rate(lambda: backend.encode_batch(texts), n_hf, args.repeats)
    sp = SiglipTokenizer(vocab_file=SPM)
    n_sp = sum(len(x) for x in sp(texts)["input_ids"])
    sp_rate, _ = best_rate(lambda: sp(texts)["input_ids"], n_sp, max(1, args.repeats // 2))
    from transformers import AutoTokenizer
    with tempfile.TemporaryDirectory() as tmp:
        s2 = AutoTokenizer.from_pretrained(gemma_dir(tmp, "siglip2", False)).backend_tokenizer
    n_s2 = sum(len(e.ids) for e in s2.encode_batch(texts))
    s2_rate = max(best_rate(lambda: [s2.encode(t) for t in texts], n_s2, args.repeats)[0],
                  best_rate(lambda: s2.encode_batch(texts), n_s2, args.repeats)[0])

    print(f"corpus: {len(texts)} texts; single thread; tokens/s (higher is better)")
    rows = [("cliprt openai_clip", ours.get("openai_clip")),
            ("cliprt openai_clip, ASCII captions", ours.get("openai_clip_ascii_captions")),
            ("OpenAI clip, ASCII captions", py_captions), ("cliprt open_clip", ours.get("open_clip")),
            ("cliprt hf_clip_fast", ours.get("hf_clip_fast")), ("cliprt hf_siglip", ours.get("hf_siglip")),
            ("OpenAI clip (Python+ftfy)", py_rate), ("HF tokenizers encode (Rust)", hf_single),
            ("HF tokenizers encode_batch (Rust)", hf_batch), ("HF SiglipTokenizer (Python+spm)", sp_rate),
            ("cliprt hf_siglip2", ours.get("hf_siglip2")), ("HF Siglip2Tokenizer (Rust)", s2_rate)]
    for name, rate in rows:
        print(f"  {name:36s} {rate / 1e6 if rate else float('nan'):8.3f} M tok/s")
    def ratio(a, b):
        return ours[a] / b if a in ours else float("nan")
    print(f"ratio cliprt openai_clip / OpenAI Python      : {ratio('openai_clip', py_rate):7.1f}x  (target >= 50x)")
    print(f"ratio on the {len(captions)} ASCII captions     : {ratio('openai_clip_ascii_captions', py_captions):7.1f}x")
    print(f"ratio cliprt hf_clip_fast / HF tokenizers     : {ratio('hf_clip_fast', max(hf_single, hf_batch)):7.2f}x  (target >= 1x)")
    print(f"ratio cliprt openai_clip / HF tokenizers      : {ratio('openai_clip', max(hf_single, hf_batch)):7.2f}x  (cliprt also runs ftfy + html unescape)")
    print(f"ratio cliprt hf_siglip / HF SiglipTokenizer    : {ratio('hf_siglip', sp_rate):7.1f}x")
    print(f"ratio cliprt hf_siglip2 / HF Siglip2Tokenizer  : {ratio('hf_siglip2', s2_rate):7.2f}x")


if __name__ == "__main__":
    main()
