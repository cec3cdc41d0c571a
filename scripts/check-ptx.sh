#!/usr/bin/env bash
# Validates the PTX of every GpuTrain kernel with NVIDIA's ptxas, on a machine without a GPU.
# 1. Fetches ptxas from Debian's non-free nvidia-cuda-toolkit (11.8) without touching the system's
#    apt setup: a private sources list and apt state in a scratch folder; only the ptxas binary
#    (19 MB, needs only libc) is kept, in .cache/ptxas/bin (git-ignored, reused by later runs).
# 2. Emits one .ptx file per kernel: the Compilation test writes them when GPUTRAIN_PTX_DIR is set.
# 3. Runs ptxas on each; exits non-zero if any kernel fails or none was emitted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache/ptxas
arch=${PTX_ARCH:-sm_75}

find_ptxas() {
  [ -x "$cache/bin/ptxas" ] && echo "$cache/bin/ptxas"
}

fetch_ptxas() {
  local work=$cache/download
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs" "$work/root" "$cache/bin"
  # The machine's own Debian mirror and release, with the non-free components added.
  local uri suite
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  suite=$(awk '/^Suites:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    read -r uri suite < <(awk '$1 == "deb" && $2 !~ /security/ {print $2, $3; exit}' /etc/apt/sources.list)
  fi
  : "${uri:=http://deb.debian.org/debian}" "${suite:=bookworm}"
  echo "deb $uri $suite main contrib non-free" > "$work/sources.list"
  local opts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o Dir::State::Lists="$work/lists" -o Dir::Cache::Archives="$work/archives"
              -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" -qq update
  (cd "$work/debs" && apt-get "${opts[@]}" -qq download nvidia-cuda-toolkit)
  dpkg-deb -x "$work"/debs/nvidia-cuda-toolkit_*.deb "$work/root"
  # The package's usr/bin/ptxas is the real binary (needs only libc); keep it, drop the rest (~270 MB).
  cp "$work/root/usr/bin/ptxas" "$cache/bin/ptxas"
  rm -rf "$work"
}

ptxas=$(find_ptxas) || { echo "check-ptx: fetching ptxas (nvidia-cuda-toolkit) into $cache"; fetch_ptxas; ptxas=$(find_ptxas) || { echo "check-ptx: ptxas not found in the downloaded package"; exit 1; }; }
"$ptxas" --version | tail -1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
GPUTRAIN_PTX_DIR=$out dotnet test tests/GpuTrain.Kernels.Tests -c Release -nologo -v quiet \
  --filter "FullyQualifiedName~GpuTrain.Kernels.Tests.Compilation" >"$out/test.log" 2>&1 \
  || { tail -40 "$out/test.log"; echo "check-ptx: kernel compilation failed"; exit 1; }

ok=0; bad=0
for f in "$out"/*.ptx; do
  [ -e "$f" ] || continue
  if msg=$("$ptxas" -arch="$arch" -o /dev/null "$f" 2>&1); then ok=$((ok + 1))
  else bad=$((bad + 1)); echo "check-ptx: FAIL $(basename "$f" .ptx)"; echo "$msg" | head -20; fi
done
echo "check-ptx: $ok kernels passed ptxas ($arch), $bad failed"
[ "$ok" -gt 0 ] && [ "$bad" -eq 0 ]
