/**
 * The published JSON Schemas of the dataset files, as code. `schemas/*.json` are generated from
 * these objects (see `test/unit/datasets-schemas.test.ts`, which fails when they drift), and the
 * store validates every file it reads against them.
 */
import type { JsonSchema } from './json-schema.js';

const BASE = 'https://evals.dev/schemas';
const stringArray: JsonSchema = { type: 'array', items: { type: 'string' } };
const caseId: JsonSchema = { type: 'string', pattern: '^c_[0-9a-f]{16}$' };

const message: JsonSchema = {
  type: 'object',
  required: ['role', 'content'],
  properties: {
    role: { enum: ['system', 'user', 'assistant', 'tool'] },
    content: { type: ['string', 'null'] },
    toolCalls: { type: 'array', items: { $ref: '#/$defs/toolCall' } },
    toolCallId: { type: 'string' },
    name: { type: 'string' },
  },
};

/** Schema of one `cases/<case-id>.json` file (`evals.case/v1`). */
export const caseSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${BASE}/case.schema.json`,
  title: 'evals case',
  description: 'One frozen pipeline execution. Extra fields are allowed so newer writers stay readable.',
  type: 'object',
  required: ['schema', 'id', 'input', 'context', 'recorded', 'labels', 'provenance'],
  properties: {
    schema: { const: 'evals.case/v1' },
    id: caseId,
    input: {
      type: 'object',
      required: ['messages'],
      properties: {
        query: { type: 'string' },
        messages: { type: 'array', items: { $ref: '#/$defs/message' } },
        model: { type: 'string' },
        provider: { type: 'string' },
        api: { type: 'string' },
        params: { type: 'object' },
        tools: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
        variables: { type: 'object' },
        llmSpanId: { type: 'string' },
        callFrom: { type: 'string' },
      },
    },
    context: {
      type: 'object',
      required: ['steps'],
      properties: {
        steps: {
          type: 'array',
          items: {
            type: 'object',
            required: ['spanId', 'name', 'offsetMs', 'durationMs', 'status'],
            properties: {
              spanId: { type: 'string' },
              parentSpanId: { type: 'string' },
              name: { type: 'string' },
              offsetMs: { type: 'number' },
              durationMs: { type: 'number' },
              status: { enum: ['ok', 'error'] },
              step: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
            },
          },
        },
      },
    },
    recorded: {
      type: 'object',
      required: ['output', 'latencyMs', 'status'],
      properties: {
        output: { type: ['string', 'null'] },
        toolCalls: { type: 'array', items: { $ref: '#/$defs/toolCall' } },
        finishReason: { type: 'string' },
        model: { type: 'string' },
        usage: { type: 'object', additionalProperties: { type: 'number' } },
        latencyMs: { type: 'number', minimum: 0 },
        status: { enum: ['ok', 'error'] },
        error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
        outputMissing: { type: 'string' },
      },
    },
    expected: {
      type: 'object',
      properties: {
        output: { type: 'string' },
        assertions: { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { type: 'string', minLength: 1 } } } },
      },
    },
    labels: {
      type: 'object',
      required: ['flaggedBecause', 'tags', 'diagnosis'],
      properties: {
        incident: { type: 'string' },
        flaggedBecause: stringArray,
        tags: stringArray,
        diagnosis: {
          type: 'array',
          items: {
            type: 'object',
            required: ['label', 'spanId', 'spanName', 'reason'],
            properties: { label: { type: 'string' }, spanId: { type: 'string' }, spanName: { type: 'string' }, reason: { type: 'string' } },
          },
        },
      },
    },
    provenance: {
      type: 'object',
      required: ['source', 'traceId', 'capturedAt', 'toolVersion'],
      properties: {
        source: { type: 'string', minLength: 1 },
        location: { type: 'string' },
        traceId: { type: 'string', minLength: 1 },
        tracedAt: { type: 'string' },
        capturedAt: { type: 'string' },
        toolVersion: { type: 'string' },
        note: { type: 'string' },
        redaction: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
        userId: { type: 'string' },
        sessionId: { type: 'string' },
      },
    },
  },
  $defs: {
    message,
    toolCall: { type: 'object', required: ['name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
  },
};

/** Schema of `datasets/<name>/dataset.yaml` (written by 0.1; read for `name@N` and `evals datasets migrate`). */
export const datasetSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${BASE}/dataset.schema.json`,
  title: 'evals dataset',
  type: 'object',
  required: ['name', 'latest', 'created', 'redaction'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
    description: { type: 'string' },
    latest: { type: 'integer', minimum: 0 },
    created: { type: 'string' },
    redaction: {
      type: 'object',
      required: ['scheme', 'salt'],
      additionalProperties: false,
      properties: { scheme: { const: 'hmac-sha256' }, salt: { type: 'string', pattern: '^[0-9a-f]{32,}$' } },
    },
  },
};

/** Schema of `datasets/<name>/versions/vNNNN.yaml` (written by 0.1; read for `name@N` and migration). */
export const versionSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${BASE}/dataset-version.schema.json`,
  title: 'evals dataset version',
  type: 'object',
  required: ['version', 'parent', 'created', 'hash', 'provenance', 'changes', 'cases'],
  additionalProperties: false,
  properties: {
    version: { type: 'integer', minimum: 1 },
    parent: { type: ['integer', 'null'], minimum: 1 },
    created: { type: 'string' },
    hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    provenance: {
      type: 'object',
      required: ['source', 'traceIds', 'time', 'toolVersion', 'redaction'],
      additionalProperties: false,
      properties: {
        source: { type: 'string' },
        traceIds: stringArray,
        incident: { type: 'string' },
        note: { type: 'string' },
        time: { type: 'string' },
        toolVersion: { type: 'string' },
        redaction: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
      },
    },
    changes: {
      type: 'object',
      required: ['added', 'removed'],
      additionalProperties: false,
      properties: { added: { type: 'array', items: caseId }, removed: { type: 'array', items: caseId } },
    },
    cases: {
      description: 'Case id → SHA-256 (hex) of that case file, sorted by id.',
      type: 'object',
      additionalProperties: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  },
};

const sha256Hex: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const provenanceSchema = (versionSchema.properties as Record<string, JsonSchema>).provenance as JsonSchema;

/** Schema of `datasets/<name>/versions/<id>.yaml` (layout 2: one node of the version DAG). */
export const versionNodeSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${BASE}/dataset-version-node.schema.json`,
  title: 'evals dataset version (DAG node)',
  description: 'File name = first 16 hex of the SHA-256 of the file bytes. Records the change this version makes to the merged state of its parents.',
  type: 'object',
  required: ['parents', 'created', 'hash', 'provenance', 'changes'],
  additionalProperties: false,
  properties: {
    parents: { type: 'array', items: { type: 'string', pattern: '^[0-9a-f]{16}$' } },
    number: { type: 'integer', minimum: 1 },
    created: { type: 'string' },
    hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    dataset: {
      type: 'object',
      required: ['redaction'],
      additionalProperties: false,
      properties: {
        description: { type: 'string' },
        redaction: (datasetSchema.properties as Record<string, JsonSchema>).redaction as JsonSchema,
      },
    },
    provenance: provenanceSchema,
    changes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        added: { type: 'object', additionalProperties: sha256Hex },
        removed: { type: 'array', items: caseId },
        replaced: { type: 'object', additionalProperties: { type: 'array', items: caseId } },
      },
    },
  },
};

/** Schema of `evals datasets show <ref> --json`. */
export const showOutputSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${BASE}/datasets-show.schema.json`,
  title: 'evals datasets show --json',
  type: 'object',
  required: ['dataset', 'version', 'hash', 'cases'],
  additionalProperties: false,
  properties: {
    dataset: { type: 'string' },
    version: { type: 'string', description: 'version id (16 hex), or several joined by "+" while a git merge is not yet recorded' },
    number: { type: 'integer', minimum: 1, description: '0.1 version number, on migrated versions' },
    hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    cases: { type: 'array', items: { $ref: `${BASE}/case.schema.json` } },
  },
};

/** Every published schema by file name under `schemas/`. */
export const publishedSchemas = {
  'case.schema.json': caseSchema,
  'dataset.schema.json': datasetSchema,
  'dataset-version.schema.json': versionSchema,
  'dataset-version-node.schema.json': versionNodeSchema,
  'datasets-show.schema.json': showOutputSchema,
} as const satisfies Record<string, JsonSchema>;
