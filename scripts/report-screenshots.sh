#!/usr/bin/env bash
# Render a run's report.html with headless Chromium at a phone's width (390 px) and a desktop's
# (1400 px), to look at: the top of the page, each section (who wins, the charts, the split
# cards, calibration) and each chart (`chart-<stem>`: on a phone the narrow drawing, legend
# below the plot), one PNG each; and `<width>-page-width.png`, the top of the page with a
# yellow line measuring it: `scrollWidth` equal to the window's width means no sideways
# scrolling, and `over=` lists any element sticking out (tables inside their own scrolling box
# are not counted).
#
#   scripts/report-screenshots.sh [SCENARIO] [OUT_DIR]
#
# SCENARIO defaults to the Paris 2024 final, OUT_DIR to target/report-shots. The run is short
# (2000 races): the page's layout, not its numbers, is what is looked at. Needs `chromium`
# (Debian's package) and a built `target/release/racesim` (or RACESIM=path).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/paris-2024-olympic-1500.toml}
out=${2:-target/report-shots}
bin=${RACESIM:-target/release/racesim}
browser=${CHROMIUM:-chromium}
[ -x "$bin" ] || { echo "no $bin: run cargo build --release first" >&2; exit 2; }
command -v "$browser" >/dev/null || { echo "no $browser: apt-get install chromium" >&2; exit 2; }
mkdir -p "$out"
"$bin" run "$scenario" --runs 2000 --out "$out/report" >/dev/null
# A headless screenshot shows the top of a page only (scrolling to an anchor leaves it blank), so
# each section gets a copy of the page that hides everything before its heading.
charts=$(grep -o 'figure id="chart-[^"]*"' "$out/report/report.html" | sed 's/figure id="\(.*\)"/\1/')
for width in 390 1400; do
  for part in top who-wins charts $charts race-shape split-cards calibration; do
    page="$out/report/$part.html"
    if [ "$part" = top ]; then
      cp "$out/report/report.html" "$page"
    else
      sed "s|</head>|<style>main > *:has(~ #$part) { display: none; }</style></head>|" \
        "$out/report/report.html" >"$page"
    fi
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --window-size="$width,1600" --screenshot="$out/$width-$part.png" \
      "file://$(realpath "$page")" >/dev/null 2>&1
    echo "$out/$width-$part.png"
  done
  page="$out/report/page-width.html"
  cat "$out/report/report.html" - >"$page" <<'EOF'
<script>
function measure() {
  let p = document.getElementById("page-width");
  if (!p) { p = document.createElement("pre"); p.id = "page-width"; document.body.append(p); }
  p.style = "position:fixed;top:0;left:0;right:0;background:#ff0;font-size:18px;z-index:9;white-space:pre-wrap;margin:0";
  const w = document.documentElement.clientWidth;
  const over = [...document.querySelectorAll("body *")]
    .filter(e => e.offsetWidth > 0 && e.getBoundingClientRect().right > w + 1 && !e.closest(".scroll"))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + "." + e.className);
  p.textContent = "window=" + w + " scrollWidth=" + document.documentElement.scrollWidth + " over=" + over.join(" ");
}
addEventListener("resize", measure); setTimeout(measure, 300);
</script>
EOF
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=3000 \
    --window-size="$width,300" --screenshot="$out/$width-page-width.png" \
    "file://$(realpath "$page")" >/dev/null 2>&1
  echo "$out/$width-page-width.png"
done
