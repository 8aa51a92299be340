#!/usr/bin/env python3
"""Photographs for the example site (issue #20, item 7), rendered here: no downloads, no
real people, no real flags. Every picture is drawn with Pillow and numpy from fixed seeds,
so a rerun writes the same files.

    scripts/example_photos.py OUT_DIR [--only NAME ...]      # needs: pip install pillow numpy

Writes into OUT_DIR (JPEG, quality 88):

  weihai-meeting-room.jpg   2400x1600 (stored 1600x2400, see below). The meeting in
                            Weihai (report 2019-04-02-weihai-city-committee): a long
                            polished table in one-point perspective, leather chairs and the
                            two delegations seated along it, daylight from windows on the
                            left falling on the carpet, a presentation screen on the far
                            wall between two flags (stylised colour blocks, not real
                            flags), ceiling lights, a landscape painting.
                            IT CARRIES EXIF ON PURPOSE, as a camera would write it, to show
                            that communique strips metadata (SPEC §7: "photos carry GPS
                            positions"): a GPS position (37°30'36" N 122°07'12" E, Weihai's
                            37.51 N 122.12 E from data/cities.yaml), camera make and model,
                            the date taken and Orientation = 6 ("rotate 90° clockwise to
                            display"). The pixels are stored rotated 90° counter-clockwise,
                            as a phone held upright stores them: a viewer that applies the
                            orientation shows the room upright, one that ignores it shows it
                            lying on its side. communique must apply the orientation, then
                            drop the EXIF (the test: no GPS tag survives in its WebP files).
  weihai-harbour-dusk.jpg   2400x1350. Weihai, a port city on the Shandong coast, at dusk:
                            sky from deep blue to orange, hills behind the city, towers with
                            lit windows, container cranes and piers, a ship, the lights
                            reflected in the sea. Suits the Weihai report (gallery) and the
                            Weihai city page.
  qingdao-signing-table.jpg 2400x1600. A signing table (report 2020-07-23-qingdao-
                            delegation, the Secretariat delegation's talks in Qingdao): two
                            open leather folders with documents and two pens on a draped
                            table, two small desk flags (colour blocks), flowers, a blue
                            backdrop out of focus.
  qingdao-coast-day.jpg     2400x1350. Qingdao's seafront by day: a bay, a long pier with a
                            pavilion at its end, a red-roofed old town and towers behind, for
                            the Qingdao report's gallery or the Qingdao city page.
  portrait-norov.jpg, portrait-wang.jpg, portrait-jonon.jpg
                            2000x2500 each. Head-and-shoulders silhouettes (no face: a
                            shaded oval, a suit, shirt and tie) against studio backdrops, for
                            the registry's people with a bio (data/people.yaml): Vladimir
                            Norov, Wang Luming, Sherali Jonon. Stand-ins, not likenesses.

Every picture gets soft lighting, shadows, lens vignetting, a slight blur and film grain,
so it reads as a photograph at thumbnail size. Only the meeting room has EXIF; the others
have none (Pillow writes none unless asked).
"""
import argparse
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

QUALITY = 88


# --------------------------------------------------------------------------------------
# A small painter: float RGB canvas, polygons and ellipses filled inside their bounding
# box, soft masks, light maps, and the photographic finish.
# --------------------------------------------------------------------------------------

class Canvas:
    def __init__(self, w, h, colour=(0, 0, 0)):
        self.w, self.h = w, h
        self.a = np.empty((h, w, 3), np.float32)
        self.a[:] = np.array(colour, np.float32) / 255

    def _mask(self, shape, pts, blur):
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        pad = int(3 * blur) + 2
        x0, y0 = max(0, int(min(xs)) - pad), max(0, int(min(ys)) - pad)
        x1, y1 = min(self.w, int(max(xs)) + pad + 1), min(self.h, int(max(ys)) + pad + 1)
        if x1 <= x0 or y1 <= y0:
            return None
        m = Image.new("L", (x1 - x0, y1 - y0))
        d = ImageDraw.Draw(m)
        local = [(x - x0, y - y0) for x, y in pts]
        if shape == "poly":
            d.polygon(local, fill=255)
        elif shape == "ellipse":
            d.ellipse([local[0], local[1]], fill=255)
        if blur > 0:
            m = m.filter(ImageFilter.GaussianBlur(blur))
        return (slice(y0, y1), slice(x0, x1)), np.asarray(m, np.float32) / 255

    def paint(self, shape, pts, colour, blur=0.0, alpha=1.0, mode="normal"):
        """colour: an RGB tuple (0-255) or a function (ys, xs) -> float array HxWx3 in 0-1
        over the bounding box (ys, xs: absolute pixel coordinates, broadcastable)."""
        got = self._mask(shape, pts, blur)
        if got is None:
            return
        (sy, sx), m = got
        m = (m * alpha)[..., None]
        if callable(colour):
            ys = np.arange(sy.start, sy.stop, dtype=np.float32)[:, None]
            xs = np.arange(sx.start, sx.stop, dtype=np.float32)[None, :]
            c = colour(ys, xs)
        else:
            c = np.array(colour, np.float32) / 255
        region = self.a[sy, sx]
        if mode == "normal":
            self.a[sy, sx] = region * (1 - m) + c * m
        elif mode == "multiply":
            self.a[sy, sx] = region * (1 - m + c * m)
        elif mode == "add":
            self.a[sy, sx] = region + c * m

    def poly(self, pts, colour, **kw):
        self.paint("poly", pts, colour, **kw)

    def ellipse(self, box, colour, **kw):
        self.paint("ellipse", [(box[0], box[1]), (box[2], box[3])], colour, **kw)

    def finish(self, rng, blur=0.8, grain=0.022, vignette=0.35, exposure=1.0, warmth=0.0):
        """Highlight roll-off, vignetting, lens softness and grain; returns a PIL image."""
        a = self.a * exposure
        a = 1 - np.exp(-a * 1.6) / 1.0  # filmic shoulder: no hard clipping
        a = a / (1 - math.exp(-1.6))
        h, w = self.h, self.w
        yy = (np.arange(h, dtype=np.float32)[:, None] - h / 2) / (h / 2)
        xx = (np.arange(w, dtype=np.float32)[None, :] - w / 2) / (w / 2)
        r2 = (xx * xx * (w / h) + yy * yy * (h / w)) / 2
        a *= (1 - vignette * np.clip(r2, 0, 1.5) ** 1.2)[..., None]
        if warmth:
            a *= np.array([1 + warmth, 1, 1 - warmth], np.float32)
        im = Image.fromarray((np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8))
        if blur:
            im = im.filter(ImageFilter.GaussianBlur(blur))
        b = np.asarray(im).astype(np.float32)
        # grain: luminance noise, a little coarser than a pixel, stronger in the shadows
        g = rng.standard_normal((h // 2 + 1, w // 2 + 1)).astype(np.float32)
        g = np.array(Image.fromarray(g, mode="F").resize((w, h), Image.BILINEAR))
        g += 0.5 * rng.standard_normal((h, w)).astype(np.float32)
        shade = 1.3 - b.mean(axis=2) / 255
        b += (grain * 255 * g * shade)[..., None]
        b += rng.normal(0, 1.2, (h, w, 3)).astype(np.float32)  # a little chroma noise
        return Image.fromarray(np.clip(b, 0, 255).astype(np.uint8))


def mix(c1, c2, t):
    return tuple(a + (b - a) * t for a, b in zip(c1, c2))


def vgrad(c_top, c_bottom, y_top, y_bottom, gamma=1.0):
    """A vertical gradient between two RGB colours (0-255) from y_top to y_bottom."""
    c1, c2 = np.array(c_top, np.float32) / 255, np.array(c_bottom, np.float32) / 255

    def f(ys, xs):
        t = np.clip((ys - y_top) / max(1e-6, y_bottom - y_top), 0, 1) ** gamma
        t = np.broadcast_to(t, (ys.shape[0], xs.shape[1]))[..., None]
        return c1 * (1 - t) + c2 * t
    return f


def hgrad(c_left, c_right, x_left, x_right, gamma=1.0):
    c1, c2 = np.array(c_left, np.float32) / 255, np.array(c_right, np.float32) / 255

    def f(ys, xs):
        t = np.clip((xs - x_left) / max(1e-6, x_right - x_left), 0, 1) ** gamma
        t = np.broadcast_to(t, (ys.shape[0], xs.shape[1]))[..., None]
        return c1 * (1 - t) + c2 * t
    return f


def textured(base, rng, amount=0.06, scale=6, streak=None):
    """base (a colour function or tuple) modulated by smooth noise: carpet, wood, plaster."""
    noise_cache = {}

    def f(ys, xs):
        c = base(ys, xs) if callable(base) else np.array(base, np.float32) / 255
        h, w = ys.shape[0], xs.shape[1]
        key = (h, w)
        if key not in noise_cache:
            sh = (max(2, h // scale), max(2, w // scale))
            if streak == "h":
                sh = (max(2, h // scale), max(2, w // (scale * 12)))
            elif streak == "v":
                sh = (max(2, h // (scale * 12)), max(2, w // scale))
            n = rng.standard_normal(sh).astype(np.float32)
            noise_cache[key] = np.asarray(Image.fromarray(n, mode="F").resize((w, h), Image.BICUBIC))
        c = np.broadcast_to(c, (h, w, 3)) * (1 + amount * noise_cache[key])[..., None]
        return c
    return f


def fractal_noise(rng, w, h, octaves):
    out = np.zeros((h, w), np.float32)
    for cells, amp in octaves:
        n = rng.standard_normal((max(2, int(cells * h / w)), cells)).astype(np.float32)
        out += amp * np.asarray(Image.fromarray(n, mode="F").resize((w, h), Image.BICUBIC))
    return out


# --------------------------------------------------------------------------------------
# (a) The meeting room in Weihai: one-point perspective
# --------------------------------------------------------------------------------------

class Camera:
    def __init__(self, w, h, f, eye, cx_world=0.0, horizon=0.46):
        self.w, self.h, self.f, self.eye, self.x = w, h, f, eye, cx_world
        self.cx, self.cy = w / 2, h * horizon

    def p(self, x, y, z):
        return (self.cx + self.f * (x - self.x) / z, self.cy - self.f * (y - self.eye) / z)

    def quad(self, *pts):
        return [self.p(*q) for q in pts]


def meeting_room(w=2400, h=1600, seed=2019):
    rng = np.random.default_rng(seed)
    cam = Camera(w, h, f=1150, eye=1.8, cx_world=0.3, horizon=0.4)
    c = Canvas(w, h)
    X0, X1, Y1, ZB, ZN = -4.2, 4.4, 3.3, 13.0, 0.5
    P = cam.quad

    # ceiling, floor, walls
    c.poly(P((X0, Y1, ZN), (X1, Y1, ZN), (X1, Y1, ZB), (X0, Y1, ZB)),
           textured(vgrad((214, 210, 200), (232, 228, 218), 0, cam.p(0, Y1, ZB)[1]), rng, 0.02))
    carpet = textured(vgrad((96, 40, 38), (130, 58, 48), cam.p(0, 0, ZB)[1], h), rng, 0.10, scale=3)
    c.poly(P((X0, 0, ZN), (X1, 0, ZN), (X1, 0, ZB), (X0, 0, ZB)), carpet)
    # carpet border pattern: a lighter band around the table area
    for x in (-2.6, 2.8):
        c.poly(P((x - 0.12, 0, 1.0), (x + 0.12, 0, 1.0), (x + 0.12, 0, ZB), (x - 0.12, 0, ZB)),
               (160, 110, 60), alpha=0.35)
    back = textured((196, 170, 132), rng, 0.05, streak="v")
    c.poly(P((X0, 0, ZB), (X1, 0, ZB), (X1, Y1, ZB), (X0, Y1, ZB)), back)
    # right wall: wood panelling
    xr = cam.p(X1, 0, ZB)[0]
    c.poly(P((X1, 0, ZN), (X1, 0, ZB), (X1, Y1, ZB), (X1, Y1, ZN)),
           textured(hgrad((120, 84, 52), (168, 124, 82), w, xr), rng, 0.07, scale=4, streak="v"))
    for z in np.arange(1.2, ZB, 0.9):  # panel joints
        c.poly(P((X1, 0.1, z), (X1, 0.1, z + 0.02), (X1, Y1 - 0.1, z + 0.02), (X1, Y1 - 0.1, z)),
               (70, 48, 30), alpha=0.6)
    # a landscape painting on the right wall
    frame = P((X1, 1.2, 5.0), (X1, 1.2, 9.0), (X1, 2.6, 9.0), (X1, 2.6, 5.0))
    c.poly(frame, (150, 118, 60))
    inner = P((X1, 1.28, 5.12), (X1, 1.28, 8.9), (X1, 2.52, 8.9), (X1, 2.52, 5.12))
    c.poly(inner, vgrad((206, 214, 208), (186, 190, 170), inner[2][1], inner[0][1]))
    for k, (z0, z1, top, col) in enumerate([(5.2, 7.4, 2.35, (90, 110, 100)), (6.5, 8.9, 2.1, (70, 92, 86)),
                                            (5.12, 6.4, 1.9, (110, 128, 112))]):
        c.poly(P((X1, 1.3, z0), (X1, 1.3, z1), (X1, top - 0.4, z1 - 0.4), (X1, top, (z0 + z1) / 2),
                 (X1, top - 0.3, z0 + 0.2)), col, blur=2, alpha=0.8)
    # left wall with windows: daylight
    c.poly(P((X0, 0, ZN), (X0, 0, ZB), (X0, Y1, ZB), (X0, Y1, ZN)),
           textured((222, 216, 204), rng, 0.02))
    windows = [(z, z + 2.5) for z in (1.6, 4.6, 7.6, 10.4)]
    for z0, z1 in windows:
        q = P((X0, 0.8, z0), (X0, 0.8, z1), (X0, 2.9, z1), (X0, 2.9, z0))
        sky = vgrad((235, 245, 255), (255, 252, 246), q[3][1], q[0][1])
        c.poly(q, sky)
        # the city outside, washed out: low blocks behind the glass
        for k in range(int(rng.integers(3, 6))):
            za = z0 + rng.uniform(0, 1.8)
            c.poly(P((X0, 0.8, za), (X0, 0.8, za + rng.uniform(0.3, 0.8)),
                     (X0, 0.8 + rng.uniform(0.3, 1.1), za + 0.5), (X0, 0.8 + rng.uniform(0.3, 1.0), za)),
                   (214, 222, 228), alpha=0.7)
        for t in (0.0, 0.5, 1.0):  # mullions and sill
            z = z0 + (z1 - z0) * t
            c.poly(P((X0 + 0.01, 0.8, z - 0.05), (X0 + 0.01, 0.8, z + 0.05), (X0 + 0.01, 2.9, z + 0.05),
                     (X0 + 0.01, 2.9, z - 0.05)), (200, 196, 188))
        c.poly(P((X0, 0.74, z0 - 0.1), (X0 + 0.15, 0.74, z0 - 0.1), (X0 + 0.15, 0.8, z1 + 0.1),
                 (X0, 0.8, z1 + 0.1)), (236, 232, 224))
        # curtains gathered at the sides
        c.poly(P((X0 + 0.05, 0.2, z1 + 0.05), (X0 + 0.05, 0.2, z1 + 0.35), (X0 + 0.05, 3.1, z1 + 0.35),
                 (X0 + 0.05, 3.1, z1 + 0.05)), textured((178, 150, 104), rng, 0.12, scale=2, streak="v"))
    # sunlight through the windows on the carpet (the sun from the left, high)
    for z0, z1 in windows[:3]:
        k = 1.05
        q = P((X0 + 0.8 * k, 0, z0 + 0.5), (X0 + 0.8 * k, 0, z1 + 0.5), (X0 + 2.9 * k, 0, z1 + 0.9),
              (X0 + 2.9 * k, 0, z0 + 0.9))
        c.poly(q, (255, 214, 160), blur=14, alpha=0.45, mode="add")
    # ceiling: recessed lights in rows
    for z in np.arange(2.5, ZB - 0.5, 1.8):
        for x in (-2.4, 0.0, 2.4):
            q = P((x - 0.45, Y1 - 0.01, z - 0.3), (x + 0.45, Y1 - 0.01, z - 0.3), (x + 0.45, Y1 - 0.01, z + 0.3),
                  (x - 0.45, Y1 - 0.01, z + 0.3))
            c.poly(q, (255, 250, 235))
            c.poly(q, (255, 240, 210), blur=18, alpha=0.5, mode="add")
    # screen on the back wall and its glow
    s = P((-1.7, 1.05, ZB - 0.02), (1.7, 1.05, ZB - 0.02), (1.7, 2.75, ZB - 0.02), (-1.7, 2.75, ZB - 0.02))
    c.poly([(s[0][0] - 6, s[0][1] + 6), (s[1][0] + 6, s[1][1] + 6), (s[2][0] + 6, s[2][1] - 6),
            (s[3][0] - 6, s[3][1] - 6)], (30, 30, 34))
    c.poly(s, vgrad((28, 78, 150), (16, 46, 104), s[3][1], s[0][1]))
    c.poly(P((-1.5, 2.3, ZB - 0.03), (1.5, 2.3, ZB - 0.03), (1.5, 2.5, ZB - 0.03), (-1.5, 2.5, ZB - 0.03)),
           (235, 240, 250), alpha=0.9)
    for i, (a, b) in enumerate([(-1.3, 1.2), (-1.0, 0.9), (-1.2, 0.4)]):
        y = 1.95 - 0.22 * i
        c.poly(P((a, y, ZB - 0.03), (b, y, ZB - 0.03), (b, y + 0.08, ZB - 0.03), (a, y + 0.08, ZB - 0.03)),
               (200, 214, 236), alpha=0.7)
    c.poly(s, (80, 140, 230), blur=40, alpha=0.25, mode="add")
    # two flags on poles beside the screen (stylised colour blocks)
    for x, colours in ((-2.6, [(200, 30, 36), (200, 30, 36), (200, 30, 36)]),
                       (2.6, [(92, 170, 220), (92, 170, 220), (92, 170, 220)])):
        c.poly(P((x - 0.02, 0, ZB - 0.3), (x + 0.02, 0, ZB - 0.3), (x + 0.02, 2.9, ZB - 0.3),
                 (x - 0.02, 2.9, ZB - 0.3)), (190, 160, 90))
        for i, col in enumerate(colours):
            y0, y1 = 2.75 - 0.33 * i, 2.75 - 0.33 * (i + 1)
            if i == 2 and x < 0:
                col = (200, 30, 36)
            c.poly(P((x + 0.03, y1, ZB - 0.3), (x + 0.95, y1 - 0.05, ZB - 0.35), (x + 0.95, y0 - 0.05, ZB - 0.35),
                     (x + 0.03, y0, ZB - 0.3)), textured(col, rng, 0.12, scale=3, streak="v"))
        if x > 0:  # a pale roundel on the light blue one (the organisation's flag)
            q = P((x + 0.33, 2.05, ZB - 0.32), (x + 0.65, 2.05, ZB - 0.33), (x + 0.65, 2.5, ZB - 0.33),
                  (x + 0.33, 2.5, ZB - 0.32))
            c.ellipse((q[0][0], q[2][1], q[1][0], q[0][1]), (236, 240, 236))
            c.ellipse((q[0][0] + 5, q[2][1] + 6, q[1][0] - 5, q[0][1] - 6), (60, 150, 90), alpha=0.6)
        if x < 0:  # a yellow block in the corner of the red one
            c.poly(P((x + 0.1, 2.45, ZB - 0.3), (x + 0.32, 2.45, ZB - 0.31), (x + 0.32, 2.68, ZB - 0.31),
                     (x + 0.1, 2.68, ZB - 0.3)), (240, 200, 40))
    # skirting along the walls
    c.poly(P((X0, 0, ZB), (X1, 0, ZB), (X1, 0.1, ZB), (X0, 0.1, ZB)), (90, 66, 44))

    # the table and the chairs, far to near (painter's algorithm)
    TX0, TX1, TY, TZ0, TZ1 = -1.05, 1.05, 0.76, 3.1, 10.6
    items = []
    for z in np.arange(TZ1 - 0.45, TZ0, -0.95):
        for side in (-1, 1):
            items.append((z + 0.3, "chair", side, z))
    step = 0.4
    for z in np.arange(TZ1, TZ0 - 1e-6, -step):
        items.append((z - step, "table", max(TZ0, z - step), z))
    items.sort(key=lambda t: -t[0])
    occupied = rng.random(len(items)) < 0.85
    leather = (46, 34, 30)
    for n, item in enumerate(items):
        kind = item[1]
        if kind == "table":
            za, zb = item[2], item[3]
            top = P((TX0, TY, za), (TX1, TY, za), (TX1, TY, zb), (TX0, TY, zb))
            wood = textured(hgrad((92, 52, 30), (120, 70, 40), top[0][0], top[1][0]), rng, 0.06, scale=3, streak="v")
            c.poly(top, wood)
            # reflection of the windows on the polish: a bright band along the left
            c.poly(P((TX0 + 0.15, TY, za), (TX0 + 0.7, TY, za), (TX0 + 0.7, TY, zb), (TX0 + 0.15, TY, zb)),
                   (255, 236, 210), blur=6, alpha=0.22, mode="add")
            # white cloth runner down the middle
            c.poly(P((-0.35, TY + 0.002, za), (0.35, TY + 0.002, za), (0.35, TY + 0.002, zb), (-0.35, TY + 0.002, zb)),
                   (228, 226, 218), alpha=0.9)
            for sx, xe in ((-1, TX0), (1, TX1)):  # side faces
                c.poly(P((xe, TY, za), (xe, TY, zb), (xe, 0.05, zb), (xe, 0.05, za)),
                       (52, 30, 20) if sx < 0 else (70, 42, 26))
            if za <= TZ0 + 1e-6:  # the near end
                c.poly(P((TX0, TY, za), (TX1, TY, za), (TX1, 0.05, za), (TX0, 0.05, za)),
                       vgrad((86, 50, 30), (40, 24, 16), cam.p(0, TY, za)[1], cam.p(0, 0, za)[1]))
                c.poly(P((TX0, 0.0, za - 0.2), (TX1 + 0.3, 0.0, za - 0.2), (TX1 + 0.5, 0.0, TZ1),
                         (TX0, 0.0, TZ1)), (0, 0, 0), blur=20, alpha=0.35, mode="multiply")
            # things on the table: a name card, a cup, papers at each seat
            zc = (za + zb) / 2
            if abs(((zc - (TZ1 - 0.45)) / 0.95) - round((zc - (TZ1 - 0.45)) / 0.95)) < 0.22:
                for side in (-1, 1):
                    xe = TX0 + 0.25 if side < 0 else TX1 - 0.25
                    c.poly(P((xe - 0.15, TY, zc - 0.11), (xe + 0.15, TY, zc - 0.11), (xe + 0.15, TY, zc + 0.11),
                             (xe - 0.15, TY, zc + 0.11)), (238, 238, 232))
                    xn = xe - side * 0.28
                    c.poly(P((xn, TY, zc - 0.12), (xn, TY, zc + 0.12), (xn, TY + 0.09, zc + 0.12), (xn, TY + 0.09, zc - 0.12)),
                           (245, 243, 236))
                    xm = xe + side * 0.05
                    cx_, cy_ = cam.p(xm, TY + 0.05, zc + 0.2)
                    r = 0.045 * cam.f / (zc + 0.2)
                    c.ellipse((cx_ - r, cy_ - 1.3 * r, cx_ + r, cy_ + 1.0 * r), (236, 236, 232))
                    c.ellipse((cx_ - r, cy_ - 1.5 * r, cx_ + r, cy_ - 0.9 * r), (150, 120, 70))
        else:
            side, z = item[2], item[3]
            xb = side * 1.6
            xs = side * 1.2
            # shadow on the carpet, thrown to the right by the windows
            c.poly(P((xb - 0.2, 0.0, z - 0.25), (xs + 0.5, 0.0, z - 0.25), (xs + 0.6, 0.0, z + 0.3), (xb, 0.0, z + 0.3)),
                   (0, 0, 0), blur=10, alpha=0.35, mode="multiply")
            # seat and back
            c.poly(P((xb, 0.48, z - 0.26), (xs, 0.48, z - 0.26), (xs, 0.48, z + 0.26), (xb, 0.48, z + 0.26)),
                   (64, 48, 40))
            back = P((xb, 0.5, z - 0.27), (xb, 0.5, z + 0.27), (xb - side * 0.08, 1.3, z + 0.25),
                     (xb - side * 0.08, 1.3, z - 0.25))
            lit = (0.9 if side > 0 else 0.6)
            c.poly(back, vgrad(tuple(v * lit * 1.5 for v in leather), leather, back[2][1], back[0][1]))
            c.poly(P((xb - side * 0.02, 0.55, z - 0.2), (xb - side * 0.02, 0.55, z + 0.2),
                     (xb - side * 0.1, 1.2, z + 0.18), (xb - side * 0.1, 1.2, z - 0.18)),
                   (255, 240, 220), blur=3, alpha=0.06 if side < 0 else 0.1, mode="add")
            if occupied[n]:
                # a seated delegate: dark suit, white collar, head (no face at this distance)
                xp = side * 1.42
                suit = (34, 36, 44) if rng.random() < 0.7 else (48, 52, 62)
                torso = P((xp, 0.72, z - 0.21), (xp, 0.72, z + 0.21), (xp - side * 0.03, 1.28, z + 0.18),
                          (xp - side * 0.03, 1.34, z), (xp - side * 0.03, 1.28, z - 0.18))
                c.poly(torso, suit)
                c.poly(P((xp - side * 0.05, 1.26, z - 0.04), (xp - side * 0.05, 1.26, z + 0.04),
                         (xp - side * 0.05, 1.08, z)), (236, 236, 236))
                hx, hy = cam.p(xp - side * 0.06, 1.45, z)
                r = 0.105 * cam.f / z
                skin = mix((222, 184, 150), (180, 136, 104), rng.random())
                c.ellipse((hx - 0.85 * r, hy - r, hx + 0.85 * r, hy + r), skin)
                c.ellipse((hx - 0.88 * r, hy - 1.05 * r, hx + 0.88 * r, hy - 0.1 * r),
                          (30, 26, 24) if rng.random() < 0.8 else (120, 118, 116))
                # light from the windows on the left side of each head
                c.ellipse((hx - 0.85 * r, hy - r, hx - 0.1 * r, hy + r), (255, 230, 200), blur=2,
                          alpha=0.25, mode="add")

    # light: daylight from the left, falling off to the right; a warm fill from the ceiling
    yy = np.arange(h, dtype=np.float32)[:, None] / h
    xx = np.arange(w, dtype=np.float32)[None, :] / w
    light = 0.82 + 0.32 * np.exp(-((xx - 0.05) / 0.45) ** 2) - 0.1 * yy
    c.a *= light[..., None]
    img = c.finish(rng, blur=0.9, grain=0.02, vignette=0.3, exposure=1.05, warmth=0.02)
    return img


# --------------------------------------------------------------------------------------
# (b) Weihai harbour at dusk
# --------------------------------------------------------------------------------------

def harbour_dusk(w=2400, h=1350, seed=1122):
    rng = np.random.default_rng(seed)
    c = Canvas(w, h)
    horizon = int(h * 0.62)
    # sky: deep blue, violet, then orange at the horizon
    yy = np.arange(h, dtype=np.float32)[:, None] / horizon
    stops = [(0.0, (22, 34, 78)), (0.45, (70, 72, 130)), (0.75, (190, 110, 110)), (0.92, (246, 160, 92)),
             (1.0, (252, 196, 120))]
    sky = np.zeros((h, 1, 3), np.float32)
    for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
        m = (yy >= t0) & (yy <= t1)
        t = ((yy - t0) / (t1 - t0))[..., None]
        sky = np.where(m[..., None], (np.array(c0) * (1 - t) + np.array(c1) * t) / 255, sky)
    sky = np.where((yy > 1)[..., None], np.array(stops[-1][1], np.float32) / 255, sky)
    c.a[:] = np.broadcast_to(sky, (h, w, 3))
    # a glow where the sun has set (right of centre)
    xx = np.arange(w, dtype=np.float32)[None, :]
    glow = np.exp(-(((xx - w * 0.68) / (w * 0.25)) ** 2) - (((yy * horizon - horizon) / (h * 0.22)) ** 2))
    c.a += (glow * 0.35)[..., None] * np.array([1.0, 0.55, 0.25], np.float32)
    # clouds: stretched fractal noise, lit from below
    n = fractal_noise(rng, w, h * 4, ((5, 1.0), (20, 0.5), (80, 0.25), (320, 0.12)))
    n = np.asarray(Image.fromarray(n, "F").resize((w, h), Image.BICUBIC))
    cloud = np.clip((n - 0.4) * 1.1, 0, 1) * np.clip(1 - yy * 1.1, 0, 1) * np.clip(yy * 4, 0, 1)
    c.a = c.a * (1 - 0.5 * cloud[..., None]) + cloud[..., None] * np.array([0.62, 0.42, 0.48], np.float32) * 0.5
    # hills behind the city
    for depth, (base_y, amp, col) in enumerate([(horizon - 150, 120, (64, 56, 90)), (horizon - 80, 70, (46, 42, 70))]):
        xs = np.linspace(0, 1, 60)
        prof = np.cumsum(rng.normal(0, 1, 60))
        prof = (prof - prof.min()) / (np.ptp(prof) + 1e-6)
        pts = [(x * w, base_y - amp * p) for x, p in zip(xs, prof)] + [(w, horizon + 5), (0, horizon + 5)]
        c.poly(pts, col, blur=1.5)
    # the city: buildings with lit windows; far ones hazier
    for layer, (count, hmin, hmax, col, haze) in enumerate([(46, 40, 170, (58, 56, 84), 0.45),
                                                             (34, 60, 330, (32, 32, 50), 0.2),
                                                             (18, 40, 200, (20, 20, 30), 0.0)]):
        xs = np.sort(rng.uniform(-0.02, 0.78, count)) * w
        for x in xs:
            bw = rng.uniform(40, 120) * (1 + 0.2 * layer)
            bh = rng.uniform(hmin, hmax)
            if layer == 1 and rng.random() < 0.2:
                bh *= 1.6  # a few towers
            y0 = horizon - 4 + layer * 3
            top = y0 - bh
            face = mix(col, (120, 100, 110), haze)
            c.poly([(x, y0), (x + bw, y0), (x + bw, top), (x, top)], vgrad(mix(face, (90, 80, 100), 0.2), face, top, y0))
            if rng.random() < 0.35:  # a stepped top or a roof mast
                c.poly([(x + bw * 0.3, top), (x + bw * 0.7, top), (x + bw * 0.6, top - bh * 0.08),
                        (x + bw * 0.4, top - bh * 0.08)], face)
            # windows: a grid, a random share lit warm (some cool white offices)
            cols_n, rows_n = int(bw // 11), int(bh // 14)
            lit_share = rng.uniform(0.2, 0.65)
            for r_ in range(1, rows_n):
                for k in range(cols_n):
                    if rng.random() < lit_share * (1 - 0.5 * haze):
                        wx = x + 4 + k * 11
                        wy = top + r_ * 14
                        wc = (255, 214, 140) if rng.random() < 0.75 else (220, 236, 255)
                        c.poly([(wx, wy), (wx + 5, wy), (wx + 5, wy + 7), (wx, wy + 7)], wc,
                               alpha=rng.uniform(0.5, 1.0) * (1 - 0.4 * haze))
    # the container port on the right: cranes and stacks
    port_y = horizon + 2
    for i in range(int(rng.integers(40, 70))):
        x = w * rng.uniform(0.74, 0.98)
        hh = 14 * int(rng.integers(1, 5))
        col = [(140, 60, 50), (50, 80, 120), (150, 120, 60), (70, 100, 80)][int(rng.integers(0, 4))]
        c.poly([(x, port_y), (x + 52, port_y), (x + 52, port_y - hh), (x, port_y - hh)], mix(col, (40, 36, 50), 0.55))
    for i, x in enumerate(w * np.array([0.77, 0.84, 0.91])):
        ch = 300 + 30 * i
        legs = [(x, port_y), (x + 10, port_y), (x + 40, port_y - ch * 0.6), (x + 30, port_y - ch * 0.6)]
        c.poly(legs, (24, 22, 30))
        c.poly([(x + 110, port_y), (x + 120, port_y), (x + 90, port_y - ch * 0.6), (x + 80, port_y - ch * 0.6)], (24, 22, 30))
        c.poly([(x - 150, port_y - ch * 0.6), (x + 230, port_y - ch * 0.6), (x + 230, port_y - ch * 0.6 - 16),
                (x - 150, port_y - ch * 0.6 - 16)], (24, 22, 30))  # the boom
        c.poly([(x + 30, port_y - ch * 0.6), (x + 90, port_y - ch * 0.6), (x + 75, port_y - ch),
                (x + 45, port_y - ch)], (26, 24, 32))
        for lx, ly in ((x + 60, port_y - ch - 4), (x - 148, port_y - ch * 0.6 - 8)):
            c.ellipse((lx - 4, ly - 4, lx + 4, ly + 4), (255, 60, 50))
            c.ellipse((lx - 16, ly - 16, lx + 16, ly + 16), (255, 60, 50), blur=6, alpha=0.5, mode="add")
    # sea: darker than the sky, with the sky's colours mirrored
    sea_top = horizon
    ys = np.arange(sea_top, h, dtype=np.float32)
    mirror = np.clip(2 * sea_top - ys, 0, h - 1).astype(int)
    refl = c.a[mirror] * 0.55
    ripple = fractal_noise(rng, w, h - sea_top, ((40, 1.0), (200, 0.5), (800, 0.3)))
    ripple = np.asarray(Image.fromarray(ripple, "F").resize((w // 8, h - sea_top)).resize((w, h - sea_top), Image.BICUBIC))
    disp = (ripple * 6).astype(int)
    rows = np.clip(mirror[:, None] + disp, 0, sea_top - 1)
    refl = c.a[rows, np.arange(w)[None, :]] * 0.38
    smear = Image.fromarray((np.clip(refl, 0, 1) * 255).astype(np.uint8))
    smear = smear.resize((w, max(2, (h - sea_top) // 10)), Image.BOX).resize((w, h - sea_top), Image.BILINEAR)
    refl = 0.5 * refl + 0.5 * np.asarray(smear, np.float32) / 255
    depth = ((ys - sea_top) / (h - sea_top))[:, None, None]
    deep = np.array([0.05, 0.07, 0.14], np.float32)
    sea = refl * (1 - 0.6 * depth) + deep * (0.4 + 0.6 * depth)
    sea *= (1 + 0.12 * ripple)[..., None]
    c.a[sea_top:] = sea
    # streaks of light from the shore on the water
    for i in range(160):
        x = rng.uniform(0.0, 0.95) * w
        length = rng.uniform(20, 160)
        y = sea_top + rng.uniform(2, 30)
        col = (255, 200, 120) if rng.random() < 0.8 else (200, 220, 255)
        c.poly([(x, y), (x + rng.uniform(2, 6), y), (x + 3, y + length), (x, y + length)], col, blur=2.5,
               alpha=rng.uniform(0.1, 0.35), mode="add")
    # the promenade in the foreground: a quay wall, a railing and lamps
    qy = h * 0.9
    c.poly([(0, qy), (w, qy - 30), (w, h), (0, h)], vgrad((34, 32, 40), (14, 14, 18), qy - 30, h))
    c.poly([(0, qy - 40), (w, qy - 64), (w, qy - 60), (0, qy - 36)], (40, 38, 46))
    for t in np.linspace(0.04, 0.96, 7):
        x = w * t
        y = qy - 30 * t
        c.poly([(x - 4, y), (x + 4, y), (x + 3, y - 180), (x - 3, y - 180)], (30, 30, 36))
        c.ellipse((x - 12, y - 200, x + 12, y - 176), (255, 226, 170))
        c.ellipse((x - 50, y - 240, x + 50, y - 136), (255, 200, 120), blur=20, alpha=0.3, mode="add")
        c.poly([(x - 14, y + 2), (x + 14, y + 2), (x + 30, h), (x - 30, h)], (255, 190, 110), blur=20,
               alpha=0.12, mode="add")
    c.poly([(w * 0.5, horizon + 44), (w * 0.66, horizon + 44), (w * 0.675, horizon + 20), (w * 0.49, horizon + 20)],
           (22, 22, 30))
    c.poly([(w * 0.6, horizon + 20), (w * 0.65, horizon + 20), (w * 0.645, horizon - 10), (w * 0.605, horizon - 10)],
           (210, 206, 200))
    for k in range(8):
        x = w * 0.607 + k * 11
        c.poly([(x, horizon - 2), (x + 5, horizon - 2), (x + 5, horizon + 4), (x, horizon + 4)], (255, 220, 160))
    c.poly([(w * 0.49, horizon + 46), (w * 0.68, horizon + 46), (w * 0.68, horizon + 60), (w * 0.49, horizon + 60)],
           (255, 200, 140), blur=6, alpha=0.12, mode="add")
    return c.finish(rng, blur=1.0, grain=0.03, vignette=0.4, exposure=1.0)


# --------------------------------------------------------------------------------------
# (c) Qingdao: the signing table
# --------------------------------------------------------------------------------------

def signing_table(w=2400, h=1600, seed=2020):
    rng = np.random.default_rng(seed)
    c = Canvas(w, h)
    # the backdrop: a blue panel with a lighter band and out-of-focus lettering
    c.a[:] = np.broadcast_to(vgrad((34, 70, 130), (22, 46, 92), 0, h * 0.6)(
        np.arange(h, dtype=np.float32)[:, None], np.arange(w, dtype=np.float32)[None, :]), (h, w, 3))
    c.poly([(0, h * 0.16), (w, h * 0.16), (w, h * 0.3), (0, h * 0.3)], (90, 140, 200), blur=30, alpha=0.5)
    for i, (x0, x1) in enumerate([(0.2, 0.8), (0.3, 0.7)]):
        y = h * (0.19 + 0.06 * i)
        for k in range(int(rng.integers(9, 16))):
            xa = w * (x0 + (x1 - x0) * k / 15)
            c.poly([(xa, y), (xa + w * 0.028, y), (xa + w * 0.028, y + h * 0.035 / (i + 1)), (xa, y + h * 0.035 / (i + 1))],
                   (236, 240, 250), blur=14, alpha=0.8)
    # a soft key light from the upper left on the backdrop
    yy = np.arange(h, dtype=np.float32)[:, None] / h
    xx = np.arange(w, dtype=np.float32)[None, :] / w
    c.a *= (0.75 + 0.45 * np.exp(-(((xx - 0.35) / 0.5) ** 2 + ((yy - 0.2) / 0.6) ** 2)))[..., None]
    # flowers in the middle, behind the table (blurred, far)
    for k in range(160):
        x = w * (0.5 + rng.normal(0, 0.045))
        y = h * (0.52 + rng.normal(0, 0.03))
        r = rng.uniform(14, 30)
        col = [(230, 70, 80), (250, 240, 230), (246, 190, 60), (240, 120, 150)][int(rng.integers(0, 4))]
        if rng.random() < 0.3:
            col = (50, 110, 50)
        c.ellipse((x - r, y - r, x + r, y + r), col, blur=7)
    # the table: a draped cloth, seen slightly from above
    ty = h * 0.58
    cloth = textured(vgrad((236, 234, 226), (200, 196, 188), ty, h), rng, 0.03, scale=5, streak="v")
    c.poly([(-50, ty), (w + 50, ty), (w + 50, h), (-50, h)], cloth)
    for k in range(14):  # folds of the drape in the front
        x = w * (k + rng.uniform(0.2, 0.8)) / 14
        c.poly([(x - 10, h * 0.72), (x + 10, h * 0.72), (x + 40, h), (x - 30, h)], (0, 0, 0), blur=18, alpha=0.08,
               mode="multiply")
    c.poly([(-50, ty + h * 0.12), (w + 50, ty + h * 0.12), (w + 50, ty + h * 0.13), (-50, ty + h * 0.13)],
           (0, 0, 0), blur=6, alpha=0.25, mode="multiply")  # the edge of the table top
    c.poly([(-50, ty - 6), (w + 50, ty - 6), (w + 50, ty + 14), (-50, ty + 14)], (0, 0, 0), blur=8, alpha=0.2,
           mode="multiply")
    # two folders open on the table, a document and a pen on each
    for cx_, col in ((0.27, (110, 26, 30)), (0.73, (24, 46, 96))):
        x0, x1 = w * (cx_ - 0.17), w * (cx_ + 0.17)
        y0, y1 = ty + h * 0.03, ty + h * 0.115
        shadow = [(x0 - 10, y0 + 14), (x1 + 30, y0 + 14), (x1 + 60, y1 + 34), (x0 - 30, y1 + 34)]
        c.poly(shadow, (0, 0, 0), blur=16, alpha=0.35, mode="multiply")
        outer = [(x0, y0), (x1, y0), (x1 + 30, y1), (x0 - 30, y1)]
        c.poly(outer, textured(vgrad(mix(col, (255, 255, 255), 0.12), col, y0, y1), rng, 0.05, scale=2))
        mid = (x0 + x1) / 2
        for a, b in ((x0 + 18, mid - 6), (mid + 6, x1 - 18)):  # the pages
            c.poly([(a, y0 + 10), (b, y0 + 10), (b + 8, y1 - 8), (a - 20, y1 - 8)],
                   vgrad((252, 252, 248), (232, 230, 224), y0, y1))
            for line in range(7):
                ly = y0 + 26 + line * (y1 - y0 - 40) / 7
                la, lb = a + 20 - line * 2, b - 20 - (60 if line == 6 else 0)
                c.poly([(la, ly), (lb, ly), (lb, ly + 3), (la, ly + 3)], (120, 120, 130), alpha=0.45)
        c.poly([(mid - 4, y0 + 8), (mid + 4, y0 + 8), (mid + 5, y1 - 6), (mid - 5, y1 - 6)], (0, 0, 0), blur=4,
               alpha=0.25, mode="multiply")
        # the pen: a dark barrel with a gold clip, lying across the right-hand page
        px, py = mid + (x1 - mid) * 0.45, y1 - 10
        ang = -0.5
        L = w * 0.09
        ex, ey = px + L * math.cos(ang), py + L * math.sin(ang) * 0.5
        nx, ny = -math.sin(ang) * 7, math.cos(ang) * 7
        c.poly([(px + nx + 6, py + ny + 10), (ex + nx + 6, ey + ny + 10), (ex - nx + 6, ey - ny + 10),
                (px - nx + 6, py - ny + 10)], (0, 0, 0), blur=6, alpha=0.35, mode="multiply")
        c.poly([(px + nx, py + ny), (ex + nx, ey + ny), (ex - nx, ey - ny), (px - nx, py - ny)], (18, 18, 22))
        c.poly([(px + nx * 0.3, py + ny * 0.3), (ex + nx * 0.3, ey + ny * 0.3), (ex, ey), (px, py)],
               (120, 120, 130), alpha=0.6)
        gx, gy = px + (ex - px) * 0.75, py + (ey - py) * 0.75
        c.poly([(gx, gy - 8), (gx + 24, gy - 20), (gx + 26, gy - 16), (gx + 2, gy - 4)], (214, 176, 90))
    # two desk flags on a small stand in the middle (stylised colour blocks)
    sx, sy = w * 0.5, ty + h * 0.06
    c.ellipse((sx - 60, sy - 10, sx + 60, sy + 14), (0, 0, 0), blur=8, alpha=0.35, mode="multiply")
    c.ellipse((sx - 46, sy - 12, sx + 46, sy + 6), (170, 140, 70))
    for side, col in ((-1, (206, 30, 36)), (1, (96, 172, 222))):
        top = sy - h * 0.3
        px = sx + side * 16
        c.poly([(px - 4, sy), (px + 4, sy), (px + 4 + side * 8, top), (px - 4 + side * 8, top)], (196, 166, 84))
        c.ellipse((px + side * 8 - 9, top - 14, px + side * 8 + 9, top + 4), (220, 190, 100))
        fx = px + side * 12
        fy = top + 8
        fw, fh = 250, 165
        c.poly([(fx + side * 10, fy + 14), (fx + side * (fw + 20), fy + 24), (fx + side * (fw + 20), fy + fh + 24),
                (fx + side * 10, fy + fh + 14)], (0, 0, 0), blur=14, alpha=0.3, mode="multiply")
        c.poly([(fx, fy), (fx + side * fw, fy + 8), (fx + side * fw, fy + fh + 8), (fx, fy + fh)],
               textured(hgrad(col, mix(col, (0, 0, 0), 0.25), fx, fx + side * fw), rng, 0.08, scale=2, streak="v"))
        if side < 0:  # a yellow block in the corner of the red flag
            c.poly([(fx - 20, fy + 18), (fx - 70, fy + 20), (fx - 70, fy + 70), (fx - 20, fy + 68)], (246, 206, 44))
        else:  # a pale roundel on the light blue one
            rx_, ry_ = fx + fw * 0.5, fy + fh * 0.5 + 4
            c.ellipse((rx_ - 46, ry_ - 46, rx_ + 46, ry_ + 46), (236, 240, 236))
            c.ellipse((rx_ - 36, ry_ - 36, rx_ + 36, ry_ + 36), (60, 150, 90), alpha=0.6)
    # a little foreground blur at the bottom: the lens focused on the folders
    img = c.finish(rng, blur=0.9, grain=0.022, vignette=0.35, exposure=1.08)
    bottom = img.crop((0, int(h * 0.86), w, h)).filter(ImageFilter.GaussianBlur(3))
    img.paste(bottom, (0, int(h * 0.86)))
    return img


# --------------------------------------------------------------------------------------
# (b') Qingdao's seafront by day
# --------------------------------------------------------------------------------------

def coast_day(w=2400, h=1350, seed=3607):
    rng = np.random.default_rng(seed)
    c = Canvas(w, h)
    horizon = int(h * 0.5)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    c.a[:] = np.broadcast_to(vgrad((92, 146, 210), (200, 222, 238), 0, horizon)(ys, xs), (h, w, 3))
    n = fractal_noise(rng, w, h, ((8, 1.0), (32, 0.5), (128, 0.25)))
    n = np.asarray(Image.fromarray(n, "F").resize((w // 3, h)).resize((w, h), Image.BICUBIC))
    cloud = np.clip((n - 0.3) * 1.2, 0, 1) * np.clip(1 - ys / horizon, 0, 1)
    c.a = c.a * (1 - cloud[..., None]) + cloud[..., None] * np.array([0.97, 0.97, 0.98], np.float32)
    # distant headland and the city on it
    xs_ = np.linspace(0, 1, 50)
    prof = np.cumsum(rng.normal(0, 1, 50))
    prof = (prof - prof.min()) / (np.ptp(prof) + 1e-6)
    c.poly([(x * w, horizon - 30 - 90 * p) for x, p in zip(xs_, prof)] + [(w, horizon), (0, horizon)],
           (120, 140, 150), blur=1.5)
    for k in range(70):
        x = rng.uniform(0.0, 1.0) * w
        bw, bh = rng.uniform(30, 90), rng.uniform(30, 260)
        if rng.random() < 0.15:
            bh *= 1.5
        col = mix((150, 160, 170), (220, 222, 225), rng.random())
        c.poly([(x, horizon), (x + bw, horizon), (x + bw, horizon - bh), (x, horizon - bh)],
               hgrad(col, mix(col, (110, 120, 135), 0.4), x, x + bw))
    # old town: red roofs on the near shore
    shore = int(h * 0.74)
    c.poly([(w * 0.55, shore - 80), (w, shore - 140), (w, h), (w * 0.5, h)], (110, 120, 80))
    for k in range(50):
        x = w * rng.uniform(0.56, 1.0)
        y = shore - 60 - (x - w * 0.55) / (w * 0.45) * 80 + rng.uniform(0, 150)
        bw = rng.uniform(50, 110)
        c.poly([(x, y), (x + bw, y), (x + bw, y + 50), (x, y + 50)], (232, 222, 200))
        c.poly([(x - 8, y), (x + bw + 8, y), (x + bw / 2, y - 34)], (186, 70, 48))
        c.poly([(x + bw / 2, y - 34), (x + bw + 8, y), (x + bw / 2, y)], (0, 0, 0), alpha=0.15, mode="multiply")
    for k in range(40):  # trees
        x, y = w * rng.uniform(0.56, 1.0), shore - 20 + rng.uniform(0, 220)
        r = rng.uniform(20, 50)
        c.ellipse((x - r, y - r, x + r, y + r), (52, 90, 50), blur=2)
    # the sea with glitter
    sea = np.zeros((h - horizon, w, 3), np.float32)
    d = (np.arange(h - horizon, dtype=np.float32) / (h - horizon))[:, None, None]
    sea[:] = np.array([0.36, 0.55, 0.66], np.float32) * (1 - d) + np.array([0.12, 0.30, 0.40], np.float32) * d
    rip = fractal_noise(rng, w, h - horizon, ((60, 1.0), (300, 0.6), (1200, 0.4)))
    rip = np.asarray(Image.fromarray(rip, "F").resize((w // 10, h - horizon)).resize((w, h - horizon), Image.BICUBIC))
    sea *= (1 + 0.1 * rip)[..., None]
    sea += (np.clip(rip - 1.6, 0, 1) * 0.7)[..., None]
    mask = np.zeros((h, w), bool)
    mask[horizon:] = True
    land = c.a[horizon:].copy()
    keep = (land.sum(axis=2) > 0.0) & (np.arange(w)[None, :] > w * 0.5) & \
        (np.arange(horizon, h)[:, None] > shore - 140)
    c.a[horizon:] = np.where(keep[..., None] & (c.a[horizon:, :, 1] < 0.5)[..., None], land, sea)
    # redraw the near shore over the sea
    c.poly([(w * 0.58, shore - 60), (w, shore - 130), (w, h), (w * 0.52, h)],
           textured((120, 128, 86), rng, 0.12, scale=3))
    rng2 = np.random.default_rng(seed + 1)
    for k in range(60):
        x = w * rng2.uniform(0.6, 1.0)
        y = shore - 40 - (x - w * 0.58) / (w * 0.42) * 80 + rng2.uniform(0, 200)
        bw = rng2.uniform(50, 110)
        c.poly([(x + 6, y + 56), (x + bw + 30, y + 56), (x + bw + 20, y + 64), (x, y + 64)], (0, 0, 0), blur=5,
               alpha=0.3, mode="multiply")
        c.poly([(x, y), (x + bw, y), (x + bw, y + 56), (x, y + 56)], hgrad((240, 232, 212), (206, 196, 178), x, x + bw))
        c.poly([(x - 8, y + 2), (x + bw + 8, y + 2), (x + bw / 2, y - 36)], (190, 72, 48))
        c.poly([(x + bw / 2, y - 36), (x + bw + 8, y + 2), (x + bw / 2, y + 2)], (0, 0, 0), alpha=0.18, mode="multiply")
    for k in range(50):
        x, y = w * rng2.uniform(0.6, 1.0), shore + rng2.uniform(-40, 240)
        r = rng2.uniform(20, 56)
        c.ellipse((x - r, y - r, x + r, y + r), (46, 84, 46), blur=2)
        c.ellipse((x - r * 0.8, y - r, x + r * 0.2, y), (120, 150, 80), blur=4, alpha=0.4)
    # the long pier with a pavilion at its end
    c.poly([(w * 0.05, h), (w * 0.14, h), (w * 0.34, horizon + 40), (w * 0.325, horizon + 40)], (196, 188, 170))
    c.poly([(w * 0.14, h), (w * 0.15, h), (w * 0.342, horizon + 40), (w * 0.34, horizon + 40)], (90, 90, 86))
    px, py = w * 0.333, horizon + 40
    c.poly([(px - 60, py), (px + 60, py), (px + 50, py - 40), (px - 50, py - 40)], (230, 226, 214))
    c.poly([(px - 80, py - 40), (px + 80, py - 40), (px, py - 90)], (60, 110, 90))
    c.poly([(px - 80, py + 2), (px + 80, py + 2), (px + 70, py + 20), (px - 70, py + 20)], (0, 0, 0), blur=6,
           alpha=0.3, mode="multiply")
    return c.finish(rng, blur=0.9, grain=0.018, vignette=0.25, exposure=1.05)


# --------------------------------------------------------------------------------------
# (d) Portraits: head-and-shoulders silhouettes, no face
# --------------------------------------------------------------------------------------

def portrait(seed, backdrop, suit, tie, skin, hair, w=2000, h=2500):
    rng = np.random.default_rng(seed)
    c = Canvas(w, h)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    # mottled studio backdrop, lit behind the subject
    r = np.sqrt(((xs - w * 0.55) / w) ** 2 + ((ys - h * 0.35) / h) ** 2)
    b0, b1 = np.array(backdrop[0], np.float32) / 255, np.array(backdrop[1], np.float32) / 255
    t = np.clip(r / 0.7, 0, 1)[..., None]
    c.a[:] = b0 * (1 - t) + b1 * t
    c.a *= (1 + 0.06 * fractal_noise(rng, w, h, ((4, 1.0), (12, 0.5))))[..., None]
    cx = w * 0.5
    # shoulders and suit
    sh_y = h * 0.66
    body = [(cx - w * 0.46, h), (cx - w * 0.44, sh_y + h * 0.12), (cx - w * 0.34, sh_y + h * 0.02),
            (cx - w * 0.12, sh_y - h * 0.03), (cx + w * 0.12, sh_y - h * 0.03), (cx + w * 0.34, sh_y + h * 0.02),
            (cx + w * 0.44, sh_y + h * 0.12), (cx + w * 0.46, h)]
    c.poly([(x + 40, y + 20) for x, y in body], (0, 0, 0), blur=40, alpha=0.35, mode="multiply")
    c.poly(body, hgrad(mix(suit, (255, 255, 255), 0.12), mix(suit, (0, 0, 0), 0.35), cx - w * 0.46, cx + w * 0.46),
           blur=5)
    # shirt, collar and tie
    c.poly([(cx - w * 0.1, sh_y - h * 0.035), (cx + w * 0.1, sh_y - h * 0.035), (cx, h * 0.93)],
           vgrad((246, 246, 244), (214, 216, 220), sh_y, h))
    c.poly([(cx - w * 0.03, sh_y + h * 0.005), (cx + w * 0.03, sh_y + h * 0.005), (cx + w * 0.045, h * 0.86),
            (cx, h * 0.9), (cx - w * 0.045, h * 0.86)], textured(tie, rng, 0.15, scale=3))
    c.poly([(cx - w * 0.035, sh_y - h * 0.03), (cx + w * 0.035, sh_y - h * 0.03), (cx + w * 0.025, sh_y + h * 0.01),
            (cx - w * 0.025, sh_y + h * 0.01)], mix(tie, (0, 0, 0), 0.2))
    for side in (-1, 1):  # lapels
        c.poly([(cx + side * w * 0.11, sh_y - h * 0.035), (cx + side * w * 0.05, h * 0.95),
                (cx + side * w * 0.2, sh_y + h * 0.12)], mix(suit, (0, 0, 0), 0.15 if side < 0 else 0.3))
    # neck and head: a shaded oval, lit from the left (a key light), no features
    c.poly([(cx - w * 0.075, h * 0.5), (cx + w * 0.075, h * 0.5), (cx + w * 0.08, sh_y - h * 0.01),
            (cx - w * 0.08, sh_y - h * 0.01)], hgrad(skin, mix(skin, (0, 0, 0), 0.45), cx - w * 0.08, cx + w * 0.08))
    c.poly([(cx - w * 0.08, sh_y - h * 0.06), (cx + w * 0.08, sh_y - h * 0.06), (cx + w * 0.08, sh_y - h * 0.01),
            (cx - w * 0.08, sh_y - h * 0.01)], (0, 0, 0), blur=20, alpha=0.3, mode="multiply")
    hx, hy, rx, ry = cx, h * 0.44, w * 0.145, h * 0.145
    skin_f = np.array(skin, np.float32) / 255

    def head_shade(yy, xx):
        u = (xx - (hx - rx * 0.45)) / (rx * 1.6)
        v = (yy - (hy - ry * 0.3)) / (ry * 1.8)
        k = np.clip(1.1 - 0.8 * np.sqrt(u * u + v * v), 0.35, 1.1)
        return skin_f * k[..., None]
    c.ellipse((hx - rx, hy - ry, hx + rx, hy + ry), head_shade)
    for side in (-1, 1):  # ears
        c.ellipse((hx + side * rx - w * 0.02, hy - ry * 0.1, hx + side * rx + w * 0.02, hy + ry * 0.25),
                  mix(skin, (0, 0, 0), 0.15 if side < 0 else 0.4))
    # hair: a cap over the top of the head
    c.ellipse((hx - rx * 1.03, hy - ry * 1.06, hx + rx * 1.03, hy + ry * 0.15),
              textured(hair, rng, 0.2, scale=2), blur=3)
    c.ellipse((hx - rx * 0.98, hy - ry * 0.6, hx + rx * 0.98, hy + ry * 0.9), head_shade, blur=6)
    img = c.finish(rng, blur=2.2, grain=0.02, vignette=0.3, exposure=1.02)
    return img


PORTRAITS = {
    "portrait-norov.jpg": dict(seed=11, backdrop=((120, 130, 150), (44, 50, 64)), suit=(40, 44, 58),
                               tie=(120, 30, 40), skin=(214, 178, 150), hair=(120, 116, 112)),
    "portrait-wang.jpg": dict(seed=12, backdrop=((168, 150, 120), (70, 58, 44)), suit=(30, 32, 38),
                              tie=(150, 36, 36), skin=(222, 188, 150), hair=(26, 24, 24)),
    "portrait-jonon.jpg": dict(seed=13, backdrop=((110, 140, 140), (34, 54, 58)), suit=(54, 58, 66),
                               tie=(40, 60, 120), skin=(200, 160, 126), hair=(40, 34, 30)),
}


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def dms(value):
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 2)
    return (float(d), float(m), float(s))


def camera_exif():
    """EXIF as a phone camera writes it, GPS included: the metadata communique strips."""
    exif = Image.Exif()
    exif[0x010F] = "Communique Optics"       # Make (a made-up maker)
    exif[0x0110] = "CQ-20 Pro"               # Model
    exif[0x0131] = "example_photos.py"       # Software
    exif[0x0132] = "2019:04:02 10:14:37"     # DateTime
    exif[0x0112] = 6                         # Orientation: rotate 90° CW to display
    exif[0x8769] = {0x9003: "2019:04:02 10:14:37", 0x9004: "2019:04:02 10:14:37",
                    0x920A: 4.2}  # DateTimeOriginal, DateTimeDigitized, FocalLength
    exif[0x8825] = {0x0000: b"\x02\x03\x00\x00",  # GPSVersionID 2.3
                    0x0001: "N", 0x0002: dms(37.51), 0x0003: "E", 0x0004: dms(122.12),
                    0x0005: b"\x00", 0x0006: 12.0,  # above sea level, 12 m
                    0x001D: "2019:04:02"}
    return exif


def save(img, path, exif=None):
    kw = dict(quality=QUALITY, optimize=True)
    if exif is not None:
        kw["exif"] = exif
    img.save(path, "JPEG", **kw)
    print(f"{path}: {img.size[0]}x{img.size[1]}, {os.path.getsize(path) // 1024} KB", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", help="folder to write the photos into")
    p.add_argument("--only", nargs="*", help="write only these file names")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    want = (lambda name: not args.only or name in args.only)

    if want("weihai-meeting-room.jpg"):
        upright = meeting_room()
        # Orientation 6: the stored pixels are the upright picture turned 90° counter-
        # clockwise; a viewer turns them 90° clockwise to show it upright.
        stored = upright.transpose(Image.Transpose.ROTATE_90)
        path = os.path.join(args.out, "weihai-meeting-room.jpg")
        save(stored, path, camera_exif())
        back = Image.open(path)
        assert back.getexif().get(0x0112) == 6 and back.getexif().get_ifd(0x8825).get(2) == dms(37.51)
        assert ImageOps.exif_transpose(back).size == upright.size
    if want("weihai-harbour-dusk.jpg"):
        save(harbour_dusk(), os.path.join(args.out, "weihai-harbour-dusk.jpg"))
    if want("qingdao-signing-table.jpg"):
        save(signing_table(), os.path.join(args.out, "qingdao-signing-table.jpg"))
    if want("qingdao-coast-day.jpg"):
        save(coast_day(), os.path.join(args.out, "qingdao-coast-day.jpg"))
    for name, spec in PORTRAITS.items():
        if want(name):
            save(portrait(**spec), os.path.join(args.out, name))


if __name__ == "__main__":
    main()
