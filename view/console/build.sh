#!/usr/bin/env bash
# Builds the console's vendor/: installs the pinned ECharts and Cytoscape.js
# (package-lock.json) with npm and copies their self-contained ES module
# bundles next to the console's own modules. vendor/ is not committed.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
mkdir -p vendor
cp node_modules/echarts/dist/echarts.esm.min.mjs vendor/echarts.mjs
cp node_modules/cytoscape/dist/cytoscape.esm.min.mjs vendor/cytoscape.mjs
