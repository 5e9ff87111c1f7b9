"""Byte-level BPE for the demo CLIP, trained on the demo caption corpus.

The files follow OpenAI's SimpleTokenizer construction exactly, so OpenAI
clip / open_clip's SimpleTokenizer (given merges as a .gz), transformers
CLIPTokenizer / CLIPTokenizerFast (vocab.json + merges.txt) and cliprt's C++
CLIP BPE all produce the same ids:
  vocab = the 256 byte symbols (bytes_to_unicode order)
        + the same 256 symbols + "</w>"
        + one entry per merge, in merge order (the merged string)
        + "<|startoftext|>", "<|endoftext|>"
Pre-tokenization is CLIP's: basic clean, whitespace collapse, lowercase, the
CLIP regex, bytes -> unicode symbols, "</w>" on a word's last symbol.

Training is plain frequency BPE written here (no external trainer): count
pre-tokenized words, repeatedly merge the most frequent adjacent symbol pair
(ties: the lexicographically smallest pair, so the result is deterministic),
until `max_merges` merges or no pair occurs twice.

Usage: python tools/demo/train_bpe.py --corpus captions.txt --out DIR [--max-merges 600]
"""
import argparse
import collections
import gzip
import html
import json
import os

import regex

# CLIP's pre-tokenizer pattern (OpenAI clip/simple_tokenizer.py, open_clip).
PAT = regex.compile(
    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
    regex.IGNORECASE)
BOS, EOS = "<|startoftext|>", "<|endoftext|>"


def bytes_to_unicode():
    """GPT-2 / CLIP reversible byte -> printable unicode map, in CLIP's order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def clean(text):
    """open_clip's default clean ('lower'): html unescape, whitespace collapse,
    lowercase. (ftfy.fix_text is a no-op on the demo's ASCII corpus.)"""
    text = html.unescape(html.unescape(text)).strip()
    return regex.sub(r"\s+", " ", text).strip().lower()


def words_of(text, byte_encoder):
    for tok in PAT.findall(clean(text)):
        yield tuple(byte_encoder[b] for b in tok.encode("utf-8"))


def train(texts, max_merges):
    byte_encoder = bytes_to_unicode()
    counts = collections.Counter()
    for t in texts:
        for w in words_of(t, byte_encoder):
            counts[w[:-1] + (w[-1] + "</w>",)] += 1
    words = {w: list(w) for w in counts}
    merges = []
    while len(merges) < max_merges:
        pairs = collections.Counter()
        for w, syms in words.items():
            c = counts[w]
            for a, b in zip(syms, syms[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best_count = max(pairs.values())
        if best_count < 2:
            break
        best = min(p for p, c in pairs.items() if c == best_count)
        merges.append(best)
        merged = best[0] + best[1]
        for w, syms in words.items():
            i, out = 0, []
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == best[0] and syms[i + 1] == best[1]:
                    out.append(merged)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            words[w] = out
    return merges


def build_vocab(merges):
    symbols = list(bytes_to_unicode().values())
    vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + [BOS, EOS]
    if len(set(vocab)) != len(vocab):
        raise RuntimeError("duplicate vocabulary entry")
    return {tok: i for i, tok in enumerate(vocab)}


def write_files(merges, out_dir, context_length):
    os.makedirs(out_dir, exist_ok=True)
    vocab = build_vocab(merges)
    with open(os.path.join(out_dir, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    merges_text = "#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges)
    with open(os.path.join(out_dir, "merges.txt"), "w", encoding="utf-8") as f:
        f.write(merges_text + "\n")
    tok_cfg = {
        "tokenizer_class": "CLIPTokenizer",
        "model_max_length": context_length,
        "bos_token": BOS, "eos_token": EOS, "unk_token": EOS, "pad_token": EOS,
        "do_lower_case": True, "errors": "replace", "add_prefix_space": False,
        "clean_up_tokenization_spaces": False,
    }
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(tok_cfg, f, indent=1)
    with open(os.path.join(out_dir, "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": BOS, "eos_token": EOS, "unk_token": EOS, "pad_token": EOS}, f, indent=1)
    return vocab


def write_simple_tokenizer_gz(merges, path):
    """The merges in OpenAI's bpe_simple_vocab .gz form for open_clip's /
    clip's SimpleTokenizer. No trailing newline: SimpleTokenizer splits on
    '\\n' and slices to 48894 lines, so a trailing empty line would become a
    bogus empty merge in a vocabulary this small."""
    with gzip.open(path, "wb") as f:
        f.write(("#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges)).encode("utf-8"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, help="one caption per line")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-merges", type=int, default=600)
    ap.add_argument("--context-length", type=int, default=32)
    args = ap.parse_args()
    with open(args.corpus, encoding="utf-8") as f:
        texts = [l.rstrip("\n") for l in f]
    merges = train(texts, args.max_merges)
    vocab = write_files(merges, args.out, args.context_length)
    print(f"{len(merges)} merges, vocab size {len(vocab)}")


if __name__ == "__main__":
    main()
