/**
 * Deep links into report.html: `report.html#case=<id>&variant=<name>` opens that case's detail
 * panel (table filtered to the case, the variant selected when given). The Vitest integration
 * puts such a link in every failure message; anyone can build one by hand.
 */

/** The URL fragment (without `#`) that opens `caseId` (and `variant`, when given) in report.html. */
export function caseLinkFragment(caseId: string, variant?: string): string {
  const params = new URLSearchParams({ case: caseId });
  if (variant !== undefined) params.set('variant', variant);
  return params.toString();
}

/**
 * Client script part: reads the fragment on load and on `hashchange`. Uses `state`, `refresh`,
 * `view` and `toggleDetail` from the table part; an id that matches no row just filters the table.
 */
export const CLIENT_LINK_JS = `
function openFromHash() {
  var p = new URLSearchParams(location.hash.slice(1));
  var id = p.get('case');
  if (!id) return;
  var variant = p.get('variant');
  state.verdict = 'all'; document.getElementById('f-verdict').value = 'all';
  state.q = id; document.getElementById('f-search').value = id;
  var known = variant !== null && DATA.rows.some(function (r) { return r.variant === variant; });
  state.variant = known ? variant : 'all'; document.getElementById('f-variant').value = state.variant;
  refresh();
  var rows = document.querySelectorAll('#cases tbody tr.row');
  for (var i = 0; i < view.length && i < rows.length; i++) {
    if (view[i].id === id && (!known || view[i].variant === variant)) {
      toggleDetail(view[i], rows[i]);
      rows[i].scrollIntoView({ block: 'start' });
      return;
    }
  }
}
window.addEventListener('hashchange', openFromHash);
`;
