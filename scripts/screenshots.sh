#!/usr/bin/env bash
# Renders the example site (the repository root) with the default theme into
# docs/screenshots/*.png: home, a report (its photos), a person (photo and map), a city
# (locator map), the cities index (world map) and every figure at phone (390 px) and
# desktop (1280 px) widths, full page, plus home and report on desktop in dark mode, and
# the Russian home page and a Russian and a Chinese report on desktop.
#
# Builds the site into a temporary folder, serves it on 127.0.0.1 (python3's http.server),
# and drives Debian's headless Chromium through chromedriver, taking the pictures with the
# DevTools protocol (Emulation.setDeviceMetricsOverride, Page.captureScreenshot).
#
# Needs: chromium and chromium-driver (apt-get install -y chromium chromium-driver),
# python3, and a CJK font for the Chinese pages (apt-get install -y fonts-noto-cjk): the
# script stops without one, since Chinese would render as boxes.
#
#   scripts/screenshots.sh            # writes docs/screenshots/
#   scripts/screenshots.sh OUT_DIR    # writes somewhere else
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir="${1:-docs/screenshots}"

for program in chromium chromedriver python3 fc-list; do
  command -v "$program" >/dev/null 2>&1 || { echo "screenshots.sh: $program is missing" >&2; exit 1; }
done
if [ -z "$(fc-list :lang=zh family)" ]; then
  echo "screenshots.sh: no Chinese font: apt-get install -y fonts-noto-cjk" >&2
  exit 1
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cargo build --quiet
target/debug/communique build --root . --output "$work/site"

site_port="$(free_port)"
python3 -m http.server "$site_port" --bind 127.0.0.1 --directory "$work/site" >"$work/http.log" 2>&1 &
pids+=($!)
driver_port="$(free_port)"
chromedriver --port="$driver_port" >"$work/chromedriver.log" 2>&1 &
pids+=($!)

mkdir -p "$out_dir"
python3 - "$driver_port" "$site_port" "$out_dir" "$work/profile" "$(command -v chromium)" <<'PY'
import base64, json, sys, time, urllib.request

driver, site, out_dir, profile, chromium = sys.argv[1:]
base = f"http://127.0.0.1:{driver}"

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as reply:
        return json.load(reply)["value"]

deadline = time.time() + 15
while True:
    try:
        if call("GET", "/status")["ready"]:
            break
    except OSError:
        pass
    if time.time() > deadline:
        sys.exit("chromedriver did not start")
    time.sleep(0.1)

args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={profile}"]
session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
    "browserName": "chrome", "goog:chromeOptions": {"binary": chromium, "args": args}}}})["sessionId"]

def cdp(cmd, params=None):
    return call("POST", f"/session/{session}/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

def script(source):
    return call("POST", f"/session/{session}/execute/sync", {"script": source, "args": []})

pages = [
    ("home", ""),
    ("report", "reports/weihai-city-committee/"),
    ("person", "people/wang-luming/"),
    ("city", "cities/weihai/"),
    ("cities", "cities/"),
    ("figures", "figures/"),
]
shots = [(name, path, width, "light") for name, path in pages for width in (390, 1280)]
shots += [(name, path, 1280, "dark") for name, path in pages[:2]]
# The example site's other languages, on desktop.
shots += [(name, path, 1280, "light") for name, path in [
    ("home-ru", "ru/"),
    ("report-ru", "ru/reports/weihai-city-committee/"),
    ("report-zh", "zh/reports/qingdao-delegation/"),
]]
try:
    for name, path, width, scheme in shots:
        mobile = width < 600
        cdp("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        cdp("Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": mobile})
        call("POST", f"/session/{session}/url", {"url": f"http://127.0.0.1:{site}/{path}"})
        script("return document.fonts.ready.then(() => true);")
        height = script("return Math.ceil(document.documentElement.scrollHeight);")
        cdp("Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        shot = cdp("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        suffix = "phone" if mobile else "desktop"
        file = f"{out_dir}/{name}-{suffix}{'-dark' if scheme == 'dark' else ''}.png"
        with open(file, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"{file}: {width}x{height}")
finally:
    call("DELETE", f"/session/{session}")
PY

# Smaller files, same pixels, where optipng is installed (apt-get install -y optipng).
if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 "$out_dir"/*.png
fi
