"""What the package promises about itself: Python 3.9 syntax (Blender 3.x ships 3.9) and the
standard library only at run time (``cryptography`` only where it is optional)."""
from __future__ import annotations

import ast
import glob
import os
import sys

import pytest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PACKAGE = sorted(glob.glob(os.path.join(ROOT, "seatkey", "*.py")))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*.py"), recursive=True))


def parse(path, version=(3, 9)):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), filename=path, feature_version=version)


@pytest.mark.parametrize("path", PACKAGE + EXAMPLES, ids=lambda p: os.path.relpath(p, ROOT))
def test_parses_as_python_3_9(path):
    parse(path)


def imports(tree):
    """(module name, whether it sits inside a try whose handler catches its failure)."""
    found = []

    def visit(node, guarded):
        if isinstance(node, ast.Try):
            for child in node.body:
                visit(child, True)
            for child in node.handlers + node.orelse + node.finalbody:
                visit(child, guarded)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, guarded) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.module, guarded))
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


@pytest.mark.skipif(sys.version_info < (3, 10), reason="sys.stdlib_module_names is 3.10+")
def test_imports_only_the_standard_library_and_cryptography_only_optionally():
    for path in PACKAGE:
        for name, guarded in imports(parse(path)):
            top = name.split(".")[0]
            if top == "cryptography":
                assert guarded, f"{path}: cryptography must be optional"
                continue
            assert top in sys.stdlib_module_names, f"{path} imports {name}"


def test_the_blender_addon_leaves_its_annotations_to_blender():
    # With `from __future__ import annotations` Blender would see strings, not properties.
    tree = parse(os.path.join(ROOT, "examples", "blender_addon", "__init__.py"))
    future = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    assert not future
