#!/usr/bin/env python3
"""Usage-weighted PyTorch API coverage of SwiftTorch, measured on real single-machine programs.

    python3 scripts/measure-api-coverage.py            # measure, print, rewrite docs/API-COVERAGE.md
    python3 scripts/measure-api-coverage.py --no-write # measure and print only
    python3 scripts/measure-api-coverage.py --json     # also print the result as JSON
    python3 scripts/measure-api-coverage.py --record-torch-names   # needs `import torch`

The measurement itself needs only the Python 3 standard library (`ast`, `json`, `re`). The one
step that imports PyTorch is `--record-torch-names`, which writes
scripts/api-coverage/torch-names.json (the method and attribute names of `torch.Tensor`,
`torch.nn.Module`, `torch.optim.Optimizer`, `LRScheduler` and `Distribution`); the file is kept
in the repository so a measurement runs without PyTorch.

Inputs, all under scripts/api-coverage/:
  programs.json   the programs: name, origin, the files that make up each one
  SOURCES.md      where each file comes from (repository, commit, path, licence)
  programs/       the Python sources themselves (third-party, not committed: .gitignore)
  uses.json       the uses found in them; rewritten when programs/ is complete, read otherwise
  torch-names.json  the recorded PyTorch method / attribute names
  aliases.json    PyTorch names that SwiftTorch spells differently, and the categories
                  (device-specific, multi-process) counted apart

How a use is found and judged is described in docs/API-COVERAGE.md (written by this script).
"""

import argparse
import ast
import collections
import datetime
import io
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "api-coverage")
PROGRAM_DIR = os.path.join(DATA, "programs")
PROGRAMS_JSON = os.path.join(DATA, "programs.json")
NAMES_JSON = os.path.join(DATA, "torch-names.json")
ALIASES_JSON = os.path.join(DATA, "aliases.json")
USES_JSON = os.path.join(DATA, "uses.json")
DOC = os.path.join(ROOT, "docs", "API-COVERAGE.md")
SWIFT_DIRS = [os.path.join(ROOT, "Sources", "Torch"), os.path.join(ROOT, "Sources", "TorchVision")]
DISTRIBUTED_SWIFT_DIRS = [os.path.join(ROOT, "Sources", "TorchDistributed")]

# --------------------------------------------------------------------------------------------
# Recording PyTorch's names (the only step that imports torch)
# --------------------------------------------------------------------------------------------


def record_torch_names():
    import torch  # noqa: deferred on purpose

    def public(cls):
        return sorted(n for n in dir(cls) if not n.startswith("_"))

    tensor = public(torch.Tensor)
    tensor_methods = [n for n in tensor if callable(getattr(torch.Tensor, n, None))]
    tensor_attributes = [n for n in tensor if not callable(getattr(torch.Tensor, n, None))]
    data = {
        "torch_version": torch.__version__,
        "recorded": datetime.date.today().isoformat(),
        "note": "public names of dir(cls); methods are the callable ones. "
                "Written by scripts/measure-api-coverage.py --record-torch-names.",
        "tensor_methods": tensor_methods,
        "tensor_attributes": tensor_attributes,
        "module_methods": [n for n in public(torch.nn.Module)
                           if callable(getattr(torch.nn.Module, n, None))],
        "optimizer_methods": [n for n in public(torch.optim.Optimizer)
                              if callable(getattr(torch.optim.Optimizer, n, None))],
        "lr_scheduler_methods": [n for n in public(torch.optim.lr_scheduler.LRScheduler)
                                 if callable(getattr(torch.optim.lr_scheduler.LRScheduler, n, None))],
        "distribution_methods": [n for n in public(torch.distributions.Distribution)
                                 if callable(getattr(torch.distributions.Distribution, n, None))],
    }
    with open(NAMES_JSON, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(NAMES_JSON, ROOT)} (torch {torch.__version__}): "
          f"{len(tensor_methods)} tensor methods, {len(tensor_attributes)} tensor attributes")


# --------------------------------------------------------------------------------------------
# Finding PyTorch uses in Python source
# --------------------------------------------------------------------------------------------

TORCH_PACKAGES = ("torch", "torchvision")

# Paths that are modules: a bare reference to one is not an API use by itself.
KNOWN_MODULES = {
    "torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.optim.lr_scheduler",
    "torch.utils", "torch.utils.data", "torch.utils.data.distributed", "torch.distributions",
    "torch.nn.init", "torch.nn.utils", "torch.nn.parallel", "torch.nn.modules", "torch.autograd",
    "torch.cuda", "torch.cuda.amp", "torch.amp", "torch.backends", "torch.backends.cudnn",
    "torch.backends.cuda", "torch.backends.mps", "torch.mps", "torch.multiprocessing",
    "torch.distributed", "torch.jit", "torch.onnx", "torch.linalg", "torch.fft", "torch.special",
    "torch.utils.checkpoint", "torch.hub", "torch.functional", "torch.fx", "torch.export",
    "torch.utils.model_zoo", "torch.nn.attention", "torch.types", "torch.testing",
    "torchvision", "torchvision.transforms", "torchvision.transforms.functional",
    "torchvision.transforms.v2", "torchvision.datasets", "torchvision.models", "torchvision.utils",
    "torchvision.io", "torchvision.ops",
}

# Method names shared with Python's own list / dict / str / set / file objects, which real
# programs call on those far more often than on tensors (set.add, str.split, list.index, ...).
# Tensor methods of the same name are therefore not counted (their torch.X forms still are).
AMBIGUOUS_METHODS = {"add", "index", "sort", "split", "values", "count", "copy", "pop",
                     "insert", "remove", "update", "get", "items", "keys", "clear", "extend",
                     "append", "format", "join", "strip", "replace", "find", "read", "write",
                     "close", "open", "reverse", "mode", "name", "real", "imag",
                     # PIL's Image.resize (images are resized with PIL far more than tensors
                     # with the deprecated Tensor.resize)
                     "resize"}

# Receivers that, by their name, are not tensors, modules or optimizers in these programs
# (gym environments, argparse, matplotlib, files, loggers): `env.step()` is not `optimizer.step()`.
NON_TORCH_RECEIVERS = {"env", "parser", "args", "opt_args", "config", "cfg", "plt", "ax", "axes",
                       "fig", "f", "fp", "file", "writer", "logger", "log", "os", "sys", "re",
                       "self_args", "tokenizer", "vocab", "nltk", "coco", "pbar"}

# Attributes that are counted when read or written on anything but `self` (`self.training` is
# counted too): tensor properties (from torch-names.json, minus device probes and internals) and
# a few module / optimizer / data-loader attributes programs use all the time.
EXTRA_ATTRIBUTES = {"training", "weight", "bias", "in_features", "out_features", "param_groups",
                    "dataset"}
SKIPPED_TENSOR_ATTRIBUTES = {"name", "real", "imag", "volatile", "output_nr", "grad_dtype",
                             "itemsize", "nbytes", "layout", "is_quantized", "is_sparse",
                             "is_sparse_csr", "is_nested", "is_meta", "is_mkldnn", "is_vulkan",
                             "is_xla", "is_xpu", "is_ipu", "is_maia", "is_mtia", "H"}


def load_names():
    with open(NAMES_JSON) as f:
        names = json.load(f)
    methods = set()
    for key in ("tensor_methods", "module_methods", "optimizer_methods", "lr_scheduler_methods",
                "distribution_methods"):
        methods |= set(names[key])
    methods = {m for m in methods if not m.startswith("_")} - AMBIGUOUS_METHODS
    attributes = (set(names["tensor_attributes"]) - SKIPPED_TENSOR_ATTRIBUTES) | EXTRA_ATTRIBUTES
    attributes -= AMBIGUOUS_METHODS
    return methods, attributes, names.get("torch_version", "?")


def python_source(path):
    """The source of a .py file, or the code cells of a notebook (magics commented out)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".ipynb"):
        nb = json.loads(text)
        cells = []
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            src = "".join(cell.get("source", []))
            cells.append("\n".join(("# " + l) if l.lstrip().startswith(("%", "!")) else l
                                   for l in src.split("\n")))
        text = "\n\n".join(cells)
    return text


class Use:
    __slots__ = ("kind", "name", "line", "called", "keywords")

    def __init__(self, kind, name, line, called, keywords=()):
        self.kind = kind      # "path" (torch.x.y), "method" (.m()), "attribute" (.a)
        self.name = name      # qualified path, or the bare method / attribute name
        self.line = line
        self.called = called  # used as the callee of a call
        self.keywords = tuple(keywords)  # keyword argument names of that call


class UseFinder:
    """Walks one module's AST and records every PyTorch use, one per site."""

    def __init__(self, tree, methods, attributes):
        self.methods = methods
        self.attributes = attributes
        self.alias = {}       # local name -> qualified torch path
        self.foreign = set()  # local names bound to imports of anything else
        self.shadowed = []    # per enclosing function: imported names it rebinds locally
        self.uses = []
        self._collect_imports(tree)
        self._visit(tree)

    # -- imports ------------------------------------------------------------------------------
    def _collect_imports(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    root = a.name.split(".")[0]
                    if root in TORCH_PACKAGES:
                        if a.asname:
                            self.alias[a.asname] = a.name
                        else:
                            self.alias[root] = root
                    else:
                        self.foreign.add(a.asname or root)
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                root = module.split(".")[0]
                for a in node.names:
                    if a.name == "*":
                        continue
                    local = a.asname or a.name
                    if node.level == 0 and root in TORCH_PACKAGES:
                        self.alias[local] = module + "." + a.name
                    else:
                        self.foreign.add(local)
        for name in self.alias:
            self.foreign.discard(name)

    # -- helpers ------------------------------------------------------------------------------
    def _path(self, node):
        """The qualified torch path of a Name / Attribute chain, or None."""
        if isinstance(node, ast.Name):
            if any(node.id in s for s in self.shadowed):
                return None
            return self.alias.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._path(node.value)
            if base is not None:
                return base + "." + node.attr
        return None

    def _root_name(self, node):
        while isinstance(node, ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def _is_foreign_chain(self, node):
        """A Name / Attribute chain rooted at a non-torch import (np.random, os.path, plt)."""
        cur = node
        while isinstance(cur, ast.Attribute):
            cur = cur.value
        return (isinstance(cur, ast.Name) and cur.id in self.foreign
                and not any(cur.id in s for s in self.shadowed))

    def _receiver_ok(self, base):
        if self._is_foreign_chain(base):
            return False
        if isinstance(base, ast.Name) and base.id in NON_TORCH_RECEIVERS:
            return False
        return True

    def _add(self, kind, name, node, called=False, call=None):
        keywords = [k.arg for k in call.keywords if k.arg] if call is not None else []
        self.uses.append(Use(kind, name, getattr(node, "lineno", 0), called, keywords))

    def _local_names(self, fn):
        """Names a function binds itself (parameters, assignments, loop targets), not counting
        nested functions and classes: an imported name rebound there is a local variable."""
        names = set()
        a = fn.args
        for arg in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg]:
            if arg is not None:
                names.add(arg.arg)
        stack = list(fn.body) if isinstance(fn.body, list) else [fn.body]
        while stack:
            n = stack.pop()
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                if not isinstance(n, ast.Lambda):
                    names.add(n.name)
                continue
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                names.add(n.id)
            stack.extend(ast.iter_child_nodes(n))
        return names & (set(self.alias) | self.foreign)

    # -- traversal ----------------------------------------------------------------------------
    def _visit(self, node):
        # Type annotations name types; they are not calls and are skipped.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in node.decorator_list:
                self._visit(d)
            args = node.args
            for default in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
                self._visit(default)
            self.shadowed.append(self._local_names(node))
            for stmt in node.body:
                self._visit(stmt)
            self.shadowed.pop()
            return
        if isinstance(node, ast.Lambda):
            self.shadowed.append(self._local_names(node))
            self._visit(node.body)
            self.shadowed.pop()
            return
        if isinstance(node, ast.AnnAssign):
            self._visit(node.target)
            if node.value is not None:
                self._visit(node.value)
            return
        if isinstance(node, ast.arg):
            return

        if isinstance(node, (ast.Name, ast.Attribute)):
            path = self._path(node)
            if path is not None:
                if path not in KNOWN_MODULES:
                    self._add("path", path, node)
                return
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            path = self._path(node.func)
            if path is not None:
                if path not in KNOWN_MODULES:
                    self._add("path", path, node.func, called=True, call=node)
                for a in node.args:
                    self._visit(a)
                for k in node.keywords:
                    self._visit(k.value)
                return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            if not func.attr.startswith("_"):
                if func.attr in self.methods and self._receiver_ok(func.value):
                    self._add("method", func.attr, func, called=True, call=node)
                self._visit(func.value)
                for a in node.args:
                    self._visit(a)
                for k in node.keywords:
                    self._visit(k.value)
                return
        if isinstance(node, ast.Attribute):
            # not a torch path (handled above), not a called method (handled above)
            attr = node.attr
            if attr in self.attributes and self._receiver_ok(node.value):
                base = node.value
                if not (isinstance(base, ast.Name) and base.id == "self" and attr != "training"):
                    self._add("attribute", attr, node)
            self._visit(node.value)
            return
        for child in ast.iter_child_nodes(node):
            self._visit(child)


# --------------------------------------------------------------------------------------------
# SwiftTorch's public names
# --------------------------------------------------------------------------------------------

DECL_RE = re.compile(
    r"\b(?:public|open)\b"
    r"(?:\s+(?:static|class|final|override|mutating|nonmutating|indirect|convenience|required|lazy"
    r"|dynamic|nonisolated|(?:private|fileprivate|internal)\(set\)|@\w+(?:\([^)]*\))?))*"
    r"\s+(func|var|let|class|struct|enum|protocol|typealias|actor|case)\s+`?([A-Za-z_][A-Za-z0-9_]*)")
MEMBER_RE = re.compile(r"^\s*(?:static\s+|mutating\s+)*(func|var)\s+`?([A-Za-z_][A-Za-z0-9_]*)")
CASE_RE = re.compile(r"^\s*(?:indirect\s+)?case\s+([A-Za-z_].*)$")
OPEN_SCOPE_RE = re.compile(r"\b(?:public|open)\s+(?:final\s+)?(enum|protocol|extension)\b")


def _strip_comment(line):
    out, in_str = [], False
    i = 0
    while i < len(line):
        c = line[i]
        if c == '"' and (i == 0 or line[i - 1] != "\\"):
            in_str = not in_str
        if not in_str and line.startswith("//", i):
            break
        out.append(c)
        i += 1
    return "".join(out)


def swift_index(dirs):
    """name -> [(file:line, kind)] for every public declaration under dirs."""
    index = collections.defaultdict(list)
    for d in dirs:
        for dirpath, _, files in os.walk(d):
            for fn in sorted(files):
                if not fn.endswith(".swift"):
                    continue
                path = os.path.join(dirpath, fn)
                rel = os.path.relpath(path, ROOT)
                depth = 0
                scopes = []  # (kind, depth at which its members live)
                in_block_comment = False
                with open(path, encoding="utf-8") as f:
                    for lineno, raw in enumerate(f, 1):
                        line = raw
                        if in_block_comment:
                            if "*/" not in line:
                                continue
                            line = line.split("*/", 1)[1]
                            in_block_comment = False
                        if "/*" in line and "*/" not in line.split("/*", 1)[1]:
                            line = line.split("/*", 1)[0]
                            in_block_comment = True
                        line = _strip_comment(line)
                        for m in DECL_RE.finditer(line):
                            index[m.group(2)].append((f"{rel}:{lineno}", m.group(1)))
                        inner = scopes[-1] if scopes else None
                        if inner and depth == inner[1]:
                            if inner[0] == "enum":
                                cm = CASE_RE.match(line)
                                if cm and not line.rstrip().endswith(":"):
                                    for part in _split_top(cm.group(1)):
                                        nm = re.match(r"`?([A-Za-z_][A-Za-z0-9_]*)", part.strip())
                                        if nm:
                                            index[nm.group(1)].append((f"{rel}:{lineno}", "case"))
                            elif inner[0] in ("protocol", "extension"):
                                mm = MEMBER_RE.match(line)
                                if mm:
                                    index[mm.group(2)].append((f"{rel}:{lineno}", mm.group(1)))
                        om = OPEN_SCOPE_RE.search(line)
                        opened = line.count("{")
                        closed = line.count("}")
                        if om and opened:
                            scopes.append((om.group(1), depth + 1))
                        depth += opened - closed
                        while scopes and depth < scopes[-1][1]:
                            scopes.pop()
    return index


TYPE_SCOPE_RE = re.compile(
    r"\b(class|struct|enum|actor|extension)\s+([A-Za-z_][A-Za-z0-9_]*)(?:<[^>{]*>)?\s*(?::\s*([A-Za-z_][A-Za-z0-9_]*))?[^{;]*\{")
TYPEALIAS_RE = re.compile(r"\bpublic\s+typealias\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)")
FUNC_SIG_RE = re.compile(
    r"\b(?:public|open)\b[^\n;{}=]*?\b(?:func\s+`?([A-Za-z_][A-Za-z0-9_]*)`?|(init))\s*[?!]?\s*(?:<[^>(]*>)?\s*\(")


def _strip_swift_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return "\n".join(_strip_comment(l) for l in text.split("\n"))


def _matching(text, i, open_c, close_c):
    """Index just past the bracket that closes text[i] (an opening bracket)."""
    depth, in_str = 0, False
    for j in range(i, len(text)):
        c = text[j]
        if c == '"' and text[j - 1] != "\\":
            in_str = not in_str
        elif not in_str:
            if c == open_c:
                depth += 1
            elif c == close_c:
                depth -= 1
                if depth == 0:
                    return j + 1
    return len(text)


def _labels(params):
    """Parameter names of a Swift parameter list (without the parentheses): each argument label,
    and the name of each unlabelled (`_ name:`) parameter, since Python may pass a positional
    parameter by keyword (`DataLoader(dataset=ds)` is `DataLoader(ds)`)."""
    labels = set()
    for part in _split_top(params):
        head = part.split(":", 1)[0].split()
        head = [h for h in head if not h.startswith("@") and h not in ("inout", "borrowing", "consuming")]
        if not head:
            continue
        if head[0] != "_":
            labels.add(head[0].strip("`"))
        elif len(head) > 1:
            labels.add(head[1].strip("`"))
    return labels


def swift_labels(dirs):
    """name -> argument labels over all its public overloads; a type's are its initialisers'."""
    labels = collections.defaultdict(set)
    aliases = {}
    superclass = {}  # a subclass inherits its superclass's initialisers (union, approximately)
    for d in dirs:
        for dirpath, _, files in os.walk(d):
            for fn in files:
                if not fn.endswith(".swift"):
                    continue
                with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                    text = _strip_swift_comments(f.read())
                scopes = []
                for m in TYPE_SCOPE_RE.finditer(text):
                    if m.group(1) == "class" and m.group(3):
                        superclass[m.group(2)] = m.group(3)
                    open_at = m.end() - 1
                    scopes.append((open_at, _matching(text, open_at, "{", "}"), m.group(2)))
                for m in TYPEALIAS_RE.finditer(text):
                    aliases[m.group(1)] = m.group(2)
                for m in FUNC_SIG_RE.finditer(text):
                    paren = m.end() - 1
                    params = text[paren + 1:_matching(text, paren, "(", ")") - 1]
                    if m.group(1):
                        labels[m.group(1)] |= _labels(params)
                    else:
                        inside = [sc for sc in scopes if sc[0] < m.start() < sc[1]]
                        if inside:
                            owner = max(inside, key=lambda sc: sc[0])[2]
                            labels[owner] |= _labels(params)
    for name in list(superclass):
        seen, cur = set(), superclass.get(name)
        while cur and cur not in seen:
            seen.add(cur)
            labels[name] |= labels.get(cur, set())
            cur = superclass.get(cur)
    for name, target in aliases.items():
        labels[name] |= labels.get(target, set())
    return labels


def _split_top(s):
    parts, level, cur = [], 0, []
    for c in s:
        if c in "([":
            level += 1
        elif c in ")]":
            level -= 1
        if c == "," and level == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def normalize(name):
    """Case- and underscore-insensitive key; a trailing underscore (in place) is kept."""
    trailing = name.endswith("_") and not name.endswith("__")
    core = name.rstrip("_") if trailing else name
    return core.replace("_", "").lower() + ("_" if trailing else "")


def camel(name):
    trailing = "_" if name.endswith("_") and not name.endswith("__") else ""
    core = name.rstrip("_") if trailing else name
    parts = [p for p in core.split("_") if p]
    if not parts:
        return name
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:]) + trailing


CALLABLE_KINDS = {"func", "class", "struct", "enum", "actor", "typealias"}


class SwiftNames:
    def __init__(self, index):
        self.index = index
        self.by_key = collections.defaultdict(set)
        for name in index:
            self.by_key[normalize(name)].add(name)

    def find(self, pyname, called):
        """Swift names that spell this Python name: same letters ignoring case and underscores
        (a trailing underscore must match), a capitalised declaration for a capitalised Python
        name and a lower-case one for a lower-case name, and, for a name that is called, a
        function or a type (not a property or enum case that happens to share the name)."""
        want_upper = pyname[:1].isupper()
        hits = []
        for n in self.by_key.get(normalize(pyname), ()):
            if n[:1].isupper() != want_upper:
                continue
            if called and not any(k in CALLABLE_KINDS for _, k in self.index[n]):
                continue
            hits.append(n)
        return sorted(hits)

    def has(self, swift_name):
        return swift_name in self.index


# --------------------------------------------------------------------------------------------
# Judging a use
# --------------------------------------------------------------------------------------------

SHORT_PREFIXES = [
    ("torch.nn.functional.", "F."), ("torch.nn.init.", "nn.init."), ("torch.nn.utils.", "nn.utils."),
    ("torch.nn.", "nn."), ("torch.optim.lr_scheduler.", "lr_scheduler."), ("torch.optim.", "optim."),
    ("torch.utils.data.", "data."), ("torch.distributions.", "distributions."),
    ("torchvision.transforms.functional.", "TF."), ("torchvision.transforms.", "transforms."),
    ("torchvision.datasets.", "datasets."), ("torchvision.models.", "models."),
    ("torchvision.utils.", "vutils."),
]


def display(use_kind, name):
    if use_kind == "method":
        return "." + name + "()"
    if use_kind == "attribute":
        return "." + name
    for long, short in SHORT_PREFIXES:
        if name.startswith(long):
            return short + name[len(long):]
    return name


def canonical_path(path):
    # torch.nn.modules.xxx.Name and torch.functional.F are spellings of the usual names
    path = re.sub(r"^torch\.nn\.modules\.[a-z_]+\.", "torch.nn.", path)
    path = path.replace("torch.functional.F.", "torch.nn.functional.")
    return path


class Judge:
    def __init__(self, aliases, swift, dist_swift, labels):
        self.labels = labels
        self.keyword_categories = aliases.get("keyword_categories", {})
        self.aliases = aliases["aliases"]
        self.categories = aliases["categories"]
        self.swift = swift
        self.dist_swift = dist_swift
        self.alias_errors = []
        for key, target in self.aliases.items():
            for t in self._targets(target):
                if not swift.has(t) and not dist_swift.has(t):
                    self.alias_errors.append(f"alias {key} -> {t}: no public declaration")

    @staticmethod
    def _targets(target):
        if target is None:
            return []
        if isinstance(target, str):
            return [target]
        return list(target.get("swift", []))

    def category(self, key, path):
        for cat, spec in self.categories.items():
            if key in spec.get("names", []):
                return cat
            if path and any(path == p or path.startswith(p + ".") for p in spec.get("paths", [])):
                return cat
        return "core"

    def keyword_ok(self, spelling, keyword):
        """Whether one of the matched Swift declarations takes this keyword as a label."""
        want = normalize(keyword)
        for name in (n.strip() for n in spelling.split(",")):
            if any(normalize(l) == want for l in self.labels.get(name, ())):
                return True
        return False

    def keyword_category(self, keyword):
        for cat, names in self.keyword_categories.items():
            if keyword in names:
                return cat
        return "core"

    def is_judgment(self, key):
        target = self.aliases.get(key)
        return isinstance(target, dict) and target.get("judgment", False)

    def judge(self, key, pyname, path, called):
        """(present, swift spelling or reason) for one distinct use key."""
        cat = self.category(key, path)
        index = self.dist_swift if cat == "multi-process" else self.swift
        if key in self.aliases:
            target = self.aliases[key]
            targets = self._targets(target)
            if not targets:
                note = target.get("note", "") if isinstance(target, dict) else ""
                return False, note or "no SwiftTorch equivalent"
            found = [t for t in targets if self.swift.has(t) or self.dist_swift.has(t)]
            return bool(found), ", ".join(found or targets)
        hits = index.find(pyname, called)
        if not hits and cat == "multi-process":
            hits = self.swift.find(pyname, called)
        return bool(hits), ", ".join(hits) if hits else camel(pyname)


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def program_uses(programs, methods, attributes):
    """Each program's uses as [kind, name, called, keywords, count] rows. Parsed from the stored
    sources when they are all present (and then written to uses.json); otherwise read from
    uses.json, so the measurement also runs where the third-party sources are not kept."""
    have_sources = all(os.path.exists(os.path.join(PROGRAM_DIR, rel))
                       for prog in programs for rel in prog["files"])
    if not have_sources:
        if not os.path.exists(USES_JSON):
            sys.exit("no program sources under scripts/api-coverage/programs/ and no uses.json; "
                     "fetch the programs listed in scripts/api-coverage/SOURCES.md")
        with open(USES_JSON) as f:
            cached = json.load(f)["programs"]
        missing = [p["name"] for p in programs if p["name"] not in cached]
        if missing:
            sys.exit("uses.json lacks " + ", ".join(missing) + "; fetch the sources and rerun")
        return {p["name"]: cached[p["name"]] for p in programs}, "uses.json"
    out = {}
    for prog in programs:
        counter = collections.Counter()
        for rel in prog["files"]:
            tree = ast.parse(python_source(os.path.join(PROGRAM_DIR, rel)), filename=rel)
            for use in UseFinder(tree, methods, attributes).uses:
                counter[(use.kind, use.name, use.called, tuple(sorted(use.keywords)))] += 1
        out[prog["name"]] = [[k, n, c, list(kw), cnt]
                             for (k, n, c, kw), cnt in sorted(counter.items())]
    with open(USES_JSON, "w") as f:
        f.write('{"note": "PyTorch uses found in each program by scripts/measure-api-coverage.py: '
                '[kind, name, called, keyword arguments, count]. Rewritten whenever the program '
                'sources are present; read when they are not.",\n "programs": {\n')
        names = list(out)
        for i, name in enumerate(names):
            f.write(f"  {json.dumps(name)}: [\n")
            rows = out[name]
            for j, row in enumerate(rows):
                f.write("   " + json.dumps(row) + ("," if j < len(rows) - 1 else "") + "\n")
            f.write("  ]" + ("," if i < len(names) - 1 else "") + "\n")
        f.write(" }\n}\n")
    return out, "sources"


def measure(args):
    methods, attributes, torch_version = load_names()
    with open(PROGRAMS_JSON) as f:
        programs = json.load(f)["programs"]
    with open(ALIASES_JSON) as f:
        aliases = json.load(f)
    swift = SwiftNames(swift_index(SWIFT_DIRS))
    dist_swift = SwiftNames(swift_index(DISTRIBUTED_SWIFT_DIRS))
    judge = Judge(aliases, swift, dist_swift,
                  swift_labels(SWIFT_DIRS + DISTRIBUTED_SWIFT_DIRS))

    # Pass 1: every use, as (program, key, python name, qualified path, called, keywords).
    uses_by_program, source = program_uses(programs, methods, attributes)
    found = []
    for prog in programs:
        for kind, name, was_called, keywords, n in uses_by_program[prog["name"]]:
            if kind == "path":
                qpath = canonical_path(name)
                key = display("path", qpath)
                pyname = qpath.rsplit(".", 1)[-1]
            else:
                qpath = None
                key = display(kind, name)
                pyname = name
            found.extend([(prog["name"], key, pyname, qpath, was_called, tuple(keywords))] * n)

    # Pass 2: one verdict per distinct name (a name called anywhere must be callable).
    called = collections.defaultdict(bool)
    first = {}
    for _, key, pyname, qpath, was_called, _ in found:
        called[key] |= was_called
        first.setdefault(key, (pyname, qpath))
    verdicts = {}
    for key, (pyname, qpath) in first.items():
        present, spelling = judge.judge(key, pyname, qpath, called[key])
        verdicts[key] = (judge.category(key, qpath), present, spelling)

    per_program = []
    totals = collections.Counter()          # (category, present) -> uses
    key_counts = collections.Counter()      # key -> uses
    key_programs = collections.defaultdict(set)
    judgment_uses = 0
    strict_present = 0
    keyword_missing = collections.Counter()       # "name(kw=)" -> uses
    keyword_missing_programs = collections.defaultdict(set)
    keyword_apart = collections.Counter()
    for prog in programs:
        counts = collections.Counter()
        strict = 0
        for pname, key, _, _, _, keywords in found:
            if pname != prog["name"]:
                continue
            cat, present, spelling = verdicts[key]
            counts[(cat, present)] += 1
            if cat == "core" and present:
                ok = True
                for kw in keywords:
                    if judge.keyword_category(kw) != "core":
                        keyword_apart[f"{kw}="] += 1
                        continue
                    if not judge.keyword_ok(spelling, kw):
                        ok = False
                        label = f"{key[:-2] if key.endswith('()') else key}({kw}=)"
                        keyword_missing[label] += 1
                        keyword_missing_programs[label].add(pname)
                if ok:
                    strict += 1
            key_counts[key] += 1
            key_programs[key].add(pname)
            if cat == "core" and present and judge.is_judgment(key):
                judgment_uses += 1
        core = counts[("core", True)] + counts[("core", False)]
        per_program.append({
            "name": prog["name"], "origin": prog["origin"], "files": prog["files"],
            "uses": core, "present": counts[("core", True)],
            "share": (100.0 * counts[("core", True)] / core) if core else 100.0,
            "strict_share": (100.0 * strict / core) if core else 100.0,
            "device": counts[("device-specific", True)] + counts[("device-specific", False)],
            "multiprocess": counts[("multi-process", True)] + counts[("multi-process", False)],
        })
        totals.update(counts)
        strict_present += strict

    def table(cat):
        rows = []
        for key, n in key_counts.items():
            c, present, spelling = verdicts[key]
            if c == cat:
                rows.append({"name": key, "uses": n, "programs": len(key_programs[key]),
                             "present": present, "swift": spelling,
                             "judgment": judge.is_judgment(key)})
        rows.sort(key=lambda r: (-r["uses"], r["name"]))
        return rows

    core_rows = table("core")
    result = {
        "date": datetime.date.today().isoformat(),
        "uses_from": source,
        "swifttorch_commit": git_head(),
        "torch_names_from": torch_version,
        "programs": per_program,
        "core": {"uses": totals[("core", True)] + totals[("core", False)],
                 "present": totals[("core", True)]},
        "device": {"uses": totals[("device-specific", True)] + totals[("device-specific", False)],
                   "present": totals[("device-specific", True)]},
        "multiprocess": {"uses": totals[("multi-process", True)] + totals[("multi-process", False)],
                         "present": totals[("multi-process", True)]},
        "missing": [r for r in core_rows if not r["present"]],
        "present_all": [r for r in core_rows if r["present"]],
        "distinct_core": len(core_rows),
        "distinct_core_present": sum(1 for r in core_rows if r["present"]),
        "device_rows": table("device-specific"),
        "multiprocess_rows": table("multi-process"),
        "alias_errors": judge.alias_errors,
    }
    c = result["core"]
    c["share"] = 100.0 * c["present"] / c["uses"] if c["uses"] else 100.0
    c["judgment_uses"] = judgment_uses
    c["strict_present"] = strict_present
    c["strict_share"] = 100.0 * strict_present / c["uses"] if c["uses"] else 100.0
    result["keyword_missing"] = [
        {"name": k, "uses": n, "programs": len(keyword_missing_programs[k])}
        for k, n in sorted(keyword_missing.items(), key=lambda kv: (-kv[1], kv[0]))]
    result["keyword_apart"] = dict(keyword_apart.most_common())
    c["share_without_judgment"] = (100.0 * (c["present"] - judgment_uses) / c["uses"]
                                   if c["uses"] else 100.0)
    result["mean_program_share"] = sum(p["share"] for p in per_program) / len(per_program)
    return result


def git_head():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def print_report(r, top):
    c = r["core"]
    print(f"SwiftTorch {r['swifttorch_commit']}, {r['date']}: {len(r['programs'])} programs")
    print(f"PyTorch API uses (usage-weighted; device-specific and multi-process apart): "
          f"{c['uses']}, present {c['present']}, share {c['share']:.1f}%")
    print(f"  with judgment-call aliases ({c['judgment_uses']} uses) counted missing: "
          f"{c['share_without_judgment']:.1f}%")
    print(f"  strict (name present and every keyword argument a parameter of it): "
          f"{c['strict_share']:.1f}%")
    print(f"  mean of per-program shares: {r['mean_program_share']:.1f}%; distinct names "
          f"{r['distinct_core_present']}/{r['distinct_core']} present")
    d, m = r["device"], r["multiprocess"]
    print(f"device-specific (no GPU) uses: {d['uses']} ({d['present']} match a SwiftTorch name); "
          f"multi-process uses: {m['uses']} ({m['present']} match, Torch/TorchDistributed)")
    for e in r["alias_errors"]:
        print("WARNING:", e)
    print()
    print(f"{'program':38} {'uses':>5} {'share':>7} {'strict':>7}")
    for p in r["programs"]:
        print(f"{p['name']:38} {p['uses']:5d} {p['share']:6.1f}% {p['strict_share']:6.1f}%")
    print()
    print(f"top {top} missing names (uses, programs, SwiftTorch name looked for):")
    for row in r["missing"][:top]:
        j = " (judgment-call alias)" if row.get("judgment") else ""
        print(f"  {row['uses']:4d} {row['programs']:3d}  {row['name']}   [{row['swift']}]{j}")
    print()
    print("keyword arguments with no SwiftTorch parameter (uses, programs):")
    for row in r["keyword_missing"][:top]:
        print(f"  {row['uses']:4d} {row['programs']:3d}  {row['name']}")


def md_escape(s):
    return s.replace("|", "\\|")


def write_doc(r, top):
    with open(PROGRAMS_JSON) as f:
        programs_meta = json.load(f)
    c, d, m = r["core"], r["device"], r["multiprocess"]
    out = io.StringIO()
    w = out.write
    w("# PyTorch API coverage on real programs\n\n")
    w("<!-- Generated by scripts/measure-api-coverage.py; edit that script, not this file. -->\n\n")
    w(f"Measured {r['date']} on SwiftTorch `{r['swifttorch_commit']}` with "
      f"`python3 scripts/measure-api-coverage.py` (Python standard library only; PyTorch's "
      f"method names recorded once from torch {r['torch_names_from']}).\n\n")
    w("## Result\n\n")
    w(f"- **{c['share']:.1f}%** of the PyTorch API uses in {len(r['programs'])} real "
      f"single-machine programs have a SwiftTorch spelling: {c['present']} of {c['uses']} uses, "
      f"every call site counted.\n")
    w(f"- {c['share_without_judgment']:.1f}% if the {c['judgment_uses']} uses matched through "
      f"judgment-call aliases (NumPy / list conversions, below) are counted missing.\n")
    w(f"- {c['strict_share']:.1f}% strict: the name is present *and* every keyword argument the "
      f"call passes is a parameter of a matching SwiftTorch declaration "
      f"({c['strict_present']} uses).\n")
    w(f"- Mean of the per-program shares: {r['mean_program_share']:.1f}%. Distinct names: "
      f"{r['distinct_core_present']} of {r['distinct_core']} present.\n")
    w(f"- Counted apart, not in the share: {d['uses']} device-specific uses (CUDA / cuDNN / MPS / "
      f"`torch.accelerator`; SwiftTorch runs on the CPU) and {m['uses']} multi-process uses "
      f"(`torch.distributed`, `torch.multiprocessing`, DDP), see below.\n\n")
    w("The figure depends on the method below (which uses count, and what counts as present); "
      "it is comparable with later runs of this script, not with figures measured another way.\n\n")
    shown = r["missing"][:top]
    w(f"### Missing names, most-used first ({len(shown)} of {len(r['missing'])})\n\n")
    w("| uses | programs | PyTorch | SwiftTorch name looked for |\n|---:|---:|---|---|\n")
    for row in r["missing"][:top]:
        w(f"| {row['uses']} | {row['programs']} | `{md_escape(row['name'])}` | "
          f"{md_escape(row['swift'])} |\n")
    rest = r["missing"][top:]
    if rest:
        w(f"\nThe other {len(rest)} missing names ({sum(x['uses'] for x in rest)} uses): ")
        w(", ".join(f"`{md_escape(x['name'])}` {x['uses']}" for x in rest))
        w(".\n")
    w("\n### Keyword arguments with no SwiftTorch parameter\n\n")
    w("Calls whose name is present but which pass a keyword no matching declaration takes "
      "(these make up the gap between the share and the strict share).\n\n")
    w("| uses | programs | call |\n|---:|---:|---|\n")
    for row in r["keyword_missing"]:
        w(f"| {row['uses']} | {row['programs']} | `{md_escape(row['name'])}` |\n")
    if r["keyword_apart"]:
        w("\nDevice keywords, not judged: " +
          ", ".join(f"`{k}` {n}" for k, n in r["keyword_apart"].items()) + ".\n")
    judg = [x for x in r["present_all"] if x.get("judgment")]
    if judg:
        w("\n### Judgment-call aliases\n\n")
        w(", ".join(f"`{md_escape(x['name'])}` {x['uses']} → `{x['swift']}`" for x in judg))
        w(".\n")
    w("\n### Per program\n\n")
    w("| program | origin | files | uses | share | strict | device | multi-process |\n"
      "|---|---|---|---:|---:|---:|---:|---:|\n")
    for p in r["programs"]:
        files = ", ".join(f"`{x.split('/', 1)[1]}`" for x in p["files"])
        w(f"| {p['name']} | {p['origin']} | {files} | {p['uses']} | {p['share']:.1f}% | "
          f"{p['strict_share']:.1f}% | {p['device']} | {p['multiprocess']} |\n")
    w("\n### Most-used present names\n\n")
    w(", ".join(f"`{md_escape(x['name'])}` {x['uses']}" for x in r["present_all"][:60]))
    w(".\n\n")
    w("### Device-specific uses (not in the share)\n\n")
    w("A name that matches a SwiftTorch declaration by the rule below is marked with it (e.g. "
      "`torch.cuda.is_available` → `cuda.isAvailable()`, which returns `false`); the rule only "
      "compares the last component, so `torch.accelerator.is_available` matches the same "
      "declaration.\n\n")
    w(", ".join(f"`{md_escape(x['name'])}` {x['uses']}" +
                (f" (→ {x['swift']})" if x["present"] else "") for x in r["device_rows"]) or "none")
    w(".\n\n### Multi-process uses (not in the share)\n\n")
    w(", ".join(f"`{md_escape(x['name'])}` {x['uses']}" +
                (f" (→ {x['swift']})" if x["present"] else " (missing)")
                for x in r["multiprocess_rows"]) or "none")
    w(".\n\n")
    w(METHOD_TEXT)
    w("\n## The programs\n\n")
    w(programs_meta.get("about", "") + "\n\n")
    w("Origins, commits, paths and licences: "
      "[scripts/api-coverage/SOURCES.md](../scripts/api-coverage/SOURCES.md). The sources "
      "themselves are third-party code and are kept out of the repository "
      "(`scripts/api-coverage/.gitignore`); the uses found in them are recorded in "
      "`scripts/api-coverage/uses.json`, which the script reads when the sources are absent, so "
      "a re-measurement after a SwiftTorch change needs only the repository. "
      f"This run read the uses from {'the sources' if r['uses_from'] == 'sources' else 'uses.json'}.\n")
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w") as f:
        f.write(out.getvalue())


METHOD_TEXT = """## Method

**Programs.** The Python sources listed in `scripts/api-coverage/programs.json`, fetched at the
commits in `scripts/api-coverage/SOURCES.md` into `scripts/api-coverage/programs/` (not
committed); the uses found in them are kept in `scripts/api-coverage/uses.json`. A program is
one or more files; helper files of a program (e.g. `data.py`) belong to it. Notebooks count by
their code cells.

**What counts as a use.** Each file is parsed with Python's `ast`; every site counts once
(usage-weighted: `optimizer.zero_grad()` in a loop body is one use, in three loops three).
1. *Qualified names*: a name or attribute chain that resolves through the file's imports to
   `torch.*` or `torchvision.*` (`torch.zeros`, `nn.Linear`, `F.cross_entropy` with
   `import torch.nn.functional as F`, `DataLoader` after `from torch.utils.data import
   DataLoader`, `transforms.Normalize`, `torch.float32`, a base class `nn.Module`, a decorator
   `@torch.no_grad()`, a function passed as a value such as `loss_func = F.cross_entropy`).
   The longest chain counts, once; bare module references (`torch`, `nn`) do not count, nor do
   import statements or type annotations. An imported name that a function rebinds (a
   parameter `data` in a file that imported `torch.utils.data as data`) is a local variable in
   that function.
2. *Methods*: a call `x.name(...)` on any receiver that is not an imported module, where `name`
   is a public method of `torch.Tensor`, `nn.Module`, `optim.Optimizer`, `LRScheduler` or
   `distributions.Distribution` (recorded from PyTorch into `torch-names.json`). The receiver's
   type is not known, so the rule is pragmatic: names that Python's list / dict / str / set /
   file objects also have are left out (`add`, `split`, `index`, `sort`, `values`, `copy`,
   `count`, `pop`, ...), and so is `resize` (PIL images), as are receivers named like
   non-tensors (`env`, `args`, `parser`, `plt`, `ax`, `f`, ...), so `env.step()` is not
   `optimizer.step()`.
3. *Attributes*: reading or writing a tensor property (`.grad`, `.data`, `.shape`, `.T`,
   `.requires_grad`, `.dtype`, `.device`, `.ndim`, `.grad_fn`, `.is_leaf`, ...) or
   `.training`, `.weight`, `.bias`, `.in_features`, `.out_features`, `.param_groups`,
   `.dataset` on anything but `self` (user modules store their own `self.weight`);
   `self.training` counts.

**Is it in SwiftTorch.** The public declarations of `Sources/Torch` and `Sources/TorchVision`
are collected (`public`/`open` `func`, `var`, `let`, `class`, `struct`, `enum`, `protocol`,
`typealias`, the `case`s of public enums and the members of public protocols). A PyTorch name
is present when a declaration spells it by SwiftTorch's rule (lower camel case, so names are
compared ignoring case and underscores, except that a trailing in-place `_` must match), a
capitalised name (a class) needing a capitalised declaration and a lower-case one a lower-case
declaration, and a name the program calls needing a function or a type (a property or enum
case of the same name does not do). The last component of a qualified name is what is looked
up (`F.cross_entropy` -> `crossEntropy`, `torch.no_grad` -> `noGrad`, `optim.AdamW` -> `AdamW`,
`.item()` -> `item`). Names SwiftTorch spells differently are in
`scripts/api-coverage/aliases.json` (from the README's "Coming from PyTorch" table:
`torch.tensor` -> `Tensor`, `torch.long` -> `int64`, `.training` -> `isTraining`,
`.add_module()` -> `registerModule`, ...); an alias only counts if its target is itself a public
declaration (the script warns otherwise). Aliases marked `judgment` (`.numpy()` and `.tolist()`
-> `toArray`, `torch.from_numpy` -> `Tensor`) are a reading rather than a respelling, so the
share without them is given too. The same file lists the device-specific and multi-process
names, counted and reported apart: CUDA, cuDNN, MPS and `torch.accelerator` calls are not
missing functionality in a CPU library, and multi-process programs are not single-machine
programs (their multi-process names are looked up in `Sources/TorchDistributed` as well).

**Strict share (keyword arguments).** For every call whose name is present, each keyword
argument (`bias=False`, `dim=1`, `keepdim=True`, `label_smoothing=0.1`) must be a parameter
of one of the matching declarations: an argument label, or the name of an unlabelled
parameter (Python may pass a positional parameter by keyword), compared like names. A type's
parameters are those of its initialisers (and its superclass's; a typealias's are its
target's). `device=`, `non_blocking=`, `pin_memory=` and `map_location=` are device keywords
and not judged. Positional arguments are not checked.

**What the heuristic can miss or get wrong.**
- Presence is by name (and, strictly, keyword) only: a declaration of the right name counts
  even if the argument types, the positional arguments or a value the program passes (a `dim`
  tuple, a string mode) are not supported, and a method found only as a free function (or the
  reverse) still counts. Both shares are upper bounds on "would compile after a mechanical
  translation".
- The last component decides: `torch.linalg.norm` and `torch.norm` are one name, and a name
  that exists for one class (e.g. a `step` on optimizers) is taken as present for all.
- Method and attribute calls are judged by name, not by receiver type: NumPy array calls named
  like tensor methods (`arr.reshape`, `arr.mean`, `arr.clip`) are counted as tensor uses, and a
  user class's own method named like a Module method (`self.forward`) counts. Tensor methods
  that share a name with list/dict/str/set methods (`x.split`, `x.sort`, `x.add`, `x.index`,
  `x.values`) are never counted as methods (their `torch.split` forms are).
- Uses hidden behind indirection are not seen: `getattr(torch.optim, name)`, `**kwargs`
  options, operator overloads (`a @ b`, `a[mask]`, `x += y`), `len(x)`, iteration over a
  tensor, and the `==` of two tensors are not counted at all.
- Shadowing is tracked per function only (a module-level variable reusing an imported name is
  not).
- Stored tutorial sources are code extracts (prose comments removed, code unchanged) of the
  versions the search index held, not necessarily the tutorials' current `main`.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record-torch-names", action="store_true",
                    help="import torch and rewrite scripts/api-coverage/torch-names.json")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite docs/API-COVERAGE.md")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--top", type=int, default=40, help="how many missing names to list")
    args = ap.parse_args()
    if args.record_torch_names:
        record_torch_names()
        return
    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_report(result, args.top)
    if not args.no_write:
        write_doc(result, args.top)
        print(f"\nwrote {os.path.relpath(DOC, ROOT)}")


if __name__ == "__main__":
    main()
