/**
 * `{{name}}` templates for prompt variants, rendered from a case's captured variables.
 * `{{ name }}` (spaces allowed) and dotted paths (`{{order.id}}`) work; objects render as JSON.
 * A placeholder with no value is an error, so a typo never sends a prompt with a hole in it.
 */
import type { Json } from '../traces/model.js';

export function renderTemplate(template: string, vars: Record<string, Json>): string {
  const missing: string[] = [];
  const out = template.replace(/\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (_m, name: string) => {
    const value = lookup(vars, name);
    if (value === undefined) {
      missing.push(name);
      return '';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  if (missing.length > 0) {
    throw new Error(`prompt template uses ${missing.map((m) => `{{${m}}}`).join(', ')} but the case captured no such variable (has: ${Object.keys(vars).join(', ') || 'none'})`);
  }
  return out;
}

function lookup(vars: Record<string, Json>, dotted: string): Json | undefined {
  let cur: Json | undefined = vars;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, Json>)[part];
  }
  return cur;
}
