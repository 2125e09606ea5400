// The report formats' names. Apart from the renderers (report/index.ts, report/merge.ts): the command
// line offers them at every start, and a renderer's module is loaded only when a report is written.

export const reportFormats = ["text", "json", "sarif", "github", "junit", "csv", "html"] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** What `keyscan report merge` writes. */
export const mergeFormats = ["html", "json", "sarif"] as const;
export type MergeFormat = (typeof mergeFormats)[number];
