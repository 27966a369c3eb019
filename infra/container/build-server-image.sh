#!/usr/bin/env bash
# Builds the iotgw-server container image without a daemon or a registry: buildah (Debian's package)
# assembles it from scratch out of the Node that runs this script (24), the shared libraries it links,
# and `pnpm deploy` of the server (production dependencies only). The result is the same program as
# infra/docker/server.Dockerfile's runtime stage, for machines where `FROM node:24-slim` cannot be
# pulled (no registry reachable; see docs/scaling.md, "Containers").
#   infra/container/build-server-image.sh [IMAGE]        (default localhost/iotgw-server:latest)
# Environment: BUILDAH_STORAGE_DRIVER (default vfs: works without overlay or fuse).
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE=${1:-localhost/iotgw-server:latest}
DRIVER=${BUILDAH_STORAGE_DRIVER:-vfs}
b() { buildah --storage-driver "$DRIVER" "$@"; }

command -v buildah >/dev/null || { echo "buildah is not installed (apt-get install buildah)" >&2; exit 1; }
NODE=$(command -v node)
major=$("$NODE" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 24 ] || { echo "node $("$NODE" -v) at $NODE: the image needs Node 24 (run under npm test/npm start's toolchain)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
pnpm exec turbo run build --filter=@iotgw/server --output-logs=errors-only >/dev/null
pnpm --filter @iotgw/server deploy --prod --legacy "$root/app" >/dev/null

mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc" "$root/app/data"
chmod 1777 "$root/tmp"
cp "$NODE" "$root/usr/local/bin/node"
# The dynamic loader and every library node links (glibc, libstdc++, libgcc_s), at their own paths.
ldd "$NODE" | awk '/=>/ { print $3 } /^\s*\/lib/ { print $1 }' | while read -r lib; do
  [ -e "$lib" ] || continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0::/root:/sbin/nologin\niotgw:x:10001:10001::/app:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\niotgw:x:10001:\n' >"$root/etc/group"
chown -R 10001:10001 "$root/app/data"

ctr=$(b from scratch)
b copy "$ctr" "$root/" / >/dev/null
b config \
  --workingdir /app \
  --env NODE_ENV=production \
  --user 10001:10001 \
  --port 8080 \
  --stop-signal SIGTERM \
  --volume /app/data \
  --entrypoint '["/usr/local/bin/node", "/app/dist/main.js"]' \
  --cmd run \
  --label org.opencontainers.image.title=iotgw-server \
  "$ctr"
b commit --rm "$ctr" "$IMAGE" >/dev/null
echo "built $IMAGE ($(b images --format '{{.Size}}' "$IMAGE" | head -1))"
