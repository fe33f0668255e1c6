#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run every
# test. Installs: the Python package with its test extra (in .venv), Debian's
# chromium + fonts + a Java runtime (browser and HTML-validator tests), npm
# and the npm validators (vnu-jar, axe-core, lighthouse). Extra arguments go to pytest.
# Screenshots and PDFs of the sample briefing land in test-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c "import ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/lighthouse/cli/index.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

BRIEFING_EXTRAS="[test]" scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
