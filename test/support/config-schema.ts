/**
 * Generates schemas/config.schema.json, the JSON Schema editors use to complete and check
 * `evals.config.yaml` (`npm run schema`; test/unit/config-schema.test.ts fails when the
 * committed file is stale). The shape comes from the valibot schema (src/config/schema.ts); the
 * descriptions come from that schema's JSDoc, read with the TypeScript compiler, so the text an
 * editor shows on hover in `evals.config.ts` and in `evals.config.yaml` is written once.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from '@valibot/to-json-schema';
import ts from 'typescript';
import { Fields } from '../../src/config/fields.js';
import { EvalsConfigSchema } from '../../src/config/schema.js';
import { builtinEvaluators } from '../../src/evaluators/registry.js';

type Json = Record<string, unknown>;

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONFIG_SCHEMA_FILE = path.join(ROOT, 'schemas/config.schema.json');

/** The JSON Schema of the config, as the text written to schemas/config.schema.json. */
export function configSchemaText(): string {
  const schema = toJsonSchema(EvalsConfigSchema, {
    target: 'draft-2020-12',
    // The input a user writes: stop before the transforms that fill defaults and names.
    typeMode: 'input',
    // Checks JSON Schema cannot say (a regex compiles, unique variant names, a module pipeline
    // names its path): the loader still enforces them.
    ignoreActions: ['check', 'raw_check', 'partial_check', 'raw_transform', 'finite'],
    // An editor sees the file before `${VAR}` is read from the environment.
    overrideAction: ({ valibotAction, jsonSchema }) => (valibotAction.type === 'regex' ? { ...jsonSchema, pattern: `^\\$\\{|${String(jsonSchema.pattern)}` } : undefined),
  }) as Json;
  describeEvaluatorEntries(schema);
  addDescriptions(schema);
  const out = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://evals.dev/schemas/config.schema.json',
    title: 'evals config',
    description: 'evals.config.yaml: the regression suite `evals run` replays. Every key is optional; unknown keys are errors. README "Config reference".',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * An evaluator entry: `type` is a built-in name (completed by editors) or a project evaluator's
 * file name; a built-in entry takes only the options that built-in reads (each declares them to
 * `Fields.knownKeys` first thing, which is how they are listed here), plus `weight` and
 * `threshold` that every built-in takes.
 */
function describeEvaluatorEntries(schema: Json): void {
  const entry = ((schema.properties as Json).evaluators as { anyOf: Array<Json & { items?: Json }> }).anyOf[0]!.items!;
  const names = Object.keys(builtinEvaluators).sort();
  (entry.properties as Json).type = {
    anyOf: [{ type: 'string', enum: names }, { type: 'string', minLength: 1 }],
    description: 'A built-in evaluator, or the name of a file in `evaluatorsDir` (`evaluators/<type>.ts`). Its other options are checked when the suite is loaded.',
  };
  entry.additionalProperties = true;
  entry.allOf = names.flatMap((name) => {
    const options = optionsOf(name as keyof typeof builtinEvaluators);
    if (!options) return [];
    const properties = Object.fromEntries([...new Set([...options, 'weight', 'threshold'])].map((o) => [o, o === 'type' ? { const: name } : {}]));
    return [{ if: { properties: { type: { const: name } }, required: ['type'] }, then: { properties, additionalProperties: false } }];
  });
}

/** The option names a built-in evaluator accepts, read from its `knownKeys` call. */
function optionsOf(name: keyof typeof builtinEvaluators): readonly string[] | undefined {
  class Known extends Error {
    constructor(readonly keys: readonly string[]) {
      super('known keys');
    }
  }
  const probe = new (class extends Fields {
    override knownKeys(_o: Record<string, unknown>, _p: Array<string | number>, known: readonly string[]): void {
      throw new Known(known);
    }
  })('probe');
  try {
    builtinEvaluators[name]({ type: name }, probe, []);
  } catch (err) {
    if (err instanceof Known) return err.keys;
  }
  return undefined;
}

/** Copies the JSDoc of each field of `EvalsConfigInput` into the matching node's `description`. */
function addDescriptions(schema: Json): void {
  const file = path.join(ROOT, 'src/config/schema.ts');
  const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = checker.getSymbolAtLocation(source)!.exports!.get(ts.escapeLeadingUnderscores('EvalsConfigInput'))!;
  walk(schema, checker.getDeclaredTypeOfSymbol(alias), checker);
}

function walk(node: Json, type: ts.Type, checker: ts.TypeChecker): void {
  const t = checker.getNonNullableType(type);
  for (const option of (node.anyOf as Json[] | undefined) ?? []) walk(option, t, checker);
  const constituents = t.isUnion() ? t.types : [t];
  for (const [key, child] of Object.entries((node.properties as Record<string, Json> | undefined) ?? {})) {
    const prop = constituents.map((c) => checker.getPropertyOfType(c, key)).find((p) => p !== undefined);
    if (!prop) continue;
    const doc = ts.displayPartsToString(prop.getDocumentationComment(checker)).replace(/\s*\n\s*/g, ' ').trim();
    if (doc && child.description === undefined) child.description = doc;
    if (prop.getJsDocTags(checker).some((tag) => tag.name === 'deprecated')) {
      child.deprecated = true;
      child.description = ts.displayPartsToString(prop.getJsDocTags(checker).find((tag) => tag.name === 'deprecated')!.text);
    }
    walk(child, checker.getTypeOfSymbol(prop), checker);
  }
  const items = node.items as Json | undefined;
  const element = constituents.map((c) => c.getNumberIndexType()).find((x) => x !== undefined);
  if (items && element) walk(items, element, checker);
  const values = node.additionalProperties;
  const value = constituents.map((c) => c.getStringIndexType()).find((x) => x !== undefined);
  if (values && typeof values === 'object' && value) walk(values as Json, value, checker);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(CONFIG_SCHEMA_FILE, configSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), CONFIG_SCHEMA_FILE)}`);
}
