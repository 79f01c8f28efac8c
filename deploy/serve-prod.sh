#!/usr/bin/env bash
# `make serve-prod`: the production layout on one machine, as docs/deployment.md describes.
# gunicorn with several workers on PostgreSQL, Redis for Flask-Limiter, and ONE separate
# scheduler process. Secrets are generated once into instance/production.env (mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

ENV_FILE=instance/production.env
if [ ! -f "$ENV_FILE" ]; then
  umask 077
  "$BIN/python" - > "$ENV_FILE" <<'PY'
import base64, secrets
print(f"PORTAL_SECRET_KEY={secrets.token_urlsafe(48)}")
print(f"PORTAL_DATA_KEY={base64.b64encode(secrets.token_bytes(32)).decode()}")
print(f"PORTAL_BLIND_INDEX_KEY={base64.b64encode(secrets.token_bytes(32)).decode()}")
PY
  echo "wrote new production secrets to $ENV_FILE (keep a copy: the data key decrypts personal data)"
fi
set -a
# shellcheck disable=SC1090
source "$ENV_FILE"
PORTAL_ENV=production
PORTAL_DATABASE_URL="${PORTAL_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/portal}"
PORTAL_REDIS_URL="${PORTAL_REDIS_URL:-redis://127.0.0.1:6379/0}"
set +a

# Create the database on first use (trust auth on this machine; production gives a URL).
"$BIN/python" - <<'PY'
import os
import psycopg
from sqlalchemy.engine import make_url
url = make_url(os.environ["PORTAL_DATABASE_URL"])
admin = url.set(database="postgres", drivername="postgresql")
with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone():
        conn.execute(f'CREATE DATABASE "{url.database}"')
        print(f"created database {url.database}")
PY

FLASK="$BIN/flask --app portal"
$FLASK db upgrade            # the deploy step
$FLASK calendar seed
if [ "${PORTAL_SEED_DEMO:-0}" = "1" ]; then $FLASK seed-demo; fi

$FLASK scheduler run &       # exactly one scheduler process
SCHEDULER_PID=$!
trap 'kill $SCHEDULER_PID 2>/dev/null || true' EXIT INT TERM
"$BIN/gunicorn" --config deploy/gunicorn.conf.py portal.wsgi:app
