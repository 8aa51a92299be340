#!/usr/bin/env python3
"""The house measured: function sizes, module dependency cycles and the size of serve.

    scripts/house.py            # prints a Markdown report on stdout

Standard library only; reads src/ of the checkout this script lives in, builds nothing.
docs/architecture.md holds the latest figures, dated.

Function sizes. Each file is lexed (comments, strings, raw strings and char literals are
blanked, so braces inside them do not count) and every item following `#[cfg(test)]` (the
`mod tests { .. }` blocks) is dropped. For each `fn NAME` with a body, the length is the
line of its closing brace minus the line of the `fn` keyword plus one: the signature is
counted, attributes and doc comments are not. A nested fn counts on its own and inside
its parent; closures are not functions. (The same rules as the team's fnsize tool, so the
figures agree.)

Module dependencies. The module tree is read from the `mod NAME;` declarations of the two
crate roots, src/lib.rs (the library) and src/main.rs (the binary: cli and cmd). In every
file, `use` trees and the paths in code (`crate::a::b`, `super::x`, `self::y`, and bare
paths starting with a child module or a name a `use` brought in) are resolved to the file
of the module that defines the item, following `use` re-exports (`crate::Output` is
`render::Output`). A path naming only a module (`use crate::render;`) is no dependency
by itself; its uses are. A cycle is a strongly connected component of that graph: A uses
B and B, directly or not, uses A. It is shown at the level of files and of top-level
modules (`load`, `model`, `render`, ...; the library's root src/lib.rs is `lib`).
"""
import datetime
import os
import re
import statistics
import subprocess
import sys

LONG = 60
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


# ---- lexing ---------------------------------------------------------------------------

def blank(src):
    """`src` with comments, strings and char literals turned into spaces (newlines kept)."""
    out = list(src)
    i, n = 0, len(src)

    def wipe(a, b):
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            wipe(i, j)
            i = j
        elif re.match(r'b?r#*"', src[i:i + 40]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'b?r(#*)"', src[i:])
            close = '"' + m.group(1)
            j = src.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
            wipe(i, j)
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            wipe(i, j + 1)
            i = j + 1
        elif c == "'":
            if src.startswith("\\", i + 1):
                j = src.find("'", i + 2)
                while src[j - 1] == "\\" and src[j - 2] != "\\" and j - i < 4:
                    j = src.find("'", j + 1)
                wipe(i, j + 1)
                i = j + 1
            elif i + 2 < n and src[i + 2] == "'":
                wipe(i, i + 3)
                i += 3
            else:
                i += 1  # a lifetime
        else:
            i += 1
    return "".join(out)


def match_brace(s, i):
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced braces")


def strip_tests(s):
    """Blanks the item after each `#[cfg(test)]`."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]", s)
        if not m:
            return s
        br, sc = s.find("{", m.end()), s.find(";", m.end())
        end = sc if sc != -1 and (br == -1 or sc < br) else match_brace(s, br)
        s = s[:m.start()] + re.sub(r"[^\n]", " ", s[m.start():end + 1]) + s[end + 1:]


def code_of(path):
    with open(path, encoding="utf-8") as f:
        return strip_tests(blank(f.read()))


def line_of(s, pos):
    return s.count("\n", 0, pos) + 1


# ---- function sizes -------------------------------------------------------------------

def functions(path, s):
    found = []
    for m in re.finditer(r"\bfn\s+(" + IDENT + ")", s):
        br, sc = s.find("{", m.end()), s.find(";", m.end())
        if br == -1 or (sc != -1 and sc < br):
            continue  # a declaration without a body
        first, last = line_of(s, m.start()), line_of(s, match_brace(s, br))
        found.append((path, first, m.group(1), last - first + 1))
    return found


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


# ---- the module tree --------------------------------------------------------------------

class Module:
    def __init__(self, crate, path, file):
        self.crate = crate        # "lib" or "bin"
        self.path = path          # ("render", "search"); () for a crate root
        self.file = file          # "src/render/search.rs"
        self.children = {}        # name -> Module
        self.bindings = {}        # name -> absolute path (tuple) brought in by `use`
        self.code = ""


def module_file(parent_file, name):
    base = os.path.dirname(parent_file)
    if not parent_file.endswith(("mod.rs", "lib.rs", "main.rs")):
        base = os.path.join(base, os.path.basename(parent_file)[:-3])
    for candidate in (os.path.join(base, name + ".rs"), os.path.join(base, name, "mod.rs")):
        if os.path.exists(candidate):
            return candidate
    return None


def load_tree(crate, root_file):
    root = Module(crate, (), root_file)
    stack = [root]
    while stack:
        module = stack.pop()
        module.code = code_of(module.file)
        for m in re.finditer(r"\bmod\s+(" + IDENT + r")\s*;", module.code):
            file = module_file(module.file, m.group(1))
            if file:
                child = Module(crate, module.path + (m.group(1),), file)
                module.children[m.group(1)] = child
                stack.append(child)
    return root


def all_modules(root):
    out, stack = [], [root]
    while stack:
        m = stack.pop()
        out.append(m)
        stack.extend(m.children.values())
    return out


# ---- paths --------------------------------------------------------------------------------

def use_tree(text, prefix=()):
    """Flattens a `use` tree into (absolute-or-relative path, bound name or None) pairs."""
    text = text.strip()
    if text.startswith("::"):
        text = text[2:]
    brace = text.find("{")
    if brace == -1:
        m = re.match(r"(.*?)\s+as\s+(" + IDENT + r")$", text)
        path_text, alias = (m.group(1), m.group(2)) if m else (text, None)
        segments = tuple(x.strip() for x in path_text.split("::") if x.strip())
        full = prefix + segments
        if not full or full[-1] == "*":
            return [(full[:-1], None)] if full else []
        name = alias or (full[-1] if full[-1] != "self" else full[-2] if len(full) > 1 else None)
        if full[-1] == "self":
            full = full[:-1]
        return [(full, name if name != "_" else None)]
    head = tuple(x.strip() for x in text[:brace].split("::") if x.strip())
    inner = text[brace + 1:text.rfind("}")]
    parts, depth, start = [], 0, 0
    for i, c in enumerate(inner):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    out = []
    for part in parts:
        if part.strip():
            out += use_tree(part, prefix + head)
    return out


def absolute(module, segments, roots):
    """The absolute path of `segments` written in `module`, or None for another crate."""
    if not segments:
        return None
    first = segments[0]
    if first == "crate":
        return segments[1:]
    if first == "self":
        return module.path + segments[1:]
    if first == "super":
        base = module.path
        while segments and segments[0] == "super":
            base, segments = base[:-1], segments[1:]
        return base + segments
    if first in module.children:
        return module.path + segments
    if first in module.bindings:
        return module.bindings[first] + segments[1:]
    return None


def resolve(root, path, depth=0):
    """The module that defines the item `path` names, and whether the path names a module."""
    module = root
    for i, seg in enumerate(path):
        if seg in module.children:
            module = module.children[seg]
        elif seg in module.bindings and depth < 16 and module.bindings[seg] != module.path + (seg,):
            return resolve(root, module.bindings[seg] + path[i + 1:], depth + 1)
        else:
            return module, False
    return module, True


def dependencies(module, root):
    """(target file, line) for every use of another module's item in `module`."""
    s = module.code
    deps = []
    uses = []
    for m in re.finditer(r"\buse\s+([^;]+);", s):
        for segments, name in use_tree(m.group(1)):
            full = absolute(module, segments, None)
            if full is not None:
                uses.append((full, line_of(s, m.start())))
                if name:
                    module.bindings[name] = full
    for full, line in uses:
        target, is_module = resolve(root, full)
        if not is_module:
            deps.append((target.file, line))
    rest = re.sub(r"\buse\s+[^;]+;", lambda m: re.sub(r"[^\n]", " ", m.group(0)), s)
    pattern = r"(?<![A-Za-z0-9_:])((?:" + IDENT + r"\s*::\s*)+" + IDENT + ")"
    for m in re.finditer(pattern, rest):
        segments = tuple(x.strip() for x in m.group(1).split("::"))
        full = absolute(module, segments, None)
        if full is None:
            continue
        target, is_module = resolve(root, full)
        if not is_module:
            deps.append((target.file, line_of(s, m.start())))
    return [(f, line) for f, line in deps if f != module.file]


def bind_all(modules):
    """Fills every module's `use` bindings first, so re-exports resolve in any order."""
    for module in modules:
        for m in re.finditer(r"\buse\s+([^;]+);", module.code):
            for segments, name in use_tree(m.group(1)):
                full = absolute(module, segments, None)
                if full is not None and name:
                    module.bindings[name] = full


def strongly_connected(graph):
    """Tarjan's algorithm: the components with more than one node, each sorted."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def top_level(file):
    parts = file.split("/")
    if len(parts) == 2:
        return {"src/lib.rs": "lib", "src/main.rs": "main"}.get(file, parts[1][:-3])
    return parts[1]


def report_cycles(title, edges):
    graph = {}
    for (a, b) in edges:
        graph.setdefault(a, set()).add(b)
    components = strongly_connected(graph)
    print(f"\n### Cycles between {title}: {len(components)}\n")
    for component in components:
        print(f"- {', '.join(f'`{x}`' for x in component)}:")
        members = set(component)
        for (a, b), where in sorted(edges.items()):
            if a in members and b in members:
                print(f"  - `{a}` → `{b}` ({where})")


# ---- the report ---------------------------------------------------------------------------

def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    print(f"## The house, {datetime.date.today().isoformat()} (commit {commit})\n")

    roots = [load_tree("lib", "src/lib.rs"), load_tree("bin", "src/main.rs")]
    modules = [m for root in roots for m in all_modules(root)]

    fns = [f for m in sorted(modules, key=lambda m: m.file) for f in functions(m.file, m.code)]
    lengths = sorted(f[3] for f in fns)
    long = sorted((f for f in fns if f[3] > LONG), key=lambda f: -f[3])
    print("### Function lengths in src/ (lines, tests left out)\n")
    print("| functions | median | p90 | max | over 60 lines |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(f"| {len(lengths)} | {statistics.median(lengths):g} | {percentile(lengths, 0.9):.0f} "
          f"| {lengths[-1]} | {len(long)} |")
    print(f"\nFunctions over {LONG} lines:\n")
    for path, line, name, n in long:
        print(f"- `{path}:{line}` `{name}`: {n} lines")
    if not long:
        print("- none")

    file_edges, top_edges = {}, {}
    for root in roots:
        bind_all(all_modules(root))
    for root in roots:
        for module in all_modules(root):
            for target, line in dependencies(module, root):
                file_edges.setdefault((module.file, target), f"{module.file}:{line}")
                a, b = top_level(module.file), top_level(target)
                if a != b:
                    top_edges.setdefault((a, b), f"{module.file}:{line}")
    report_cycles("top-level modules", top_edges)
    report_cycles("files", file_edges)

    print("\n### Lines per file in src/serve/\n")
    print("| file | lines |")
    print("| --- | ---: |")
    total = 0
    for name in sorted(os.listdir("src/serve")):
        with open(os.path.join("src/serve", name), encoding="utf-8") as f:
            n = sum(1 for _ in f)
        total += n
        print(f"| `src/serve/{name}` | {n:,} |")
    print(f"| total | {total:,} |")


if __name__ == "__main__":
    main()
