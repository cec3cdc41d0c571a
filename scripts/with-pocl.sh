#!/usr/bin/env bash
# Runs CMD... with a real OpenCL device: POCL 6 (Debian 13) in a debootstrap chroot.
#
#   scripts/with-pocl.sh dotnet run --project src/Cli -c Release -- train ptb-lstm --device opencl
#   scripts/with-pocl.sh clinfo
#
# Why a chroot: ILGPU 1.5.3 needs an OpenCL device with generic address space support; Debian 12's
# POCL 3.1 reports none (ILGPU refuses it), Debian 13's POCL 6.0 has it. ILGPU also loads
# libOpenCL.so, which only ocl-icd-opencl-dev provides (without it ILGPU silently lists no OpenCL).
#
# The chroot is built once per machine (about 3 minutes, 850 MB) in GPUTRAIN_POCL_ROOT (default
# /var/cache/gputrain/pocl-trixie), so every clone and every CI run on the machine reuses it. The
# build holds a lock and renames a finished tree into place, so two scripts started at once neither
# build twice nor see half a tree. Each run mounts what it needs (proc, sys, dev, the .NET install,
# the checkout, ../shared, the NuGet cache) in a private mount namespace: the mounts are invisible
# to other runs, vanish when CMD ends, and are also unmounted by a trap. Needs root (debootstrap,
# chroot, mount).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: scripts/with-pocl.sh CMD [ARGS...]   (runs CMD with POCL's OpenCL device in a Debian 13 chroot)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "with-pocl: needs root (debootstrap, chroot and mount); run it with sudo" >&2
  exit 2
fi

root=${GPUTRAIN_POCL_ROOT:-/var/cache/gputrain/pocl-trixie}
dotnet_dir=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
packages=pocl-opencl-icd,ocl-icd-opencl-dev,clinfo,libicu76,python3,ca-certificates

# The Debian mirror of this machine's apt sources (deb822 or one-line format); deb.debian.org otherwise.
debian_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
  [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

build_chroot() {
  mkdir -p "$(dirname "$root")"
  exec 9>"$root.lock"
  flock 9                                   # another script may be building it right now
  if [ -d "$root" ]; then exec 9>&-; return; fi
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  local partial="$root.partial"
  rm -rf "$partial"                         # a build killed half-way; we hold the lock, so it is ours to remove
  local mirror; mirror=$(debian_mirror)
  echo "with-pocl: building the Debian 13 chroot with POCL in $root from $mirror (once per machine, about 3 minutes)" >&2
  if ! debootstrap --variant=minbase --include="$packages" trixie "$partial" "$mirror" >"$root.build.log" 2>&1; then
    echo "with-pocl: debootstrap failed; its log is $root.build.log (last lines below)" >&2
    tail -n 20 "$root.build.log" >&2
    exit 1
  fi
  rm -rf "$partial"/var/cache/apt/archives/*.deb
  mv -T "$partial" "$root"                  # atomic: the tree appears whole or not at all
  exec 9>&-
}

[ -d "$root" ] || build_chroot

# Everything below runs in a private mount namespace (re-exec through unshare), so concurrent runs
# cannot unmount each other's binds and nothing is left mounted if this script is killed.
if [ -z "${GPUTRAIN_POCL_NS:-}" ]; then
  GPUTRAIN_POCL_NS=1 exec unshare --mount --propagation private "$0" "$@"
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

bind() {  # bind HOST_PATH at the same path inside the chroot
  local src=$1 dst="$root$1"
  [ -e "$src" ] || return 0
  if [ -d "$src" ]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")"; touch "$dst"; fi
  mount --rbind "$src" "$dst"
  mounted+=("$dst")
}

mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount -t sysfs sysfs "$root/sys"; mounted+=("$root/sys")   # POCL 6 aborts without /sys
bind /dev
bind "$dotnet_dir"
cp -f /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true   # NuGet restores inside work too

checkout=$(cd "$(dirname "$0")/.." && pwd)   # this script's checkout (its builds and data)
bind "$checkout"
case "$PWD/" in
  "$checkout"/*) ;;
  /) ;;
  *) bind "$PWD" ;;                             # the caller's folder, so relative paths work
esac
shared=${GPUTRAIN_SHARED:-$(dirname "$checkout")/shared}
# Bound where it really is and named by GPUTRAIN_SHARED inside: a ../shared that is a symlink would
# otherwise dangle in the chroot, and the tests that need it would be skipped.
shared=$(readlink -f "$shared" 2>/dev/null || echo "$shared")
bind "$shared"
[ -d "$shared" ] && export GPUTRAIN_SHARED="$shared"
bind "$HOME/.nuget"

# Extra host paths a command needs (e.g. a run folder outside the checkout): GPUTRAIN_POCL_BIND="/a /b".
for extra in ${GPUTRAIN_POCL_BIND:-}; do bind "$extra"; done

status=0
chroot "$root" /usr/bin/env -i \
  HOME="$HOME" TERM="${TERM:-dumb}" PATH="$dotnet_dir:/usr/local/bin:/usr/bin:/bin" \
  DOTNET_ROOT="$dotnet_dir" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
  ${GPUTRAIN_SHARED:+GPUTRAIN_SHARED="$GPUTRAIN_SHARED"} \
  ${GPUTRAIN_TEST_DEVICE:+GPUTRAIN_TEST_DEVICE="$GPUTRAIN_TEST_DEVICE"} \
  /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$PWD" "$@" || status=$?
exit "$status"
