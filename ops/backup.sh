#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the uploaded files.
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/portal/uploads ops/backup.sh /backups/portal
# Writes portal-<UTC time>.dump and uploads-<UTC time>.tar.gz into the folder given.
set -euo pipefail
dest=${1:?usage: ops/backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" \
  --file="$dest/portal-$stamp.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$dest/uploads-$stamp.tar.gz" .
echo "$dest/portal-$stamp.dump"
echo "$dest/uploads-$stamp.tar.gz"
