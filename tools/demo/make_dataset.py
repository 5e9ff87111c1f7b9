"""Procedural image-caption dataset for the bundled demo CLIP (issue 10).

Every sample is a pure function of (seed, split, index): a scene of 1-4
identical shapes (shape, colour, size) on a plain, striped or dotted
background, with a caption drawn from several phrasings. Images are RGB,
IMAGE_SIZE x IMAGE_SIZE, drawn 4x larger and downsampled with a box filter
so edges are anti-aliased.

Held-out combinations: the (shape, colour) pairs in HELD_OUT never appear in
training; the evaluation split contains only those pairs, so zero-shot
accuracy measures whether the model composes shape and colour it has only
seen apart.

Usage (writes an .npz of uint8 images and captions, plus a few PNGs):
  python tools/demo/make_dataset.py --out /tmp/demo_data --train 60000
"""
import argparse
import json
import math
import os
import random

import numpy as np
from PIL import Image, ImageDraw

IMAGE_SIZE = 64
SUPERSAMPLE = 4

SHAPES = ["circle", "square", "triangle", "star", "cross", "ring", "diamond", "hexagon"]
PLURALS = {s: s + ("es" if s.endswith(("ss", "x")) else "s") for s in SHAPES}
# All colour names start with a consonant so every template reads "a <colour> ...".
COLOURS = {
    "red": (220, 30, 30), "green": (30, 170, 40), "blue": (30, 60, 220),
    "yellow": (240, 220, 20), "purple": (130, 40, 170), "pink": (255, 140, 190),
    "white": (250, 250, 250), "black": (15, 15, 15),
}
BACKGROUNDS = dict(COLOURS, gray=(128, 128, 128))
SIZES = {"small": (0.13, 0.17), "big": (0.27, 0.33)}  # radius as a fraction of the image side
TEXTURES = ["plain", "striped", "dotted"]
POSITIONS = ["center", "left", "right", "top", "bottom"]
COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}

# (shape, colour) pairs never seen in training: a diagonal, so every shape and
# every colour is held out exactly once and seen with the 7 other partners.
HELD_OUT = [(SHAPES[i], list(COLOURS)[i]) for i in range(8)]


def _star_points(cx, cy, r, n=5, inner=0.45, rot=-math.pi / 2):
    pts = []
    for k in range(2 * n):
        rr = r if k % 2 == 0 else r * inner
        a = rot + k * math.pi / n
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _polygon(cx, cy, r, n, rot):
    return [(cx + r * math.cos(rot + 2 * math.pi * k / n), cy + r * math.sin(rot + 2 * math.pi * k / n))
            for k in range(n)]


def draw_shape(d, shape, cx, cy, r, fill, bg):
    if shape == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif shape == "ring":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
        q = r * 0.55
        d.ellipse([cx - q, cy - q, cx + q, cy + q], fill=bg)
    elif shape == "square":
        q = r * 0.85
        d.rectangle([cx - q, cy - q, cx + q, cy + q], fill=fill)
    elif shape == "triangle":
        d.polygon(_polygon(cx, cy + r * 0.15, r * 1.1, 3, -math.pi / 2), fill=fill)
    elif shape == "star":
        d.polygon(_star_points(cx, cy, r * 1.1), fill=fill)
    elif shape == "cross":
        w = r * 0.36
        d.rectangle([cx - r, cy - w, cx + r, cy + w], fill=fill)
        d.rectangle([cx - w, cy - r, cx + w, cy + r], fill=fill)
    elif shape == "diamond":
        d.polygon([(cx, cy - r * 1.1), (cx + r * 0.75, cy), (cx, cy + r * 1.1), (cx - r * 0.75, cy)], fill=fill)
    elif shape == "hexagon":
        d.polygon(_polygon(cx, cy, r, 6, 0.0), fill=fill)
    else:
        raise ValueError(shape)


def _shade(rgb, f):
    return tuple(int(round(min(255, max(0, c * f + (40 if f > 1 and c < 60 else 0))))) for c in rgb)


def paint_background(d, side, colour, texture, rng):
    d.rectangle([0, 0, side, side], fill=colour)
    alt = _shade(colour, 0.6 if sum(colour) > 200 else 1.8)
    if texture == "striped":
        period = side * rng.uniform(0.09, 0.14)
        width = period * 0.45
        vertical = rng.random() < 0.5
        x = rng.uniform(0, period)
        while x < side:
            box = [x, 0, x + width, side] if vertical else [0, x, side, x + width]
            d.rectangle(box, fill=alt)
            x += period
    elif texture == "dotted":
        period = side * rng.uniform(0.1, 0.14)
        rad = period * 0.2
        off = rng.uniform(0, period)
        y = off
        while y < side + period:
            x = off
            while x < side + period:
                d.ellipse([x - rad, y - rad, x + rad, y + rad], fill=alt)
                x += period
            y += period


def _placements(rng, count, r, position):
    """Centres (in units of the image side) that do not overlap."""
    if count == 1:
        c = {"center": (0.5, 0.5), "left": (0.27, 0.5), "right": (0.73, 0.5),
             "top": (0.5, 0.27), "bottom": (0.5, 0.73)}[position]
        j = 0.04
        return [(c[0] + rng.uniform(-j, j), c[1] + rng.uniform(-j, j))]
    for _ in range(200):
        pts = []
        for _ in range(count):
            for _ in range(100):
                p = (rng.uniform(r * 1.15, 1 - r * 1.15), rng.uniform(r * 1.15, 1 - r * 1.15))
                if all((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 > (2.3 * r) ** 2 for q in pts):
                    pts.append(p)
                    break
        if len(pts) == count:
            return pts
    raise RuntimeError("no placement")


def sample_scene(rng, split):
    while True:
        shape = rng.choice(SHAPES)
        colour = rng.choice(list(COLOURS))
        held = (shape, colour) in HELD_OUT
        if held == (split == "eval"):
            break
    count = rng.randint(1, 4)
    size = "big" if count <= 2 and rng.random() < 0.5 else "small"
    bg = rng.choice([b for b in BACKGROUNDS if b != colour])
    texture = rng.choice(TEXTURES)
    position = rng.choice(POSITIONS) if count == 1 else None
    return dict(shape=shape, colour=colour, count=count, size=size, background=bg,
                texture=texture, position=position)


def render(scene, rng):
    side = IMAGE_SIZE * SUPERSAMPLE
    img = Image.new("RGB", (side, side))
    d = ImageDraw.Draw(img)
    paint_background(d, side, BACKGROUNDS[scene["background"]], scene["texture"], rng)
    lo, hi = SIZES[scene["size"]]
    r = rng.uniform(lo, hi)
    if scene["count"] > 1:
        r = min(r, 0.17 if scene["count"] == 2 else 0.13)
    for (x, y) in _placements(rng, scene["count"], r, scene["position"]):
        # The ring's hole shows the plain background colour.
        draw_shape(d, scene["shape"], x * side, y * side, r * side, COLOURS[scene["colour"]],
                   BACKGROUNDS[scene["background"]])
    return img.resize((IMAGE_SIZE, IMAGE_SIZE), Image.BOX)


def caption(scene, rng):
    """One of several phrasings; attributes are dropped at random so short
    phrases ("a photo of a star.", "a red shape.", "three shapes.") are
    in-distribution for zero-shot prompts."""
    n = scene["count"]
    use_colour = rng.random() < 0.8
    use_shape = rng.random() < 0.85
    use_size = rng.random() < 0.35
    use_count = n > 1 or rng.random() < 0.3
    noun = (scene["shape"] if n == 1 else PLURALS[scene["shape"]]) if use_shape else ("shape" if n == 1 else "shapes")
    words = []
    if n == 1:
        words.append("one" if use_count else "a")
    else:
        words.append(COUNT_WORDS[n])
    if use_size:
        words.append(scene["size"])
    if use_colour:
        words.append(scene["colour"])
    words.append(noun)
    np_ = " ".join(words)
    prefix = rng.choice(["", "", "a photo of ", "a picture of ", "an image of "])
    suffixes = ["", "", f" on a {scene['background']} background"]
    if scene["texture"] != "plain":
        suffixes.append(f" on a {scene['texture']} {scene['background']} background")
    else:
        suffixes.append(f" on a plain {scene['background']} background")
    if scene["position"] is not None and scene["position"] != "center":
        suffixes.append(f" on the {scene['position']}")
    if scene["position"] == "center":
        suffixes.append(" in the center")
    text = prefix + np_ + rng.choice(suffixes)
    if rng.random() < 0.5:
        text += "."
    return text


def make_sample(seed, split, index):
    rng = random.Random(f"{seed}/{split}/{index}")
    scene = sample_scene(rng, split)
    img = render(scene, rng)
    return img, scene, caption(scene, rng)


def make_split(seed, split, n):
    images = np.empty((n, IMAGE_SIZE, IMAGE_SIZE, 3), np.uint8)
    scenes, captions = [], []
    for i in range(n):
        img, scene, cap = make_sample(seed, split, i)
        images[i] = np.asarray(img)
        scenes.append(scene)
        captions.append(cap)
    return images, scenes, captions


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--train", type=int, default=60000)
    ap.add_argument("--eval", type=int, default=2000)
    ap.add_argument("--png", type=int, default=16, help="also write this many PNGs per split for inspection")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for split, n in (("train", args.train), ("eval", args.eval)):
        images, scenes, captions = make_split(args.seed, split, n)
        np.save(os.path.join(args.out, f"{split}_images.npy"), images)
        with open(os.path.join(args.out, f"{split}_meta.json"), "w") as f:
            json.dump({"seed": args.seed, "scenes": scenes, "captions": captions}, f)
        for i in range(min(args.png, n)):
            Image.fromarray(images[i]).save(os.path.join(args.out, f"{split}_{i:03d}.png"))
        print(split, n, "e.g.", captions[:3])


if __name__ == "__main__":
    main()
