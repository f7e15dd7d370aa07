#!/usr/bin/env bash
# Opens pages of the generated reference docs in headless Chromium and fails unless each one
# renders: the page loads, TypeDoc's script runs (it un-hides the body and fills the site
# navigation), the main content is not empty, no script error or error marker shows up, and the
# page holds what it should (the rule catalogue lists every rule id of its Markdown source).
#
#   npm run docs && bash scripts/docs/render-check.sh [docs/reference]
#
# Needs Chromium: Debian's package (`apt-get install chromium`), or CHROMIUM=/path/to/chrome.
# Screenshots of the checked pages are written to tmp/docs-render/ for a look by eye.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
site="$(cd "${1:-$root/docs/reference}" 2>/dev/null && pwd)" || {
  echo "render-check: ${1:-docs/reference} does not exist: build the docs first with npm run docs" >&2
  exit 2
}
catalogue_source="$root/docs/reference-src/rule-catalogue.md"
shots="$root/tmp/docs-render"

browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
  done
fi
if [[ -z "$browser" ]]; then
  cat >&2 <<'EOF'
render-check: Chromium is not installed.
  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium
  (as root, drop sudo), or point CHROMIUM at a Chrome or Chromium binary.
EOF
  exit 2
fi

mkdir -p "$shots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "render-check: $("$browser" --version 2>/dev/null | head -n 1) on $site"

# Runs the browser headless and offline on one page; $1 page, $2 mode flag, the rest extra flags.
run_browser() {
  local page="$1" mode="$2"
  shift 2
  local profile
  profile="$(mktemp -d -p "$work")"
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --virtual-time-budget=5000 --enable-logging=stderr --v=0 \
    "$@" "$mode" "file://$site/$page"
}

failures=0
fail() {
  echo "  FAIL $1"
  failures=$((failures + 1))
}

# $1 page relative to the site, $2 a name for the screenshot, $3 text the page must contain.
check_page() {
  local page="$1" name="$2" expected="$3" failures_before=$failures
  echo "page $page"
  if [[ ! -f "$site/$page" ]]; then
    fail "$page does not exist"
    return
  fi
  local dom="$work/$name.html" log="$work/$name.log"
  if ! run_browser "$page" --dump-dom >"$dom" 2>"$log"; then
    fail "Chromium exited with an error (log: $(tail -n 3 "$log" | tr '\n' ' '))"
    return
  fi

  local bytes text_chars nav_links
  bytes=$(wc -c <"$dom")
  # Visible text of the main column: tags and scripts removed, whitespace squeezed.
  text_chars=$(sed -n '/class="col-content"/,/class="col-sidebar"/p' "$dom" | sed -e 's/<script[^>]*>.*<\/script>//g' -e 's/<[^>]*>//g' | tr -s '[:space:]' ' ' | wc -c)
  nav_links=$(sed -n '/id="tsd-nav-container"/,/<\/ul>/p' "$dom" | grep -o '<a ' | wc -l || true)
  echo "  dom ${bytes} bytes, main text ${text_chars} characters, ${nav_links} navigation links"

  if (( bytes < 2000 )); then fail "the page is empty (${bytes} bytes of DOM)"; fi
  if (( text_chars < 200 )); then fail "the main content is empty (${text_chars} characters of text)"; fi
  if grep -q '<body style="display: none' "$dom"; then fail "the body is still hidden: TypeDoc's script did not run"; fi
  if (( nav_links == 0 )); then fail "the site navigation is empty: assets/navigation.js did not load"; fi
  local marker
  for marker in 'id="main-frame-error"' 'ERR_FILE_NOT_FOUND' 'ERR_ACCESS_DENIED' '{@link' '[object Object]'; do
    if grep -qF "$marker" "$dom"; then fail "error marker '$marker' in the page"; fi
  done
  local console_errors
  console_errors=$(grep -E 'CONSOLE.*(Uncaught|[Ee]rror)' "$log" || true)
  if [[ -n "$console_errors" ]]; then
    fail "script errors in the console:"
    echo "$console_errors" | sed 's/^/    /'
  fi
  if ! grep -qF "$expected" "$dom"; then fail "'$expected' is not on the page"; fi

  if run_browser "$page" --screenshot="$shots/$name.png" --window-size=1280,1000 >/dev/null 2>&1 && [[ -s "$shots/$name.png" ]]; then
    echo "  screenshot ${shots#"$root"/}/$name.png ($(wc -c <"$shots/$name.png") bytes)"
  else
    fail "no screenshot could be taken"
  fi
  (( failures == failures_before )) && echo "  ok: loaded, script ran, navigation filled, no console or error marker, found '$expected'"
  return 0
}

check_page index.html index 'CORE infrastructure'
check_page documents/Policy_rule_catalogue.html rule-catalogue 'Control Tower decisions'

# Every rule id in the catalogue's Markdown source must be rendered on the page.
if [[ -f "$catalogue_source" && -f "$work/rule-catalogue.html" ]]; then
  mapfile -t ids < <(grep -oE '^\| `CORE\.[A-Z0-9]+\.[0-9]+`' "$catalogue_source" | tr -d '|` ')
  missing=()
  for id in "${ids[@]}"; do
    grep -qF ">$id<" "$work/rule-catalogue.html" || missing+=("$id")
  done
  if (( ${#missing[@]} > 0 )); then
    fail "rule ids missing from the rendered catalogue: ${missing[*]}"
  else
    echo "  all ${#ids[@]} rule and engine-check ids of $(basename "$catalogue_source") are rendered"
  fi
else
  fail "cannot compare the catalogue page with $catalogue_source"
fi

if (( failures > 0 )); then
  echo "render-check: FAILED ($failures problems)"
  exit 1
fi
echo "render-check: PASSED (2 pages)"
