"""Zero-shot evaluation of the saved demo CLIP and the fixtures that pin it.

  python tools/demo/evaluate_demo.py            # from the repository root

Runs the SAVED model (models/demo: fp16 safetensors loaded by open_clip into
fp32 parameters, i.e. the fp16-rounded weights widened to fp32, as cliprt
loads them) through open_clip's own pieces: create_model_and_transforms
('local-dir:models/demo') for the model and the eval image transform,
build_zero_shot_classifier for the class weights, SimpleTokenizer over the
folder's merges for the texts (the tokenizer training used; cross-checked
against transformers CLIPTokenizer and CLIPTokenizerFast on every text).

Writes
  * the accuracies per label set (held-out combinations, and unseen images
    of seen combinations) into models/demo/eval_results.json, the model card
    (models/demo/README.md) and the manifest (models/manifests/demo-shapes.json);
  * tests/data/golden/demo_eval/: N held-out PNGs, golden.json (label sets,
    templates, token ids, per image reference probabilities and predictions),
    pixels.npy, token_ids.npy, image_embeds.npy, text_embeds.npy,
    logits_per_image.npy;
  * models/demo/samples/: a few PNGs for the README's first command.
"""
import argparse
import gzip
import hashlib
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_dataset as ds  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SEED = 10
TRAIN_IMAGES = 40000  # tools/train_demo_clip.py default: train indices below this were seen

# Each label set has its own prompt templates (the phrasings training used).
LABEL_SETS = [
    {"name": "shape", "labels": list(ds.SHAPES), "templates": ["a photo of a {}.", "a {}."],
     "truth": lambda s: s["shape"]},
    {"name": "colour", "labels": [c + " shape" for c in ds.COLOURS], "templates": ["a photo of a {}.", "a {}."],
     "truth": lambda s: s["colour"] + " shape"},
    {"name": "count", "labels": ["one shape", "two shapes", "three shapes", "four shapes"],
     "templates": ["a photo of {}.", "{}."],
     "truth": lambda s: ["one shape", "two shapes", "three shapes", "four shapes"][s["count"] - 1]},
]


def g9(x):
    return float("%.9g" % float(x))


def load_reference(model_dir):
    import open_clip
    from open_clip.tokenizer import SimpleTokenizer
    model, _, preprocess = open_clip.create_model_and_transforms("local-dir:" + model_dir)
    model = model.float().eval()
    cfg = json.load(open(os.path.join(model_dir, "open_clip_config.json")))
    ctx = cfg["model_cfg"]["text_cfg"]["context_length"]
    merges = open(os.path.join(model_dir, "merges.txt"), encoding="utf-8").read().strip()
    gz = os.path.join(tempfile.mkdtemp(prefix="demo_eval_"), "demo_bpe.txt.gz")
    with gzip.open(gz, "wb") as f:  # no trailing newline: see train_bpe.write_simple_tokenizer_gz
        f.write(merges.encode("utf-8"))
    tok = SimpleTokenizer(bpe_path=gz, context_length=ctx)
    if len(tok.encoder) != cfg["model_cfg"]["text_cfg"]["vocab_size"]:
        raise SystemExit("tokenizer vocabulary size != text_cfg.vocab_size")
    return model, preprocess, tok


def check_tokenizers(model_dir, tok, texts):
    """SimpleTokenizer, CLIPTokenizer and CLIPTokenizerFast agree on every
    text up to and including the end-of-text id (they pad differently: 0 vs
    <|endoftext|>; the causal tower pooled at the end-of-text token ignores
    padding)."""
    from transformers import CLIPTokenizer, CLIPTokenizerFast
    eot = tok.eot_token_id
    ref = tok(texts).tolist()
    n = 0
    for cls in (CLIPTokenizer, CLIPTokenizerFast):
        hf = cls.from_pretrained(model_dir)
        got = hf(texts, padding="max_length", max_length=len(ref[0]), truncation=True)["input_ids"]
        for t, a, b in zip(texts, ref, got):
            a, b = a[:a.index(eot) + 1], b[:b.index(eot) + 1]
            if a != b:
                raise SystemExit(f"{cls.__name__} differs from SimpleTokenizer on {t!r}: {b} vs {a}")
            n += 1
    return n


@torch.inference_mode()
def classify(model, tok, pixels, label_set):
    from open_clip import build_zero_shot_classifier
    classifier = build_zero_shot_classifier(model, tok, label_set["labels"], label_set["templates"],
                                            num_classes_per_batch=None)
    img = model.encode_image(pixels)
    img_n = img / img.norm(dim=-1, keepdim=True)
    logits = model.logit_scale.exp() * img_n @ classifier
    return logits.softmax(dim=-1)


@torch.inference_mode()
def accuracy(model, preprocess, tok, split, indices):
    scenes, pix = [], []
    for i in indices:
        img, scene, _ = ds.make_sample(SEED, split, i)
        scenes.append(scene)
        pix.append(preprocess(img))
    pixels = torch.stack(pix)
    out = {}
    for ls in LABEL_SETS:
        probs = classify(model, tok, pixels, ls)
        pred = probs.argmax(dim=-1).tolist()
        truth = [ls["labels"].index(ls["truth"](s)) for s in scenes]
        out[ls["name"]] = sum(p == t for p, t in zip(pred, truth)) / len(truth)
    return out


@torch.inference_mode()
def write_golden(model, preprocess, tok, out_dir, n, model_dir):
    os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
    # Held-out combinations only; the first n eval-split scenes.
    rel_images, scenes, pix = [], [], []
    for i in range(n):
        img, scene, _ = ds.make_sample(SEED, "eval", i)
        name = f"eval_{i:02d}_{scene['count']}_{scene['colour']}_{scene['shape']}.png"
        path = os.path.join(out_dir, "images", name)
        img.save(path, optimize=True)
        # Reload from disk: the fixture pins what a reader of the PNG gets.
        pix.append(preprocess(Image.open(path)))
        rel_images.append(os.path.relpath(path, os.path.join(REPO, "tests", "data")))
        scenes.append(scene)
    pixels = torch.stack(pix)
    texts, sets = [], []
    for ls in LABEL_SETS:
        idx = []
        for label in ls["labels"]:
            row = []
            for t in ls["templates"]:
                row.append(len(texts))
                texts.append(t.format(label))
            idx.append(row)
        probs = classify(model, tok, pixels, ls)
        pred = probs.argmax(dim=-1).tolist()
        sets.append({
            "name": ls["name"], "labels": ls["labels"], "templates": ls["templates"],
            "text_index": idx,  # [label][template] -> row of token_ids.npy / text_embeds.npy
            "truth": [ls["truth"](s) for s in scenes],
            "predicted": [ls["labels"][p] for p in pred],
            "probs": [[g9(v) for v in row] for row in probs.float().numpy()],
        })
    token_ids = tok(texts)
    img = model.encode_image(pixels).float()
    txt = model.encode_text(token_ids).float()
    scale = model.logit_scale.exp().float()
    logits = scale * (img / img.norm(dim=-1, keepdim=True)) @ (txt / txt.norm(dim=-1, keepdim=True)).t()
    np.save(os.path.join(out_dir, "pixels.npy"), pixels.numpy().astype(np.float32))
    np.save(os.path.join(out_dir, "token_ids.npy"), token_ids.numpy().astype(np.int64))
    np.save(os.path.join(out_dir, "image_embeds.npy"), img.numpy())
    np.save(os.path.join(out_dir, "text_embeds.npy"), txt.numpy())
    np.save(os.path.join(out_dir, "logits_per_image.npy"), logits.numpy())
    import open_clip
    import transformers
    golden = {
        "fixture": "demo_eval", "family": "open_clip",
        "generator": "tools/demo/evaluate_demo.py",
        "reference": f"open_clip_torch {open_clip.__version__}, torch {torch.__version__}, "
                     f"transformers {transformers.__version__} (tokenizer cross-check), pillow {Image.__version__}",
        # The folder's own vocabulary is used (golden_model_test passes
        # OpenAI's only to checkpoints that carry none).
        "checkpoint": os.path.relpath(model_dir, out_dir),
        "images": rel_images, "texts": texts,
        "preset": "open_clip", "tokenizer_variant": "open_clip",
        "pixels": "pixels.npy", "token_ids": "token_ids.npy",
        "image_embeds": "image_embeds.npy", "text_embeds": "text_embeds.npy",
        "logits_per_image": "logits_per_image.npy",
        "logit_scale": float(scale), "logit_bias": None,
        "zero_shot": {
            "recipe": "open_clip build_zero_shot_classifier: per label, the mean of the L2-normalized text "
                      "embeddings of its templates, L2-normalized again; probs = softmax(logit_scale * "
                      "normalize(image_embed) @ classifier) over the labels of one set",
            "label_sets": sets,
        },
    }
    with open(os.path.join(out_dir, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    return golden


def write_samples(out_dir, model, preprocess, tok, count=6):
    """New images of seen combinations (train-split indices past the training
    set), one per colour, 1-2 shapes, that the reference classifies right on
    colour, the attribute the model has learned (see the card's accuracies),
    so the README's first command shows what works."""
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if f.endswith(".png"):
            os.remove(os.path.join(out_dir, f))
    colour_set = next(ls for ls in LABEL_SETS if ls["name"] == "colour")
    chosen, colours_done = [], set()
    for i in range(TRAIN_IMAGES + 5000, TRAIN_IMAGES + 7000):  # bounded
        if len(chosen) == count:
            break
        img, scene, _ = ds.make_sample(SEED, "train", i)
        if scene["colour"] in colours_done or scene["count"] > 2:
            continue
        probs = classify(model, tok, preprocess(img).unsqueeze(0), colour_set)
        if colour_set["labels"][probs.argmax().item()] != colour_set["truth"](scene):
            continue
        words = [ds.COUNT_WORDS[scene["count"]], scene["colour"],
                 scene["shape"] if scene["count"] == 1 else ds.PLURALS[scene["shape"]]]
        name = "-".join(words) + ".png"
        img.save(os.path.join(out_dir, name), optimize=True)
        chosen.append(name)
        colours_done.add(scene["colour"])
    return chosen


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(REPO, "models", "demo"))
    ap.add_argument("--golden", default=os.path.join(REPO, "tests", "data", "golden", "demo_eval"))
    ap.add_argument("--n-golden", type=int, default=24)
    ap.add_argument("--n-eval", type=int, default=1000)
    ap.add_argument("--results-only", action="store_true", help="print accuracies, write nothing")
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, preprocess, tok = load_reference(args.model)

    texts = [t.format(l) for ls in LABEL_SETS for l in ls["labels"] for t in ls["templates"]]
    rngs = [random.Random(f"tokenizer-check/{i}") for i in range(300)]
    texts += [ds.caption(ds.sample_scene(r, "train"), r) for r in rngs]
    texts += ["A Photo of an ORANGE apple!!", "  two   Small\tstars  ", "naïve café 123", "it's a dog's life"]
    n_checked = check_tokenizers(args.model, tok, texts)
    print(f"tokenizers agree on {n_checked // 2} texts (CLIPTokenizer, CLIPTokenizerFast vs SimpleTokenizer)")

    held = accuracy(model, preprocess, tok, "eval", range(args.n_eval))
    seen = accuracy(model, preprocess, tok, "train", range(TRAIN_IMAGES, TRAIN_IMAGES + args.n_eval))
    results = {"held_out_combinations": held, "seen_combinations_unseen_images": seen,
               "images_per_split": args.n_eval,
               "held_out_pairs": [f"{c} {s}" for s, c in ds.HELD_OUT],
               "label_sets": [{k: ls[k] for k in ("name", "labels", "templates")} for ls in LABEL_SETS]}
    print(json.dumps({"held_out": held, "seen": seen}, indent=1))
    if args.results_only:
        return
    with open(os.path.join(args.model, "eval_results.json"), "w") as f:
        json.dump(results, f, indent=1)
    write_golden(model, preprocess, tok, args.golden, args.n_golden, args.model)
    samples = write_samples(os.path.join(args.model, "samples"), model, preprocess, tok)
    print("samples:", samples)
    import write_model_card
    write_model_card.write(args.model, results, samples, sha256(os.path.join(args.model, "open_clip_model.safetensors")))


if __name__ == "__main__":
    main()
