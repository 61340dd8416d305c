#!/usr/bin/env bash
# Trim a `pip install --target` tree before it becomes a Lambda layer.
#
# Why: spaCy + the English model + numpy installed for manylinux x86_64 are far over Lambda's
# 262,144,000-byte unzipped limit (function + all its layers). Everything removed here is never
# imported at run time: test suites, Cython/C sources and headers, type stubs, packaging tools and
# debug symbols.
# Deliberately NOT removed: spacy/lang/* (spaCy's registrations import ja, ko, th, vi, zh and
# spacy.load breaks without them), package data such as babel locales, and *.dist-info (spaCy and
# catalogue discover factories and models through entry points).
#
# Byte code: /opt is read-only in Lambda, so without shipped .pyc files every cold start recompiles
# every imported module. With LAYER_COMPILE=1 (and LAYER_PYTHON, default python3.12, which must be
# a 3.12) the tree is compiled with unchecked-hash .pyc files: zip archives round mtimes to 2 s, so
# timestamp-checked .pyc files would be silently ignored.
#
# Usage: [LAYER_COMPILE=1] scripts/layer_trim.sh PYTHON_DIR   (prints bytes before/after on stderr)
set -euo pipefail

dir=${1:?usage: layer_trim.sh PYTHON_DIR}
[ -d "$dir" ] || { echo "layer_trim: no such directory: $dir" >&2; exit 2; }
before=$(du -sb "$dir" | cut -f1)

# Packaging tools and their console scripts: the runtime never installs anything.
for name in pip setuptools wheel pkg_resources _distutils_hack distutils-precedence.pth bin; do
    rm -rf "${dir:?}/$name"
done
rm -rf "$dir"/pip-*.dist-info "$dir"/setuptools-*.dist-info "$dir"/wheel-*.dist-info

# Byte-code caches pip may have written (timestamp-checked, see above): rebuilt below if wanted.
find "$dir" -depth -type d -name __pycache__ -exec rm -rf {} +
find "$dir" -type f \( -name '*.pyc' -o -name '*.pyo' \) -delete

# Test suites shipped inside packages (spacy/tests, numpy/*/tests, thinc/tests, ...).
# `testing` (numpy.testing) is kept: it is a public module some libraries import.
find "$dir" -depth -type d \( -name tests -o -name test \) -not -path '*.dist-info*' -exec rm -rf {} +

# Build inputs and type information: Cython sources/declarations, C/C++ sources and headers, stubs.
find "$dir" -type f \( -name '*.pyx' -o -name '*.pxd' -o -name '*.pxi' -o -name '*.c' -o -name '*.cc' \
    -o -name '*.cpp' -o -name '*.h' -o -name '*.hh' -o -name '*.hpp' -o -name '*.pyi' \) -delete
find "$dir" -depth -type d -name include -path '*/numpy/*' -exec rm -rf {} +

# Python 2 modules a package still ships beside its Python 3 code: never imported, and compileall
# fails on their syntax (olefile's olefile2.py).
rm -f "$dir"/olefile/olefile2.py

# Folders left empty by the removals above (e.g. wrapt-stubs once its .pyi files are gone).
find "$dir" -mindepth 1 -depth -type d -empty -delete

# Debug symbols of extension modules and bundled shared libraries (numpy.libs' OpenBLAS, ...).
find "$dir" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 | xargs -0 -r strip --strip-debug

if [ "${LAYER_COMPILE:-0}" = 1 ]; then
    py=${LAYER_PYTHON:-python3.12}
    "$py" -c 'import sys; assert sys.version_info[:2] == (3, 12), sys.version' \
        || { echo "layer_trim: LAYER_PYTHON=$py is not a Python 3.12" >&2; exit 2; }
    "$py" -m compileall -q --invalidation-mode unchecked-hash "$dir" >/dev/null
fi

after=$(du -sb "$dir" | cut -f1)
echo "layer_trim: $dir: $before -> $after bytes" >&2
