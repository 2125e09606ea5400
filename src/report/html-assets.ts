// The HTML report's inline style and script (html.ts). The script only filters what the page already
// shows: it fetches nothing, and the page's Content-Security-Policy would block it if it tried.

export const PAGE_STYLE = `
:root { color-scheme: light; --crit: #b00020; --high: #d9480f; --med: #b8860b; --low: #1c6dd0; --muted: #666; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #1d1d1f; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 16px 0 6px; }
.muted { color: var(--muted); } code { font: 12px ui-monospace, monospace; background: #f3f3f5; padding: 1px 4px; border-radius: 3px; }
.clean { font-size: 18px; color: #2b7a0b; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: 8px 12px; min-width: 96px; }
.card b { display: block; font-size: 22px; } .card span { color: var(--muted); font-size: 12px; }
.card.sev-critical b { color: var(--crit); } .card.sev-high b { color: var(--high); } .card.sev-medium b { color: var(--med); }
.card.sev-low b { color: var(--low); } .card.live b { color: var(--crit); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e5e5e5; }
table.small { width: auto; } th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr.sev-critical td.sev { color: var(--crit); font-weight: 700; } tr.sev-high td.sev { color: var(--high); font-weight: 600; }
tr.sev-medium td.sev { color: var(--med); } tr.sev-low td.sev { color: var(--low); }
td.state-present { color: var(--crit); } td.state-removed { color: var(--high); } b.live { color: #fff; background: var(--crit); padding: 0 4px; border-radius: 3px; }
details ul { margin: 6px 0; padding-left: 18px; } .fix { margin: 4px 0; }
#filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 12px; }
#filters[hidden] { display: none; } #filters output { color: var(--muted); }
svg { max-width: 100%; height: auto; border: 1px solid #eee; border-radius: 6px; }
svg .tick line { stroke: #eee; } svg .tick text { font-size: 11px; fill: var(--muted); text-anchor: middle; }
svg .label { font-size: 11px; fill: #333; } svg .bar { stroke: #9aa4b2; stroke-width: 3; }
svg .state-present .bar { stroke: var(--crit); } svg .intro { fill: var(--high); stroke: #fff; stroke-width: 1.5; }
svg .removal { stroke: #222; stroke-width: 2.5; }
`;

export const PAGE_SCRIPT = `
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.secret"));
  var lives = Array.prototype.slice.call(document.querySelectorAll("g.life"));
  var shown = document.getElementById("shown");
  function value(name) { var field = form.elements.namedItem(name); return field ? field.value : ""; }
  function keep(row) {
    var d = row.dataset, state = value("state"), path = value("path").toLowerCase(), author = value("author");
    if (value("severity") && d.severity !== value("severity")) return false;
    if (value("rule") && d.rule !== value("rule")) return false;
    if (value("repo") && d.repo !== value("repo")) return false;
    if (state === "live" ? d.live !== "yes" : state && d.state !== state) return false;
    if (author && d.authors.split("\\n").indexOf(author) < 0) return false;
    if (path && d.paths.toLowerCase().indexOf(path) < 0) return false;
    return true;
  }
  function apply() {
    var kept = {}, count = 0;
    rows.forEach(function (row) { var on = keep(row); row.hidden = !on; if (on) { kept[row.dataset.secret] = true; count++; } });
    lives.forEach(function (life) { life.style.display = kept[life.dataset.secret] ? "" : "none"; });
    shown.textContent = "showing " + count + " of " + rows.length;
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
`;
