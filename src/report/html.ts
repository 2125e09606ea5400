// The HTML report: one self-contained page (styles and script inline, no request to anywhere) that shows
// each secret's life: a summary, a timeline of when each was introduced and removed, and a table of
// secrets with filters. Made from the JSON report's data, so a single scan and `keyscan report merge`
// of many repositories draw the same page. Readable without JavaScript; the script only adds filters.
// Secrets are always redacted here, whatever --no-redact says: a page is made to be shared.
import { PAGE_SCRIPT, PAGE_STYLE } from "./html-assets.js";
import type { JsonReport, JsonSecret } from "./json.js";
import { redactSecret } from "./redact.js";
import { severityOrder } from "./common.js";

/** One secret and the repository it was found in. */
interface Row {
  repo: string;
  repoUrl?: string;
  secret: JsonSecret;
  remediation: string;
}

export function renderHtml(reports: readonly JsonReport[]): string {
  const rows = reports.flatMap((report, index) =>
    report.secrets.map((secret) => ({
      repo: repoName(report, index),
      ...(report.repository?.url ? { repoUrl: report.repository.url } : {}),
      secret: { ...secret, secret: redactSecret(secret.secret) },
      remediation: report.rules[secret.ruleId]?.remediation ?? "",
    })),
  );
  const many = reports.length > 1;
  const title = many ? `keyscan: ${reports.length} repositories` : `keyscan: ${repoName(reports[0], 0)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="muted">${esc(scannedLine(reports))}</p></header>
${summary(rows, reports)}
${timeline(rows)}
${table(rows, many)}
${remediations(rows)}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function repoName(report: JsonReport | undefined, index: number): string {
  return report?.repository?.name ?? `report ${index + 1}`;
}

function scannedLine(reports: readonly JsonReport[]): string {
  const modes = [...new Set(reports.map((report) => report.mode))].join(", ");
  const version = reports[0]?.tool.version ?? "";
  const commits = reports.reduce((sum, report) => sum + (report.stats.commits ?? 0), 0);
  const files = reports.reduce((sum, report) => sum + report.stats.files, 0);
  const what = commits > 0 ? `${commits} commits, ${files} blobs` : `${files} files`;
  return `keyscan ${version} · ${modes} scan · ${what} · secrets are redacted`;
}

function summary(rows: readonly Row[], reports: readonly JsonReport[]): string {
  if (rows.length === 0) {
    return `<section id="summary"><p class="clean">No secrets were found${reports.length > 1 ? ` in ${reports.length} repositories` : ""}.</p></section>`;
  }
  const count = (test: (row: Row) => boolean) => rows.filter(test).length;
  const cards: [string, number, string][] = [
    ["secrets", rows.length, "total"],
    ...severityOrder.map((severity): [string, number, string] => [severity, count((row) => row.secret.severity === severity), `sev-${severity}`]),
    ["present in HEAD", count((row) => row.secret.state === "present"), "state-present"],
    ["removed, still in history", count((row) => row.secret.state === "removed"), "state-removed"],
    ["verified live", count((row) => row.secret.verification?.status === "valid"), "live"],
  ];
  const providers = new Map<string, number>();
  for (const row of rows) providers.set(row.secret.ruleName, (providers.get(row.secret.ruleName) ?? 0) + 1);
  const byProvider = [...providers].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const repoRows =
    reports.length > 1
      ? `<h3>By repository</h3><table class="small"><tr><th>repository</th><th>secrets</th><th>present</th><th>removed</th></tr>${reports
          .map((report, index) => {
            const name = repoName(report, index);
            const mine = rows.filter((row) => row.repo === name);
            return `<tr><td>${esc(name)}</td><td>${mine.length}</td><td>${mine.filter((row) => row.secret.state === "present").length}</td><td>${mine.filter((row) => row.secret.state === "removed").length}</td></tr>`;
          })
          .join("")}</table>`
      : "";
  return `<section id="summary">
<div class="cards">${cards.map(([label, value, cls]) => `<div class="card ${cls}" data-count="${esc(label)}"><b>${value}</b><span>${esc(label)}</span></div>`).join("")}</div>
<h3>By provider</h3><table class="small"><tr><th>rule</th><th>secrets</th></tr>${byProvider.map(([name, value]) => `<tr><td>${esc(name)}</td><td>${value}</td></tr>`).join("")}</table>
${repoRows}
</section>`;
}

const WIDTH = 960;
const LABEL = 70;
const ROW = 22;
/** Room right of the last date, so its label and a bar still in HEAD show past the last event. */
const RIGHT = 50;

/** One row a secret: a mark at each commit that introduced it, a bar while it lived, a cross where HEAD lost it. */
function timeline(rows: readonly Row[]): string {
  const dated = rows.filter((row) => row.secret.introduced);
  if (dated.length === 0) {
    const why = rows.length === 0 ? "Nothing to show." : "No history in this report: run `keyscan history` for a timeline.";
    return `<section id="timeline"><h2>Timeline</h2><p class="muted">${esc(why)}</p></section>`;
  }
  const times = dated.flatMap((row) => [
    ...introductions(row.secret).map((intro) => Date.parse(intro.date)),
    ...(row.secret.removed ? [Date.parse(row.secret.removed.date)] : []),
  ]);
  let start = Math.min(...times);
  let end = Math.max(...times);
  if (end - start < 86_400_000) {
    start -= 43_200_000;
    end += 43_200_000;
  }
  const x = (time: number) => LABEL + ((time - start) / (end - start)) * (WIDTH - LABEL - RIGHT);
  const height = dated.length * ROW + 40;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const time = start + share * (end - start);
    return `<g class="tick"><line x1="${x(time)}" y1="10" x2="${x(time)}" y2="${height - 24}"/><text x="${x(time)}" y="${height - 8}">${esc(new Date(time).toISOString().slice(0, 10))}</text></g>`;
  });
  const lines = dated.map((row, index) => {
    const y = 20 + index * ROW;
    const intros = introductions(row.secret);
    const first = x(Date.parse(intros[0]?.date ?? ""));
    const last = row.secret.removed ? x(Date.parse(row.secret.removed.date)) : WIDTH - 10;
    const marks = intros.map(
      (intro) =>
        `<circle class="intro" cx="${x(Date.parse(intro.date))}" cy="${y}" r="5"><title>${esc(`${row.secret.id} introduced ${intro.date.slice(0, 10)} by ${intro.author} in ${intro.commit.slice(0, 12)}`)}</title></circle>`,
    );
    const removal = row.secret.removed
      ? `<path class="removal" d="M${last - 5} ${y - 5}L${last + 5} ${y + 5}M${last - 5} ${y + 5}L${last + 5} ${y - 5}"><title>${esc(`${row.secret.id} removed ${row.secret.removed.date.slice(0, 10)} by ${row.secret.removed.author}`)}</title></path>`
      : "";
    return `<g class="life state-${esc(row.secret.state)}" data-secret="${esc(rowId(row))}"><text class="label" x="4" y="${y + 4}">${esc(row.secret.id)}</text><line class="bar" x1="${first}" y1="${y}" x2="${last}" y2="${y}"/>${marks.join("")}${removal}</g>`;
  });
  return `<section id="timeline"><h2>Timeline</h2>
<p class="muted">● introduced · ✕ removed from HEAD · a bar that runs to the right edge is still in HEAD</p>
<svg role="img" aria-label="When each secret was introduced and removed" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${ticks.join("")}${lines.join("")}</svg>
</section>`;
}

/** The distinct commits that added the secret, oldest first. */
function introductions(secret: JsonSecret): { commit: string; date: string; author: string }[] {
  const seen = new Map<string, { commit: string; date: string; author: string }>();
  for (const location of secret.locations) {
    if (location.commit && location.date && !seen.has(location.commit)) {
      seen.set(location.commit, { commit: location.commit, date: location.date, author: location.author ?? "" });
    }
  }
  return [...seen.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function rowId(row: Row): string {
  return `${row.repo}/${row.secret.id}`;
}

function table(rows: readonly Row[], many: boolean): string {
  if (rows.length === 0) return "";
  const options = (values: Iterable<string>) =>
    [...new Set(values)].sort().map((value) => `<option value="${esc(value)}">${esc(value)}</option>`).join("");
  const filters = `<form id="filters" hidden>
<label>severity <select name="severity"><option value="">all</option>${options(severityOrder.filter((severity) => rows.some((row) => row.secret.severity === severity)))}</select></label>
<label>rule <select name="rule"><option value="">all</option>${options(rows.map((row) => row.secret.ruleId))}</select></label>
<label>state <select name="state"><option value="">all</option><option value="present">present</option><option value="removed">removed</option><option value="live">live</option></select></label>
<label>author <select name="author"><option value="">all</option>${options(rows.flatMap((row) => row.secret.locations.map((location) => location.author ?? "").filter(Boolean)))}</select></label>
${many ? `<label>repository <select name="repo"><option value="">all</option>${options(rows.map((row) => row.repo))}</select></label>` : ""}
<label>path <input name="path" type="search" placeholder="part of a path"></label>
<output id="shown"></output>
</form>`;
  const body = rows.map((row) => secretRow(row, many)).join("\n");
  return `<section id="secrets"><h2>Secrets</h2>
${filters}
<table id="secret-table">
<thead><tr><th>id</th>${many ? "<th>repository</th>" : ""}<th>severity</th><th>rule</th><th>secret</th><th>state</th><th>introduced</th><th>removed</th><th>locations</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</section>`;
}

function secretRow(row: Row, many: boolean): string {
  const { secret } = row;
  const authors = [...new Set(secret.locations.map((location) => location.author ?? "").filter(Boolean))];
  const live = secret.verification?.status === "valid";
  const data = [
    ["secret", rowId(row)],
    ["severity", secret.severity],
    ["rule", secret.ruleId],
    ["state", secret.state],
    ["live", live ? "yes" : "no"],
    ["repo", row.repo],
    ["paths", [...new Set(secret.locations.map((location) => location.file))].join("\n")],
    ["authors", authors.join("\n")],
  ]
    .map(([name, value]) => `data-${name}="${esc(value ?? "")}"`)
    .join(" ");
  const state = `${esc(secret.state)}${live ? ' <b class="live">live</b>' : ""}${secret.verification && !live ? ` <span class="muted">(${esc(secret.verification.status)})</span>` : ""}`;
  const locations = secret.locations
    .map((location) => {
      const where = `${location.file}:${location.line}:${location.column}`;
      const file = link(row.repoUrl, location.commit ? fileUrl(row.repoUrl, location.commit, location.file, location.line) : undefined, where);
      const commit = location.commit
        ? ` in ${link(row.repoUrl, commitUrl(row.repoUrl, location.commit), location.commit.slice(0, 12))} by ${esc(location.author ?? "")} on ${esc((location.date ?? "").slice(0, 10))}`
        : "";
      return `<li>${file}${commit}</li>`;
    })
    .join("");
  return `<tr class="secret sev-${esc(secret.severity)}" ${data}>
<td>${esc(secret.id)}</td>${many ? `<td>${esc(row.repo)}</td>` : ""}<td class="sev">${esc(secret.severity)}</td><td>${esc(secret.ruleName)}<br><code>${esc(secret.ruleId)}</code></td><td><code>${esc(secret.secret)}</code></td><td class="state state-${esc(secret.state)}">${state}</td>
<td>${event(row, secret.introduced)}</td><td>${event(row, secret.removed)}</td>
<td><details><summary>${secret.locations.length} location${secret.locations.length === 1 ? "" : "s"}</summary><ul>${locations}</ul>${row.remediation ? `<p class="fix"><b>Fix:</b> ${esc(row.remediation)}</p>` : ""}<p class="muted">fingerprints: ${secret.fingerprints.map((fingerprint) => `<code>${esc(fingerprint)}</code>`).join(" ")}</p></details></td>
</tr>`;
}

function event(row: Row, life: JsonSecret["introduced"]): string {
  if (!life) return "";
  return `${esc(life.date.slice(0, 10))}<br>${esc(life.author)} · ${link(row.repoUrl, commitUrl(row.repoUrl, life.commit), life.commit.slice(0, 12))}`;
}

function remediations(rows: readonly Row[]): string {
  const byRule = new Map<string, { name: string; remediation: string; open: number; total: number }>();
  for (const row of rows) {
    const entry = byRule.get(row.secret.ruleId) ?? { name: row.secret.ruleName, remediation: row.remediation, open: 0, total: 0 };
    entry.total++;
    if (row.secret.verification?.status !== "invalid") entry.open++;
    byRule.set(row.secret.ruleId, entry);
  }
  if (byRule.size === 0) return "";
  const items = [...byRule].map(
    ([id, entry]) =>
      `<li><b>${esc(entry.name)}</b> <code>${esc(id)}</code>: ${entry.open} of ${entry.total} still to rotate${entry.open < entry.total ? " (the rest were rejected by the provider)" : ""}. ${esc(entry.remediation)}</li>`,
  );
  return `<section id="remediation"><h2>Rotation</h2>
<p>Every secret here was exposed, removed or not: a key stays readable in every clone of the history until it is revoked. Revoke each one, then read it from the environment.</p>
<ul>${items.join("")}</ul></section>`;
}

/** The repository's page for a commit, on GitHub or GitLab; undefined for other hosts. */
function commitUrl(repoUrl: string | undefined, sha: string): string | undefined {
  if (!repoUrl) return undefined;
  return isGitlab(repoUrl) ? `${repoUrl}/-/commit/${sha}` : `${repoUrl}/commit/${sha}`;
}

function fileUrl(repoUrl: string | undefined, sha: string, path: string, line: number): string | undefined {
  if (!repoUrl) return undefined;
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return isGitlab(repoUrl) ? `${repoUrl}/-/blob/${sha}/${encoded}#L${line}` : `${repoUrl}/blob/${sha}/${encoded}#L${line}`;
}

function isGitlab(url: string): boolean {
  return /^https:\/\/[^/]*gitlab\./.test(url);
}

/** A link only to the repository's own https pages: anything else is shown as text. */
function link(repoUrl: string | undefined, href: string | undefined, text: string): string {
  if (!repoUrl || !href || !/^https:\/\//.test(href)) return esc(text);
  return `<a href="${esc(href)}" rel="noopener noreferrer">${esc(text)}</a>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
