#!/usr/bin/env bash
# Install patentq with every extra and the system packages its tests use, then run the tests.
# This is the README's test command; .ci/run calls it with PATENTQ_REQUIRE_SHARED_DATA=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
  # Debian's Chromium drives the report/dashboard browser tests; Java runs pyspark.
  need="chromium"
  command -v java >/dev/null 2>&1 || need="$need openjdk-17-jre-headless"
  (apt-get update -qq && apt-get install -y -qq $need) >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test,spark,web,xlsx]"
python3 -m pytest -q -p no:cacheprovider "$@"
