#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database and an empty uploads folder:
#   DATABASE_URL=postgres://…/portal_new MEDIA_ROOT=/srv/portal/uploads \
#     ops/restore.sh portal-<time>.dump uploads-<time>.tar.gz
# then checks that the schema matches the code (no missing migration).
set -euo pipefail
dump=${1:?usage: ops/restore.sh DUMP UPLOADS_TAR}
uploads=${2:?usage: ops/restore.sh DUMP UPLOADS_TAR}
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set}"
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$uploads"
"$python" "$here/manage.py" migrate --check
echo "restored into $DATABASE_URL and $MEDIA_ROOT"
