#!/usr/bin/env bash
# Pin each layer's requirements with hashes, for the platform Lambda runs (manylinux x86_64, CPython 3.12).
# requirements.in (edited by hand: the whole closure at the venv's versions) -> requirements.txt (generated,
# every file's sha256), installed by mk/layer.mk with pip's hash checking. Run after editing a .in file:
#   make lock-layers
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-.venv-uv/bin/uv}"
for layer in layers/*/; do
	for name in requirements requirements-nodeps; do
		[ -f "$layer$name.in" ] || continue
		flags=()
		[ "$name" = requirements-nodeps ] && flags+=(--no-deps)
		(cd "$layer" && "../../$UV" pip compile "$name.in" --generate-hashes --quiet "${flags[@]}" \
			--python-platform x86_64-manylinux_2_28 --python-version 3.12 \
			--custom-compile-command "make lock-layers" -o "$name.txt")
		echo "locked $layer$name.txt"
	done
done
