/**
 * Client script, part 1: reads the embedded index (report-data.ts) and renders the case table
 * (before the browser has parsed the details block that follows the script) one page at a time, with filters, text search and sorting over every row in memory; only the
 * rows of the current page exist in the DOM. `#case-<id>` in the address opens that case's
 * first row, on whatever page it falls. All content goes through `textContent`; nothing from
 * the data is ever parsed as HTML.
 */

/** Rows per page. */
export const PAGE_SIZE = 200;

/** JavaScript source of the table part; `renderDetail` and the detail lines come from part 2. */
export const CLIENT_TABLE_JS = `
var INDEX = JSON.parse(document.getElementById('data').textContent);
var ROWS = INDEX.rows.map(function (a, i) {
  return { i: i, id: a[0], variant: INDEX.variants[a[1]], dataset: INDEX.datasets[a[2]], title: a[3], verdict: INDEX.verdicts[a[4]],
    passRate: a[5], scoreDelta: a[6], flaky: a[7] === 1, changes: a[8], latencyMs: a[9], error: a[10], c: a[11] };
});
var PAGE = ${PAGE_SIZE};
var state = { verdict: 'all', variant: 'all', q: '', sort: null, dir: 1, page: 0, open: null, trs: [] };
var view = ROWS;
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function fmtDelta(x) { return x === null || x === undefined ? '–' : (x > 0 ? '+' : '') + x.toFixed(3); }
function matchesVerdict(r, v) {
  if (v === 'all') return true;
  if (v === 'unchanged') return r.verdict === 'unchanged-pass' || r.verdict === 'unchanged-fail';
  if (v === 'failing') return r.passRate !== null && r.passRate < 1;
  return r.verdict === v;
}
var VERDICT_RANK = {};
INDEX.verdicts.forEach(function (v, i) { VERDICT_RANK[v] = i; });
var SORTERS = {
  verdict: function (r) { return VERDICT_RANK[r.verdict]; },
  title: function (r) { return r.title.toLowerCase(); },
  variant: function (r) { return r.variant; },
  dataset: function (r) { return r.dataset; },
  delta: function (r) { return r.scoreDelta === null ? -Infinity : r.scoreDelta; },
  pass: function (r) { return r.passRate === null ? -1 : r.passRate; },
  latency: function (r) { return r.latencyMs === null ? -1 : r.latencyMs; }
};
function haystack(r) {
  if (r.hay === undefined) r.hay = (r.title + '\\n' + r.id + '\\n' + r.changes.join('\\n') + '\\n' + (r.error || '')).toLowerCase();
  return r.hay;
}
function computeView() {
  var q = state.q.toLowerCase();
  var inOutput = q ? outputMatches(q) : null;
  var all = state.verdict === 'all' && state.variant === 'all' && !q;
  view = all ? ROWS.slice() : ROWS.filter(function (r) {
    if (!matchesVerdict(r, state.verdict)) return false;
    if (state.variant !== 'all' && r.variant !== state.variant) return false;
    return !q || inOutput[r.i] === 1 || haystack(r).indexOf(q) !== -1;
  });
  if (state.sort) {
    var key = SORTERS[state.sort], dir = state.dir;
    view = view.map(function (r, i) { return [key(r), i, r]; }).sort(function (a, b) {
      return a[0] < b[0] ? -dir : a[0] > b[0] ? dir : a[1] - b[1];
    }).map(function (x) { return x[2]; });
  }
}
function rowElement(r) {
  var tr = el('tr', 'row');
  var v = el('td'); v.appendChild(el('span', 'badge v-' + r.verdict, r.verdict)); tr.appendChild(v);
  var t = el('td', 'title', r.title); t.title = r.title; tr.appendChild(t);
  tr.appendChild(el('td', 'mono', r.id));
  tr.appendChild(el('td', null, r.variant));
  tr.appendChild(el('td', null, r.dataset));
  tr.appendChild(el('td', 'num ' + (r.scoreDelta > 0 ? 'pos' : r.scoreDelta < 0 ? 'neg' : ''), fmtDelta(r.scoreDelta)));
  tr.appendChild(el('td', 'num', r.passRate === null ? '–' : Math.round(r.passRate * 100) + '%' + (r.flaky ? ' flaky' : '')));
  tr.appendChild(el('td', 'num', r.latencyMs === null ? '–' : Math.round(r.latencyMs) + ' ms'));
  tr.appendChild(el('td', null, r.changes.join('; ') + (r.error ? (r.changes.length ? '; ' : '') + r.error : '')));
  tr.addEventListener('click', function () { whenParsed(function () { if (tr.isConnected) toggleDetail(r, tr, true); }); });
  return tr;
}
function toggleDetail(r, tr, fromClick) {
  var wasOpen = state.open && state.open.row === r;
  if (state.open) { state.open.tr.classList.remove('open'); state.open.detail.remove(); state.open = null; }
  if (wasOpen) return;
  var detail = el('tr', 'detail');
  var td = el('td'); td.colSpan = 9; td.appendChild(renderDetail(r)); detail.appendChild(td);
  tr.after(detail); tr.classList.add('open');
  state.open = { row: r, tr: tr, detail: detail };
  // The address names the open case, so it can be shared; replacing it fires no hashchange.
  if (fromClick) try { history.replaceState(null, '', '#case-' + encodeURIComponent(r.id)); } catch (e) { /* file:// may refuse */ }
}
function pages() { return Math.max(1, Math.ceil(view.length / PAGE)); }
function renderTable() {
  var body = document.querySelector('#cases tbody');
  body.textContent = ''; state.open = null; state.trs = [];
  state.page = Math.min(Math.max(0, state.page), pages() - 1);
  var from = state.page * PAGE, to = Math.min(view.length, from + PAGE);
  var frag = document.createDocumentFragment();
  for (var i = from; i < to; i++) { var tr = rowElement(view[i]); state.trs.push(tr); frag.appendChild(tr); }
  body.appendChild(frag);
  document.getElementById('count').textContent = view.length + ' of ' + ROWS.length + ' rows';
  document.getElementById('page').textContent = view.length ? 'rows ' + (from + 1) + '–' + to + ' · page ' + (state.page + 1) + ' of ' + pages() : 'no rows';
  document.getElementById('prev').disabled = state.page === 0;
  document.getElementById('next').disabled = state.page >= pages() - 1;
}
function refresh() { state.page = 0; computeView(); renderTable(); }
function setFilters(verdict, variant, q) {
  state.verdict = verdict; state.variant = variant; state.q = q;
  document.getElementById('f-verdict').value = verdict;
  document.getElementById('f-variant').value = variant;
  document.getElementById('f-search').value = q;
}
function hashTarget() {
  // Two forms: '#case-<id>' (what opening a row writes) and '#case=<id>&variant=<name>'
  // (caseLinkFragment, used by the Vitest integration's failure messages).
  var h = location.hash;
  try {
    if (h.indexOf('#case-') === 0) return { id: decodeURIComponent(h.slice(6)), variant: null };
    var p = new URLSearchParams(h.slice(1));
    if (p.get('case')) return { id: p.get('case'), variant: p.get('variant') };
  } catch (e) { /* a malformed address opens nothing */ }
  return null;
}
function openFromHash() {
  var t = hashTarget();
  if (!t) return;
  var id = t.id, variant = t.variant;
  if (variant !== null && !ROWS.some(function (r) { return r.id === id && r.variant === variant; })) variant = null;
  var match = function (r) { return r.id === id && (variant === null || r.variant === variant); };
  var at = function () { for (var i = 0; i < view.length; i++) if (match(view[i])) return i; return -1; };
  var pos = at();
  if (pos === -1) {
    if (!ROWS.some(match)) return;
    setFilters('all', 'all', ''); computeView(); pos = at();
  }
  if (pos === -1) return;
  state.page = Math.floor(pos / PAGE);
  renderTable();
  var tr = state.trs[pos - state.page * PAGE];
  toggleDetail(view[pos], tr, false);
  tr.scrollIntoView({ block: 'start' });
}
function initTable() {
  var vsel = document.getElementById('f-variant');
  INDEX.variants.slice().sort().forEach(function (v) { var o = el('option', null, v); o.value = v; vsel.appendChild(o); });
  document.getElementById('f-verdict').addEventListener('change', function (e) { state.verdict = e.target.value; refresh(); });
  vsel.addEventListener('change', function (e) { state.variant = e.target.value; refresh(); });
  var timer = null;
  document.getElementById('f-search').addEventListener('input', function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { whenParsed(function () { state.q = e.target.value.trim(); refresh(); }); }, 150);
  });
  document.getElementById('prev').addEventListener('click', function () { state.page--; renderTable(); });
  document.getElementById('next').addEventListener('click', function () { state.page++; renderTable(); });
  document.querySelectorAll('#cases th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.dataset.sort;
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      document.querySelectorAll('#cases th').forEach(function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
      th.classList.add(state.dir === 1 ? 'sorted-asc' : 'sorted-desc');
      refresh();
    });
  });
  window.addEventListener('hashchange', openFromHash);
  refresh();
  if (window.performance && performance.mark) performance.mark('evals:table'); // for bench/report-browser.mjs
  whenParsed(openFromHash);
}
`;
