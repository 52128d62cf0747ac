#!/usr/bin/env bash
# Pre-release only: rebuild the single initial migration from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f migrations/versions/*.py
export RESERVRUTIN_DATA_DIR="$(mktemp -d)"
.venv/bin/flask --app app db migrate -m "initial schema" >/dev/null
sed -i 's/^import sqlalchemy as sa$/import sqlalchemy as sa\nimport webapp.models.base/' migrations/versions/*.py
rm -rf "$RESERVRUTIN_DATA_DIR"
