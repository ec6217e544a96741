# Sourced (`. scripts/chromium.sh`) by the test scripts that drive Debian's
# headless chromium: installs it when missing, with CJK fonts so that
# Chinese and Japanese text renders as text (CI machines start fresh), and
# exports CHROMIUM, the path playwright-core launches.
if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium fonts-noto-cjk
fi
CHROMIUM=$(command -v chromium)
export CHROMIUM
