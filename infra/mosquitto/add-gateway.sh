#!/bin/sh
# Adds (or re-keys) a broker account in the Mosquitto password file the shipped config uses.
#
#   infra/mosquitto/add-gateway.sh [--file PATH] [--owner USER[:GROUP]] GATEWAY_ID
#   infra/mosquitto/add-gateway.sh [--file PATH] [--owner USER[:GROUP]] --server [NAME]
#
# GATEWAY_ID becomes the user name: the ACL (infra/mosquitto/acl) lets user X publish only under
# v2/X/… and X/+/update, and read only v2/X/sensors/set and v2/X/command. Set the edge's MQTT_USERNAME
# to the gateway id and its MQTT_PASSWORD (or mqtt.password: file:…) to the password printed here.
# --server adds the server's account (default name iotgw-server, the name the ACL grants `read #` and
# the provisioning writes): iotgw-server's MQTT_USERNAME / MQTT_PASSWORD.
#
# The password is MQTT_NEW_PASSWORD when set, else 32 random characters; it is printed once, on
# standard output, and never stored in clear (mosquitto_passwd stores a salted PBKDF2-SHA512 hash).
# --file defaults to infra/mosquitto/passwords (compose mounts it; git ignores it). Mosquitto reads the
# file after dropping to its own user: the file is made readable by group mosquitto when that group
# exists (mode 0640); for the compose container (uid 1883) pass --owner 1883:1883. A running broker
# reloads the file on SIGHUP (docker compose kill -s HUP mosquitto).
# MOSQUITTO_PASSWD names the mosquitto_passwd binary (default: from PATH).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
file="$here/passwords"
owner=""
server=""
user=""
usage() {
  sed -n '4,5p' "$0" | sed 's/^# *//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --file) [ $# -ge 2 ] || usage; file=$2; shift 2 ;;
    --owner) [ $# -ge 2 ] || usage; owner=$2; shift 2 ;;
    --server) server=1; shift; if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then user=$1; shift; fi ;;
    -h|--help) usage ;;
    -*) echo "add-gateway.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$user" ] || usage; user=$1; shift ;;
  esac
done
if [ -n "$server" ]; then
  user=${user:-iotgw-server}
elif [ -z "$user" ]; then
  usage
elif [ "$user" = "iotgw-server" ]; then
  echo "add-gateway.sh: 'iotgw-server' is the server's account: use --server" >&2
  exit 2
fi
# Gateway ids become topic levels and ACL %u substitutions: no '/', '+', '#', ':' or spaces.
if ! printf '%s' "$user" | grep -Eq '^[A-Za-z0-9._-]{1,128}$'; then
  echo "add-gateway.sh: '$user' is not a valid gateway id (1 to 128 of A-Z a-z 0-9 . _ -)" >&2
  exit 2
fi

passwd_bin=${MOSQUITTO_PASSWD:-mosquitto_passwd}
if ! command -v "$passwd_bin" >/dev/null 2>&1; then
  echo "add-gateway.sh: $passwd_bin not found (apt-get install mosquitto, or set MOSQUITTO_PASSWD)" >&2
  exit 1
fi

password=${MQTT_NEW_PASSWORD:-}
if [ -z "$password" ]; then
  password=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
fi

umask 077
[ -f "$file" ] || : >"$file"
"$passwd_bin" -b "$file" "$user" "$password"

if [ -n "$owner" ]; then
  chown "$owner" "$file"
  chmod 0640 "$file"
elif getent group mosquitto >/dev/null 2>&1 && chgrp mosquitto "$file" 2>/dev/null; then
  chmod 0640 "$file"
else
  echo "add-gateway.sh: $file is readable by its owner only: make it readable by the broker's user (--owner)" >&2
fi

echo "$user $password"
