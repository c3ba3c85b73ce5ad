/**
 * The public library API of evals. Everything not exported here is internal and may change.
 * The CLI is a thin layer over these functions.
 */
// Configuration
export { defineConfig } from './config/schema.js';
export type { EvalsConfig, EvalsConfigInput, ProviderConfigEntry, PipelineConfig, VariantConfig, RunConfig, GateConfig, SnapshotConfig } from './config/schema.js';
export { loadConfig } from './config/load.js';
export type { LoadedConfig } from './config/load.js';

// Errors and exit codes
export { EvalsError, InputError, ConfigError, UsageError, NotFoundError, RunError, ExitCode } from './errors.js';

// Traces
export type { Trace, Span, RawSpan, Step, LlmStep, RetrievalStep, ToolStep, ParseStep, PromptStep, ChainStep, Message, ToolCall, Usage, Feedback, Json } from './traces/model.js';
export type { TraceSource, RawTrace, TraceQuery } from './traces/sources/source.js';
export { openSource } from './traces/sources/index.js';
export { buildTrace } from './traces/build.js';
export { flagReasons } from './traces/select.js';
export type { FlagRules } from './traces/select.js';

// Cases and datasets
export type { Case, CaseInput, CaseRecorded, CaseExpected, CaseStep, Diagnosis, DiagnosisLabel, AssertionConfig } from './datasets/case.js';
export { computeCaseId, caseTitle } from './datasets/case.js';
export { caseFromTrace } from './datasets/exchange/from-trace.js';
export { diagnose, retrievalPopulation } from './diagnose/diagnose.js';
export type { DiagnoseOptions, RetrievalPopulation } from './diagnose/diagnose.js';
export { checkInjectionFollowed } from './diagnose/injection-check.js';
export { redactCase, scanValue } from './datasets/redaction/redact.js';
export { writeVersion } from './datasets/storage/write-version.js';
export { readVersion, listDatasets, logDataset, diffVersions } from './datasets/storage/dataset-read.js';
export { verifyDataset } from './datasets/storage/verify.js';
export { migrateDataset } from './datasets/storage/migrate.js';
export { resolveConflicts } from './datasets/curation/resolve.js';
export { openStore } from './datasets/store.js';

// Running
export type { Pipeline, PipelineContext, PipelineOutput, VariantOverrides } from './pipelines/pipeline.js';
export type { ModuleContext, ModuleFunction } from './pipelines/module.js';
export type { Provider, LlmRequest, LlmResponse } from './providers/provider.js';
export type { BatchApi, BatchRequest, BatchStatus, BatchItemResult, BatchLimits } from './providers/batch.js';
export { createProvider } from './providers/registry.js';
export { runSuite } from './runner/run.js';
export type { RunPlan, RunOutcome } from './runner/run-plan.js';
export type { CaseResult } from './runner/result.js';
export type { RunRecord } from './runner/run-record.js';

// Evaluating, comparing, reporting
export { defineEvaluator } from './evaluators/evaluator.js';
export type { Evaluator, EvalContext, Score, EvaluatedOutput } from './evaluators/evaluator.js';
export { builtinEvaluators } from './evaluators/registry.js';
export type { JudgeSettings, RunJudge, JudgeUse } from './evaluators/judge-settings.js';
export { compareResults } from './compare/compare.js';
export type { Comparison, CaseComparison, CaseVerdict, GateResult } from './compare/types.js';
export { renderHtml, renderMarkdown, renderJunit, renderJson, writeReports } from './reporters/index.js';
export type { ReportInput } from './reporters/index.js';

// Testing: the local fake provider
export { startFakeProvider } from './fake-provider/index.js';
