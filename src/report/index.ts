// The reporters, by format name.
import type { ReportInput } from "./common.js";
import { renderCsv } from "./csv.js";
import { renderGithub } from "./github.js";
import { renderHtml } from "./html.js";
import { jsonReport, renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";
import { type ReportFormat, reportFormats } from "./formats.js";

export type { ReportInput } from "./common.js";
export { redactFinding, redactFindings, redactSecret } from "./redact.js";
export { type ReportFormat, reportFormats } from "./formats.js";

const renderers: Record<ReportFormat, (input: ReportInput) => string> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
  junit: renderJunit,
  csv: renderCsv,
  // A page is made to be shared: redacted whatever --no-redact says.
  html: (input) => renderHtml([jsonReport({ ...input, redact: true })]),
};

export function isReportFormat(name: string): name is ReportFormat {
  return (reportFormats as readonly string[]).includes(name);
}

/** The whole report in the given format, as the text to write to stdout or the --output file. */
export function render(format: ReportFormat, input: ReportInput): string {
  return renderers[format](input);
}
