#!/usr/bin/env bash
# `rulec view` at a million spans: a fresh store filled over OTLP/HTTP by
# several senders, then the latency of every console page's API requests over
# the last 15 minutes and the last 24 hours, the static console, and a restart.
#
#   bash bench/view_scale.sh [SPANS]     (default 1000000)
#
# Prints the ingest rate (end to end: until the API counts every request),
# the view process's peak RSS, a median / p95 table per request, and the time
# a restart takes to answer its first overview. See bench/view_scale.py.
source "$(dirname "$0")/common.sh"

PYTHONPATH="$here/.." python3 "$here/view_scale.py" --spans "${1:-1000000}" --data "$tmp/data"
