"""How many public functions of the package are fully annotated (every parameter and the return), and which are not.

    python scripts/annotations.py [--min PERCENT]

Public: the name does not start with ``_`` (methods of public classes too; ``__init__`` and the like count as
public when they take parameters). Exits 1 when the share is below ``--min``.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "track287g"


def missing(fn: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> list[str]:
    """The parameters (and ``return``) of ``fn`` without an annotation."""
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    if method and args and args[0].arg in ("self", "cls"):
        args = args[1:]
    out = [a.arg for a in args if a.annotation is None]
    out += [f"*{a.arg}" for a in (fn.args.vararg, fn.args.kwarg) if a is not None and a.annotation is None]
    if fn.returns is None and fn.name != "__init__":
        out.append("return")
    return out


def public_functions() -> list[tuple[str, list[str]]]:
    """(``module:line name``, what it lacks) for every public function and method."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(SRC.parent).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef | ast.Module) or getattr(node, "name", "").startswith("_"):
                continue  # a private class's methods are private
            for fn in node.body:
                if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                private = fn.name.startswith("_") and not (fn.name.startswith("__") and fn.name.endswith("__"))
                dunder_without_args = fn.name.startswith("__") and len(fn.args.args) <= 1 and fn.returns is None
                if private or (dunder_without_args and fn.name != "__init__"):
                    continue
                found.append((f"{where}:{fn.lineno} {fn.name}", missing(fn, isinstance(node, ast.ClassDef))))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=0.0, help="fail below this percentage")
    args = parser.parse_args()
    found = public_functions()
    bare = [(name, lacks) for name, lacks in found if lacks]
    share = 100.0 * (len(found) - len(bare)) / len(found)
    for name, lacks in bare:
        print(f"{name}: no annotation for {', '.join(lacks)}")
    print(f"{len(found) - len(bare)} of {len(found)} public functions fully annotated ({share:.1f}%)")
    return 0 if share >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
