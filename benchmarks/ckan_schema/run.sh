#!/bin/sh
# Check ckan.json files with CKAN's own package_create schema, in a venv of their own.
#   benchmarks/ckan_schema/run.sh out/*/ckan.json
# CKAN_VENV (default /tmp/ckanvenv) is made with python3.11 and requirements.txt on first use.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${CKAN_VENV:-/tmp/ckanvenv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import ckan.logic.schema" 2>/dev/null; then
    python3.11 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
exec "$venv/bin/python" "$here/check.py" "$@"
