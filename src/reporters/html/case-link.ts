/**
 * Deep links into report.html: `report.html#case=<id>&variant=<name>` opens that case's detail
 * panel on its page (the variant's row when given; filters that hide it are cleared). The Vitest
 * integration puts such a link in every failure message; anyone can build one by hand. The
 * report's script reads it in client-table.ts (`hashTarget`), next to the `#case-<id>` form.
 */

/** The URL fragment (without `#`) that opens `caseId` (and `variant`, when given) in report.html. */
export function caseLinkFragment(caseId: string, variant?: string): string {
  const params = new URLSearchParams({ case: caseId });
  if (variant !== undefined) params.set('variant', variant);
  return params.toString();
}
