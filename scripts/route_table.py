#!/usr/bin/env python3
"""Prints the route table of brokercrm as Markdown: every operation of /openapi.json with the
handler that serves it, the use case it calls and the repository files that use case reads.

Usage: scripts/route_table.py [URL-or-openapi.json] > table.md
       (default http://127.0.0.1:8080; run from the repository root)

Handlers are found from their `#[utoipa::path(...)]` attribute (method and path) in
crates/http/src; the use case is the first `brokercrm_app` function the handler calls; the
repository files are the `brokercrm_store::repo` modules that use case calls. It is a static
reading of the source: a call made through a trait object or a closure is not followed.
"""
import json
import os
import re
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = {
    "brokercrm_app": "crates/app/src",
    "brokercrm_store": "crates/store/src",
    "brokercrm_http": "crates/http/src",
}
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def load_doc(src):
    if src.startswith("http://") or src.startswith("https://"):
        return json.load(urllib.request.urlopen(f"{src.rstrip('/')}/openapi.json"))
    with open(src) as f:
        return json.load(f)


def module_file(crate_dir, segs):
    """The file of module `segs` in a crate, or None."""
    base = os.path.join(ROOT, crate_dir, *segs)
    for cand in (base + ".rs", os.path.join(base, "mod.rs")):
        if os.path.isfile(cand):
            return cand
    return None


def module_of(path, crate_dir):
    rel = os.path.relpath(path, os.path.join(ROOT, crate_dir))[:-3].split("/")
    if rel[-1] in ("mod", "lib"):
        rel = rel[:-1]
    return rel


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def flatten_use(tree):
    """`a::{b, c::{d as e}}` -> [(['a','b'], 'b'), (['a','c','d'], 'e')]."""
    tree = re.sub(r"\s+", " ", tree)
    tree = re.sub(r"\s*(::|\{|\}|,)\s*", r"\1", tree).strip()
    out = []

    def walk(prefix, t):
        depth, parts, cur = 0, [], ""
        for ch in t:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        for p in parts:
            m = re.match(r"^(.*?)::\{(.*)\}$", p)
            if m:
                walk(prefix + m.group(1).split("::"), m.group(2))
            elif p.startswith("{") and p.endswith("}"):
                walk(prefix, p[1:-1])
            else:
                alias = None
                m_as = re.match(r"^(.*) as (" + IDENT + r")$", p)
                if m_as:
                    p, alias = m_as.groups()
                segs = prefix + [s for s in p.split("::") if s]
                if segs and segs[-1] == "self":
                    segs = segs[:-1]
                if segs and segs[-1] != "*":
                    out.append((segs, alias or segs[-1]))

    walk([], tree)
    return out


def imports(text, crate_name, own_dir, own_mod):
    """alias -> (crate dir, module/item path) for `use` items of `crate_name` (or `crate::`)."""
    out = {}
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        for segs, alias in flatten_use(m.group(1)):
            if segs[0] == crate_name:
                out[alias] = (CRATES[crate_name], segs[1:])
            elif segs[0] == "crate" and own_dir == CRATES.get(crate_name):
                out[alias] = (own_dir, segs[1:])
            elif segs[0] == "super" and own_dir == CRATES.get(crate_name):
                up = 0
                while up < len(segs) and segs[up] == "super":
                    up += 1
                out[alias] = (own_dir, own_mod[: len(own_mod) - up] + segs[up:])
    return out


def fn_body(text, name):
    """The text of `fn name` (signature and body), or None."""
    m = re.search(r"\bfn\s+" + re.escape(name) + r"\b", text)
    if not m:
        return None
    i = text.find("{", m.end())
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[m.start() : j + 1]
    return text[m.start() :]


def resolve_fn(crate_dir, segs):
    """(file, fn name) for a function path `module::...::fn`, following `pub use` re-exports."""
    for cut in range(len(segs) - 1, -1, -1):
        mod, rest = segs[:cut], segs[cut:]
        f = module_file(crate_dir, mod)
        if not f or len(rest) != 1:
            continue
        text = open(f).read()
        if fn_body(text, rest[0]):
            return f, rest[0]
        for um in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
            for useg, alias in flatten_use(um.group(1)):
                if alias == rest[0]:
                    base = mod if useg[0] not in ("crate", "super") else []
                    target = useg[1:] if useg[0] == "crate" else base + useg
                    return resolve_fn(crate_dir, target)
    return None


def calls(body, imp):
    """Paths of calls `alias::x::f(` / `alias(` in body through the import map."""
    found = []
    for m in re.finditer(r"\b((?:" + IDENT + r"::)*" + IDENT + r")\s*(?:::<[^>]*>)?\(", body):
        segs = m.group(1).split("::")
        if segs[0] in imp:
            crate_dir, base = imp[segs[0]]
            found.append((crate_dir, base + segs[1:]))
        elif segs[0] in CRATES and len(segs) > 1:
            found.append((CRATES[segs[0]], segs[1:]))
    return found


def rel(path):
    return os.path.relpath(path, os.path.join(ROOT, "crates"))


def use_case_and_repos(handler_file, handler_fn):
    text = strip_comments(open(handler_file).read())
    body = fn_body(text, handler_fn) or ""
    imp = imports(text, "brokercrm_app", None, [])
    http_imp = imports(text, "brokercrm_http", CRATES["brokercrm_http"], module_of(handler_file, CRATES["brokercrm_http"]))
    first = None
    # a handler may delegate to a local helper (one level is followed)
    for ln in re.finditer(r"\b(" + IDENT + r")\s*\(", body):
        local = fn_body(text, ln.group(1))
        if local and ln.group(1) != handler_fn:
            body += local
    for crate_dir, segs in calls(body, imp):
        if crate_dir != CRATES["brokercrm_app"]:
            continue
        hit = resolve_fn(crate_dir, segs)
        if not hit:
            continue
        f, name = hit
        utext = strip_comments(open(f).read())
        ubody = fn_body(utext, name) or ""
        uimp = imports(utext, "brokercrm_store", None, [])
        aimp = imports(utext, "brokercrm_app", CRATES["brokercrm_app"], module_of(f, CRATES["brokercrm_app"]))
        repos = []
        pending = [(ubody, uimp)]
        # follow one level of calls inside the app crate (private helpers of the use case)
        for crate_dir2, segs2 in calls(ubody, aimp):
            h2 = resolve_fn(crate_dir2, segs2)
            if h2:
                t2 = strip_comments(open(h2[0]).read())
                pending.append((fn_body(t2, h2[1]) or "", imports(t2, "brokercrm_store", None, [])))
        for ln in re.finditer(r"\b(" + IDENT + r")\(", ubody):
            b2 = fn_body(utext, ln.group(1))
            if b2 and ln.group(1) != name:
                pending.append((b2, uimp))
        for b, im in pending:
            for crate_dir3, segs3 in calls(b, im):
                if crate_dir3 != CRATES["brokercrm_store"]:
                    continue
                h3 = resolve_fn(crate_dir3, segs3)
                if h3 and "/repo/" in h3[0] and rel(h3[0]) not in repos:
                    repos.append(rel(h3[0]))
        # a guard (rate limit, permission) reads nothing: prefer the call that reaches the store
        if repos:
            return f"{rel(f)}::{name}", repos
        first = first or (f"{rel(f)}::{name}", repos)
    del http_imp
    return first or ("", [])


def handlers():
    """(METHOD, path) -> (file, fn) from the utoipa attributes in crates/http/src."""
    out = {}
    base = os.path.join(ROOT, CRATES["brokercrm_http"])
    for d, _, fs in os.walk(base):
        for fname in fs:
            if not fname.endswith(".rs"):
                continue
            path = os.path.join(d, fname)
            text = open(path).read()
            for m in re.finditer(r"#\[utoipa::path\(\s*(\w+)\s*,(.*?)\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?async\s+fn\s+(\w+)", text, re.S):
                pm = re.search(r'\bpath\s*=\s*"([^"]+)"', m.group(2))
                if pm:
                    out[(m.group(1).upper(), pm.group(1))] = (path, m.group(3))
    return out


def main():
    doc = load_doc(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
    found = handlers()
    rows = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            auth = "bearer" if op.get("security") else "public"
            h = found.get((method.upper(), path))
            handler, use_case, repos = "", "", []
            if h:
                handler = f"{rel(h[0])}::{h[1]}"
                use_case, repos = use_case_and_repos(*h)
            rows.append((op.get("tags", ["-"])[0], op.get("summary", ""), method.upper(), path, auth,
                         handler, use_case, "<br>".join(repos)))
    rows.sort(key=lambda r: (r[0], r[3], r[2]))
    print("| tag | operation (seed title) | method | path | auth | handler (`crates/`) | use case | repository |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        tag, summary, method, path, auth, handler, use_case, repos = r
        print(f"| {tag} | {summary} | {method} | `{path}` | {auth} | `{handler}` | "
              + (f"`{use_case}`" if use_case else "—") + " | " + (repos or "—") + " |")


main()
