"""Trains the bundled demo CLIP (issue 10) on the procedural shapes dataset.

  python tools/train_demo_clip.py --out models/demo            # the committed run
  python tools/train_demo_clip.py --out /tmp/x --bench 5       # time 5 steps only

Everything is seeded and runs on ONE CPU thread (the build machine is
shared). Steps:
  1. generate the training scenes (tools/demo/make_dataset.py, seed 10);
  2. train the byte-level BPE on the captions (tools/demo/train_bpe.py) and
     write vocab.json / merges.txt / tokenizer_config.json;
  3. build open_clip's CLIP class from MODEL_CFG (OpenAI state-dict naming:
     conv1, class_embedding, transformer.resblocks.N.attn.in_proj_weight,
     token_embedding, ln_final, text_projection, logit_scale, ...);
  4. train with the CLIP contrastive loss (symmetric cross-entropy over the
     batch, learnable logit_scale clamped at 100), AdamW, warmup + cosine;
     every epoch draws fresh caption phrasings for the same images;
  5. save an open_clip hub-style folder: open_clip_config.json,
     open_clip_model.safetensors (fp16), tokenizer files.
Texts are tokenized by open_clip's SimpleTokenizer over the trained merges,
the tokenizer open_clip uses for a CLIP text tower without hf_tokenizer_name.
"""
import argparse
import json
import math
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo"))
import make_dataset as ds  # noqa: E402
import train_bpe  # noqa: E402

CONTEXT_LENGTH = 32
SEED = 10
MEAN = (0.48145466, 0.4578275, 0.40821073)  # OpenAI's, so the default preset also fits
STD = (0.26862954, 0.26130258, 0.27577711)


def model_cfg(vocab_size):
    return {
        "embed_dim": 128,
        "quick_gelu": True,
        "vision_cfg": {"image_size": ds.IMAGE_SIZE, "layers": 4, "width": 128, "head_width": 32,
                       "patch_size": 8},
        "text_cfg": {"context_length": CONTEXT_LENGTH, "vocab_size": vocab_size, "width": 128,
                     "heads": 4, "layers": 4},
    }


def preprocess_cfg():
    return {"size": ds.IMAGE_SIZE, "mode": "RGB", "mean": list(MEAN), "std": list(STD),
            "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}


def build_model(cfg):
    from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg
    return CLIP(embed_dim=cfg["embed_dim"], vision_cfg=CLIPVisionCfg(**cfg["vision_cfg"]),
                text_cfg=CLIPTextCfg(**cfg["text_cfg"]), quick_gelu=cfg["quick_gelu"])


def make_tokenizer(merges, tmpdir):
    from open_clip.tokenizer import SimpleTokenizer
    gz = os.path.join(tmpdir, "demo_bpe.txt.gz")
    train_bpe.write_simple_tokenizer_gz(merges, gz)
    return SimpleTokenizer(bpe_path=gz, context_length=CONTEXT_LENGTH)


def to_pixels(images_u8):
    """uint8 NHWC -> normalized float NCHW. The images are already
    IMAGE_SIZE square, where open_clip's transform (resize shortest side to
    IMAGE_SIZE, center crop) is the identity, so this equals it."""
    x = torch.from_numpy(images_u8).permute(0, 3, 1, 2).float().div_(255.0)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def encode_text_prefix(model, text):
    """model.encode_text(text) computed over only the first L positions, L =
    the batch's last end-of-text position + 1. Exact, not an approximation:
    the text tower is causal and pooled at the end-of-text token (argmax id),
    so later positions never influence the result (nor its gradient). Halves
    the text tower's cost for these short captions."""
    eot_pos = text.argmax(dim=-1)
    n = int(eot_pos.max()) + 1
    x = model.token_embedding(text[:, :n]) + model.positional_embedding[:n]
    x = model.transformer(x, attn_mask=model.attn_mask[:n, :n])
    x = model.ln_final(x)
    x = x[torch.arange(x.shape[0]), eot_pos]
    if isinstance(model.text_projection, torch.nn.Linear):
        return model.text_projection(x)
    return x @ model.text_projection


def save_folder(model, cfg, merges, out):
    from safetensors.torch import save_file
    os.makedirs(out, exist_ok=True)
    train_bpe.write_files(merges, out, CONTEXT_LENGTH)
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(sd, os.path.join(out, "open_clip_model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(out, "open_clip_config.json"), "w") as f:
        json.dump({"model_cfg": cfg, "preprocess_cfg": preprocess_cfg()}, f, indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--train-images", type=int, default=40000)
    ap.add_argument("--steps", type=int, default=320)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--wd", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--bench", type=int, default=0, help="time this many steps, save nothing")
    ap.add_argument("--ckpt", default="/tmp/demo_clip_ckpt.pt", help="periodic fp32 checkpoint")
    ap.add_argument("--init-from", default="", help="start from a --ckpt file (a second training stage)")
    ap.add_argument("--first-epoch", type=int, default=0,
                    help="epoch number of the first epoch (a second stage draws new caption phrasings)")
    ap.add_argument("--save-from", default="", help="only save the folder from a --ckpt file (interrupted run)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    random.seed(SEED)
    t0 = time.time()

    images, scenes, captions = ds.make_split(SEED, "train", args.train_images)
    print(f"dataset: {len(images)} images in {time.time() - t0:.0f}s", flush=True)
    merges = train_bpe.train(captions, max_merges=600)
    vocab = train_bpe.build_vocab(merges)
    cfg = model_cfg(len(vocab))
    print(f"bpe: {len(merges)} merges, vocab {len(vocab)}", flush=True)

    if args.save_from:
        model = build_model(cfg)
        ck = torch.load(args.save_from, weights_only=True)
        model.load_state_dict(ck["model"])
        save_folder(model.eval(), cfg, merges, args.out)
        print(f"saved {args.out} from {args.save_from} (step {ck['step']})")
        return
    tmpdir = tempfile.mkdtemp(prefix="demo_clip_")
    tok = make_tokenizer(merges, tmpdir)
    model = build_model(cfg)
    if args.init_from:
        ck = torch.load(args.init_from, weights_only=True)
        model.load_state_dict(ck["model"])
        print(f"initialized from {args.init_from} (step {ck['step']})", flush=True)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params / 1e6:.2f}M parameters", flush=True)

    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "embedding" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "embedding" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    steps = args.bench or args.steps
    steps_per_epoch = len(images) // args.batch
    g = torch.Generator().manual_seed(SEED)
    order, epoch, tokens = None, -1, None
    model.train()
    history = []
    t_train = time.time()
    for step in range(steps):
        if args.first_epoch + step // steps_per_epoch != epoch:
            epoch = args.first_epoch + step // steps_per_epoch
            order = torch.randperm(len(images), generator=g).numpy()
            # Fresh phrasings of the same scenes each epoch.
            caps = [ds.caption(s, random.Random(f"{SEED}/caption/{i}/{epoch}")) for i, s in enumerate(scenes)]
            tokens = tok(caps)
        idx = order[(step % steps_per_epoch) * args.batch:(step % steps_per_epoch + 1) * args.batch]
        lr = args.lr * (step + 1) / args.warmup if step < args.warmup else \
            0.5 * args.lr * (1 + math.cos(math.pi * (step - args.warmup) / max(1, steps - args.warmup)))
        for grp in opt.param_groups:
            grp["lr"] = lr
        img_f = F.normalize(model.encode_image(to_pixels(images[idx])), dim=-1)
        txt_f = F.normalize(encode_text_prefix(model, tokens[idx]), dim=-1)
        scale = model.logit_scale.exp()
        logits = scale * img_f @ txt_f.t()
        labels = torch.arange(len(idx))
        loss = 0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if step % 10 == 0 or step == steps - 1:
            el = time.time() - t_train
            print(f"step {step} epoch {epoch} loss {loss.item():.4f} scale {scale.item():.2f} lr {lr:.2e} "
                  f"{el / (step + 1):.2f}s/step elapsed {el / 60:.1f}min", flush=True)
        if (step + 1) % 40 == 0 and not args.bench:
            torch.save({"step": step, "model": model.state_dict()}, args.ckpt)
        if step % 40 == 0 or step == steps - 1:
            history.append({"step": step, "loss": round(loss.item(), 4), "logit_scale": round(scale.item(), 3)})
    if args.bench:
        return
    model.eval()
    save_folder(model, cfg, merges, args.out)
    import open_clip
    info = {"script": "tools/train_demo_clip.py", "seed": SEED,
            "init_from": args.init_from or None, "first_epoch": args.first_epoch, "threads": 1, "train_images": args.train_images,
            "steps": steps, "batch": args.batch, "lr": args.lr, "weight_decay": args.wd, "warmup": args.warmup,
            "optimizer": "AdamW(betas=(0.9, 0.98), eps=1e-6), cosine schedule",
            "loss": "CLIP symmetric cross-entropy, learnable logit_scale clamped to ln(100)",
            "wall_minutes": round((time.time() - t0) / 60, 1),
            "torch": torch.__version__, "open_clip_torch": open_clip.__version__, "history": history}
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"saved {args.out} after {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
