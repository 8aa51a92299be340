#!/usr/bin/env python3
"""Adds photos to a benchmark corpus (issue #20, item 8): N JPEGs of about 2 megapixels,
one per report, for the first N reports, in communique's site and in Hugo's.

    scripts/photo_corpus.py CORPUS [--n 1000] [--sites ours,hugo] [--cache DIR] [--jobs 1]
    scripts/photo_corpus.py CORPUS --remove [--sites ...]     # undo: flat reports again

CORPUS is a folder made by ../shared/bench/gen_corpus.py (as scripts/bench.sh prepares it,
e.g. /dev/shm/communique-bench/c1000): CORPUS/ours is communique's site, CORPUS/hugo Hugo's.
"The first N reports" are those with the N lowest generator indexes (the -000123 at the end
of each file name), so the same N gives the same reports whatever the corpus size.

For each of them, in each site of --sites (a folder of CORPUS; which tool it is for is told
by its site.yaml or config.toml):
  communique  content/reports/<x>.md becomes the page bundle content/reports/<x>/index.md
              (its translations <x>.<lang>.md, if any, become <x>/index.<lang>.md) with
              photo.jpg beside it and `image: { src: photo.jpg, alt: "..." }` added as the
              last line of its front matter (SPEC §7).
  Hugo        content/reports/<x>.md becomes the leaf bundle <x>/index.md with photo.jpg and
              the same `image:` line; layouts/_default/single.html gets a block (between
              two photo_corpus.py comments) that resizes photo.jpg to the widths 480, 960,
              1600 as WebP q80 (`.Resize "480x webp q80"`, Hugo's default Box filter),
              widths above the photo's own width skipped as communique does (never
              upscaled; a photo narrower than every width is written at its own width), and
              shows it as <img srcset sizes width height alt>. Reports without a photo.jpg
              are rendered as before.
A site is processed the same way however many times the script runs (idempotent): reports
already bundled are checked, not rewritten; a rerun with nothing to do takes well under a
second for 1,000 photos.

Photos: 1800x1125 JPEG q88, 300-500 KB each (median 410 KB; 1,000 take 391 MB): a
sky/ground gradient, 8-40 coloured rectangles and ellipses, fractal texture and grain, so
JPEG sizes are realistic; no EXIF. Photo i is made from numpy.random.default_rng([seed, i]) (--seed, default 42): the
same bytes on every run and machine with the same numpy and Pillow. They are cached in
--cache (default CORPUS/../photo-cache) under a name made of the size, quality, seed, index
and generator version, and hard-linked (copied across file systems) into the bundles, so
reruns and other corpora reuse them. Making one costs about 0.25 s of one core: 1,000 take
about 4 minutes the first time (--jobs 2 halves it on an idle machine), nothing after.

Hugo keeps processed images in CORPUS/hugo/resources/_gen: delete that folder before a run
to time a cold build (a first build); leave it for a warm one.

Needs: Python 3.9+, numpy and Pillow (pip install numpy pillow).
"""
import argparse
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor

GENERATOR_VERSION = 1
WIDTHS = (480, 960, 1600)
MARK = 'alt: "Benchmark photo '
LAYOUT_BEGIN = "{{/* photo_corpus.py: begin */}}"
LAYOUT_END = "{{/* photo_corpus.py: end */}}"
HUGO_BLOCK = LAYOUT_BEGIN + """
{{ with .Resources.GetMatch "photo.jpg" }}{{ $src := . }}{{ $set := slice }}{{ $largest := "" }}
{{ range $w := slice %(widths)s }}{{ if le $w $src.Width }}{{ $img := $src.Resize (printf "%%dx webp q%(quality)d" $w) }}{{ $set = $set | append (printf "%%s %%dw" $img.RelPermalink $img.Width) }}{{ $largest = $img }}{{ end }}{{ end }}
{{ if not $largest }}{{ $largest = $src.Resize (printf "%%dx webp q%(quality)d" $src.Width) }}{{ $set = $set | append (printf "%%s %%dw" $largest.RelPermalink $largest.Width) }}{{ end }}
<figure class="photo"><img src="{{ $largest.RelPermalink }}" srcset="{{ delimit $set ", " }}" sizes="(max-width: 60rem) 100vw, 60rem" width="{{ $largest.Width }}" height="{{ $largest.Height }}" alt="{{ $.Params.image.alt }}"></figure>
{{ end }}
""" + LAYOUT_END + "\n"
INDEX = re.compile(r"-(\d{6})$")


# --------------------------------------------------------------------------------------
# Photos
# --------------------------------------------------------------------------------------

def _fractal(rng, np, Image, w, h):
    """Smooth noise in three octaves (coarse blotches to fine texture), mean 0."""
    out = np.zeros((h, w), np.float32)
    for cells, amp in ((24, 1.0), (96, 0.5), (384, 0.25)):
        small = rng.standard_normal((max(2, cells * h // w), cells)).astype(np.float32)
        out += amp * np.asarray(Image.fromarray(small, mode="F").resize((w, h), Image.BILINEAR))
    return out


def make_photo(seed, i, w, h, quality, path):
    """Writes photo i of seed `seed` to path (through a temporary file: a killed run
    leaves no half photo in the cache)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng([seed, i])
    hw, hh = w // 2, h // 2  # shapes drawn at half size, then scaled up (soft edges)
    horizon = rng.uniform(0.35, 0.7) * hh
    top, mid = rng.uniform(20, 235, 3), rng.uniform(20, 235, 3)
    g0, g1 = rng.uniform(20, 200, 3), rng.uniform(10, 160, 3)
    y = np.arange(hh, dtype=np.float32)[:, None]
    t = np.clip(y / horizon, 0, 1)[..., None]
    tg = np.clip((y - horizon) / (hh - horizon), 0, 1)[..., None]
    base = np.where((y < horizon)[..., None], top * (1 - t) + mid * t, g0 * (1 - tg) + g1 * tg)
    im = Image.fromarray(np.ascontiguousarray(np.broadcast_to(base, (hh, hw, 3)).astype(np.uint8)))
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(8, 40))):
        x0, y0 = rng.uniform(-0.1, 1.0) * hw, rng.uniform(0.1, 1.0) * hh
        sw, sh = rng.uniform(0.02, 0.3) * hw, rng.uniform(0.03, 0.5) * hh
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        shape = draw.rectangle if rng.random() < 0.6 else draw.ellipse
        shape([x0, y0 - sh, x0 + sw, y0], fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 2.0))).resize((w, h), Image.BILINEAR)
    a = np.asarray(im).astype(np.float32)
    a *= (1 + 0.12 * _fractal(rng, np, Image, w, h))[..., None]
    a += rng.normal(0, rng.uniform(3.0, 5.5), (h, w, 1)).astype(np.float32)
    tmp = f"{path}.{os.getpid()}.tmp"
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(tmp, "JPEG", quality=quality)
    os.replace(tmp, path)
    return path


def cached_photos(indexes, args):
    """The cache path of each index's photo, making the missing ones."""
    os.makedirs(args.cache, exist_ok=True)
    name = "{w}x{h}-q{q}-s{s}-v{v}-{i:06d}.jpg"
    paths = {i: os.path.join(args.cache, name.format(w=args.width, h=args.height, q=args.quality,
                                                     s=args.seed, v=GENERATOR_VERSION, i=i))
             for i in indexes}
    missing = [i for i in indexes if not os.path.exists(paths[i])]
    if missing:
        log(f"making {len(missing)} photos of {args.width}x{args.height} in {args.cache} "
            f"(about {0.25 * len(missing) / args.jobs:.0f} s)")
        started = time.time()
        job = (lambda i: make_photo(args.seed, i, args.width, args.height, args.quality, paths[i]))
        if args.jobs > 1:
            with ProcessPoolExecutor(args.jobs) as pool:
                list(pool.map(make_photo, [args.seed] * len(missing), missing,
                              [args.width] * len(missing), [args.height] * len(missing),
                              [args.quality] * len(missing), [paths[i] for i in missing],
                              chunksize=8))
        else:
            for n, i in enumerate(missing, 1):
                job(i)
                if n % 100 == 0:
                    log(f"  {n}/{len(missing)}")
        log(f"made them in {time.time() - started:.1f} s")
    return paths


# --------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------

def log(message):
    print(f"photo_corpus.py: {message}", file=sys.stderr)


def kind_of(site):
    if os.path.exists(os.path.join(site, "site.yaml")):
        return "communique"
    if any(os.path.exists(os.path.join(site, f)) for f in ("config.toml", "hugo.toml", "config.yaml")):
        return "hugo"
    sys.exit(f"photo_corpus.py: {site} has neither site.yaml (communique) nor config.toml (Hugo)")


def reports_of(site):
    """{index: stem} of the reports of a site, flat (<stem>.md) or bundled (<stem>/index.md)."""
    folder = os.path.join(site, "content", "reports")
    found = {}
    for entry in os.listdir(folder):
        stem = entry[:-3] if entry.endswith(".md") and entry.count(".") == 1 else entry
        if os.path.isdir(os.path.join(folder, entry)) or entry.endswith(".md"):
            m = INDEX.search(stem)
            if m:
                found[int(m.group(1))] = stem
    return found


def with_image(text, alt, where):
    """The Markdown file's text with the image line as the last line of its front matter."""
    if MARK in text:
        return text
    if not text.startswith("---\n"):
        sys.exit(f"photo_corpus.py: {where} does not start with YAML front matter (---)")
    end = text.find("\n---\n", 3)
    if end < 0:
        sys.exit(f"photo_corpus.py: {where}: no end to its front matter")
    return f'{text[:end + 1]}image: {{ src: photo.jpg, {MARK}{alt}" }}\n{text[end + 1:]}'


def without_image(text):
    return "".join(line for line in text.splitlines(keepends=True)
                   if not (line.startswith("image: {") and MARK in line))


def place(src, dest):
    """dest becomes the cached photo src (a hard link when it can be)."""
    if os.path.exists(dest):
        if os.path.samefile(src, dest) or os.path.getsize(src) == os.path.getsize(dest):
            return False
        os.remove(dest)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)
    return True


def bundle(site, stem, index, photo):
    """Makes report `stem` a bundle with the photo; returns True if anything changed."""
    folder = os.path.join(site, "content", "reports")
    target = os.path.join(folder, stem)
    changed = False
    alt = f"{index} (generated for the benchmark)"
    flat = sorted(f for f in os.listdir(folder)
                  if f == stem + ".md" or (f.startswith(stem + ".") and f.endswith(".md")))
    if flat:
        os.makedirs(target, exist_ok=True)
        for f in flat:  # x.md -> x/index.md, x.ru.md -> x/index.ru.md
            with open(os.path.join(folder, f), encoding="utf-8") as h:
                text = h.read()
            dest = os.path.join(target, "index" + f[len(stem):])
            with open(dest, "w", encoding="utf-8") as h:
                h.write(with_image(text, alt, os.path.join(folder, f)))
            os.remove(os.path.join(folder, f))
        changed = True
    else:  # bundled already: check its files have the image line
        for f in sorted(os.listdir(target)):
            if f.startswith("index") and f.endswith(".md"):
                path = os.path.join(target, f)
                with open(path, encoding="utf-8") as h:
                    text = h.read()
                if MARK not in text:
                    with open(path, "w", encoding="utf-8") as h:
                        h.write(with_image(text, alt, path))
                    changed = True
    return place(photo, os.path.join(target, "photo.jpg")) or changed


def unbundle(site, stem):
    """Undoes bundle(): the report flat again, its photo gone."""
    folder = os.path.join(site, "content", "reports")
    target = os.path.join(folder, stem)
    if not os.path.isdir(target):
        return False
    names = os.listdir(target)
    if not set(names) <= {"photo.jpg"} | {f for f in names if f.startswith("index") and f.endswith(".md")}:
        log(f"{target} has files this script did not put there: left as it is")
        return False
    for f in names:
        path = os.path.join(target, f)
        if f != "photo.jpg":
            with open(path, encoding="utf-8") as h:
                text = without_image(h.read())
            with open(os.path.join(folder, stem + f[len("index"):]), "w", encoding="utf-8") as h:
                h.write(text)
        os.remove(path)
    os.rmdir(target)
    return True


def patch_hugo_layout(site, quality, remove=False):
    path = os.path.join(site, "layouts", "_default", "single.html")
    with open(path, encoding="utf-8") as h:
        text = h.read()
    begin, end = text.find(LAYOUT_BEGIN), text.find(LAYOUT_END)
    if begin >= 0:  # take out the block of an earlier run (the settings may differ)
        text = text[:begin] + text[end + len(LAYOUT_END) + 1:]
    if not remove:
        block = HUGO_BLOCK % {"widths": " ".join(map(str, WIDTHS)), "quality": quality}
        anchor = text.find('<div class="body">')
        if anchor < 0:
            sys.exit(f'photo_corpus.py: {path} has no <div class="body"> to put the photo before')
        text = text[:anchor] + block + text[anchor:]
    with open(path, encoding="utf-8") as h:
        old = h.read()
    if old != text:
        with open(path, "w", encoding="utf-8") as h:
            h.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", help="a folder made by gen_corpus.py (with ours/ and hugo/)")
    p.add_argument("--n", type=int, default=1000, help="photos: the first N reports get one")
    p.add_argument("--sites", default="ours,hugo", help="folders of CORPUS to process (ours,hugo)")
    p.add_argument("--cache", help="where generated photos are kept (CORPUS/../photo-cache)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--width", type=int, default=1800)
    p.add_argument("--height", type=int, default=1125)
    p.add_argument("--quality", type=int, default=88, help="JPEG quality of the photos")
    p.add_argument("--webp-quality", type=int, default=80, help="Hugo's WebP quality")
    p.add_argument("--jobs", type=int, default=1, help="processes making photos")
    p.add_argument("--remove", action="store_true", help="undo: reports flat, photos gone")
    args = p.parse_args()
    corpus = os.path.abspath(args.corpus)
    args.cache = os.path.abspath(args.cache or os.path.join(os.path.dirname(corpus), "photo-cache"))
    sites = [os.path.join(corpus, s) for s in args.sites.split(",") if s]
    for site in sites:
        if not os.path.isdir(os.path.join(site, "content", "reports")):
            sys.exit(f"photo_corpus.py: {site}/content/reports is not there (run gen_corpus.py first)")

    started = time.time()
    for site in sites:
        kind = kind_of(site)
        reports = reports_of(site)
        if args.remove:
            n = sum(unbundle(site, stem) for stem in reports.values())
            if kind == "hugo":
                patch_hugo_layout(site, args.webp_quality, remove=True)
            log(f"{site}: {n} reports flat again")
            continue
        chosen = sorted(reports)[:args.n]
        if len(chosen) < args.n:
            log(f"{site} has {len(reports)} reports: {len(chosen)} photos, not {args.n}")
        paths = cached_photos(chosen, args)
        n = sum(bundle(site, reports[i], i, paths[i]) for i in chosen)
        if kind == "hugo":
            patch_hugo_layout(site, args.webp_quality)
        log(f"{site} ({kind}): {len(chosen)} reports with a photo, {n} changed")
    log(f"done in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
