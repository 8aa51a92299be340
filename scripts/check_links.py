#!/usr/bin/env python3
"""Checks that every internal link of a built site names a file of the site.

Usage: check_links.py OUTDIR [--base https://example.org]

Unlike ../shared/bench/site_stats.py, which checks only absolute and root-relative links
(Hugo's), this also resolves page-relative links (`../../people/x/`, communique's), so
the same check runs on every generator's output. Looks at every href="..." and
src="..." of every .html file; a link to a folder must have an index.html in it. Links
with a scheme (https:, mailto:, data:, ...) are external unless they start with --base.
Prints one JSON line and exits 1 when a link is broken.
"""
import argparse
import json
import os
import posixpath
import re
import sys
from urllib.parse import unquote

LINK = re.compile(rb'(?:href|src)="([^"]*)"')
SCHEME = re.compile(rb"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--base", default="https://example.org")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    base = a.base.rstrip("/").encode()
    pages, checked, broken, examples, seen = 0, 0, 0, [], {}
    for root, _, names in os.walk(out):
        for name in names:
            if not name.endswith(".html"):
                continue
            pages += 1
            path = os.path.join(root, name)
            # Site path of the page's folder, "" at the root.
            folder = posixpath.relpath(root, out).replace(os.sep, "/")
            folder = "" if folder == "." else folder
            with open(path, "rb") as f:
                data = f.read()
            for m in LINK.finditer(data):
                link = re.split(rb"[#?]", m.group(1), maxsplit=1)[0]
                if link.startswith(base + b"/") or link == base:
                    target = link[len(base):].lstrip(b"/").decode("utf-8")
                elif link.startswith(b"//") or SCHEME.match(link) or not link and m.group(1):
                    continue  # external, or a fragment/query on the page itself
                elif link.startswith(b"/"):
                    target = link.lstrip(b"/").decode("utf-8")
                else:
                    target = posixpath.normpath(posixpath.join(folder, link.decode("utf-8")))
                    if link.endswith(b"/") or link == b"":
                        target += "/"
                    if target.startswith("../"):
                        target = "\0outside"
                target = unquote(target)
                if target in (".", "./", "/"):
                    target = ""
                ok = seen.get(target)
                if ok is None:
                    file = os.path.join(out, target)
                    if target == "" or target.endswith("/") or os.path.isdir(file):
                        file = os.path.join(file, "index.html")
                    ok = os.path.isfile(file)
                    seen[target] = ok
                checked += 1
                if not ok:
                    broken += 1
                    if len(examples) < 5:
                        examples.append([posixpath.join(folder, name), m.group(1).decode("utf-8", "replace")])
    print(json.dumps({"out": a.out, "html_files": pages, "links_checked": checked,
                      "distinct_targets": len(seen), "broken": broken,
                      "broken_examples": examples}, ensure_ascii=False))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
