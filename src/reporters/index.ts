/**
 * Public surface of the reporters: pure renderers of a finished run and the write step.
 */
export type { ReportInput } from './report-input.js';
export type { ReportRow, VerdictCounts } from './case-rows.js';
export { buildRows, countVerdicts } from './case-rows.js';
export type { ReportView, RowBrief, RowParts } from './report-view.js';
export { viewOfInput } from './report-view.js';
export { renderHtml, renderHtmlChunks } from './html/render-html.js';
export { renderMarkdown } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { renderJunit, renderJunitChunks } from './junit.js';
export { renderJson, renderJsonChunks, buildRunJson, REPORT_SUMMARY_SCHEMA } from './json.js';
export type { RunReportJson } from './json.js';
export { buildBreakdowns } from './breakdown.js';
export type { Breakdowns, GroupPassRate } from './breakdown.js';
export { wordDiff } from './diff.js';
export type { DiffOp } from './diff.js';
export { writeReports, reporters, isReportFormat, REPORT_FORMATS } from './write.js';
export type { ReportFormat, ReporterDef, WriteReportsOptions } from './write.js';
