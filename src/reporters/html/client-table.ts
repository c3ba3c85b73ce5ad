/**
 * Client script, part 1: reads the embedded JSON and renders the case table with filters,
 * sorting and incremental paging (a page of rows at a time, so 5,000 cases stay fast). All
 * content goes through `textContent`; nothing from the data is ever parsed as HTML.
 */

/** Rows added per "Show more" click (and shown first). */
export const PAGE_SIZE = 200;

/** JavaScript source of the table part; `renderDetail` comes from the detail part. */
export const CLIENT_TABLE_JS = `
var DATA = JSON.parse(document.getElementById('data').textContent);
var PAGE = ${PAGE_SIZE};
var state = { verdict: 'all', variant: 'all', q: '', sort: null, dir: 1, shown: PAGE, open: null };
var view = [];
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function fmtNum(x, digits) { return x === null || x === undefined ? '–' : x.toFixed(digits); }
function fmtDelta(x) { return x === null || x === undefined ? '–' : (x > 0 ? '+' : '') + x.toFixed(3); }
function matchesVerdict(r, v) {
  if (v === 'all') return true;
  if (v === 'unchanged') return r.verdict === 'unchanged-pass' || r.verdict === 'unchanged-fail';
  if (v === 'failing') return r.passRate !== null && r.passRate < 1;
  return r.verdict === v;
}
var SORTERS = {
  verdict: function (r) { return VERDICT_RANK[r.verdict]; },
  title: function (r) { return r.title.toLowerCase(); },
  variant: function (r) { return r.variant; },
  dataset: function (r) { return r.dataset; },
  delta: function (r) { return r.scoreDelta === null ? -Infinity : r.scoreDelta; },
  pass: function (r) { return r.passRate === null ? -1 : r.passRate; },
  latency: function (r) { return r.latencyMs === null ? -1 : r.latencyMs; }
};
var VERDICT_RANK = { regressed: 0, unconfirmed: 1, errored: 2, unscored: 3, missing: 4, skipped: 5, flaky: 6, fixed: 7, 'new': 8, 'unchanged-fail': 9, 'unchanged-pass': 10 };
function computeView() {
  var q = state.q.toLowerCase();
  view = DATA.rows.filter(function (r) {
    if (!matchesVerdict(r, state.verdict)) return false;
    if (state.variant !== 'all' && r.variant !== state.variant) return false;
    if (!q) return true;
    return (r.title + '\\n' + r.id + '\\n' + (r.output || '') + '\\n' + r.changes.join('\\n')).toLowerCase().indexOf(q) !== -1;
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
  var d = el('td', 'num ' + (r.scoreDelta > 0 ? 'pos' : r.scoreDelta < 0 ? 'neg' : ''), fmtDelta(r.scoreDelta)); tr.appendChild(d);
  tr.appendChild(el('td', 'num', r.passRate === null ? '–' : Math.round(r.passRate * 100) + '%' + (r.flaky ? ' flaky' : '')));
  tr.appendChild(el('td', 'num', r.latencyMs === null ? '–' : Math.round(r.latencyMs) + ' ms'));
  tr.appendChild(el('td', null, r.changes.join('; ') + (r.error ? (r.changes.length ? '; ' : '') + r.error : '')));
  tr.addEventListener('click', function () { toggleDetail(r, tr); });
  return tr;
}
function toggleDetail(r, tr) {
  var wasOpen = state.open && state.open.row === r;
  if (state.open) { state.open.tr.classList.remove('open'); state.open.detail.remove(); state.open = null; }
  if (wasOpen) return;
  var detail = el('tr', 'detail');
  var td = el('td'); td.colSpan = 9; td.appendChild(renderDetail(r)); detail.appendChild(td);
  tr.after(detail); tr.classList.add('open');
  state.open = { row: r, tr: tr, detail: detail };
}
function renderTable(reset) {
  var body = document.querySelector('#cases tbody');
  if (reset) { body.textContent = ''; state.open = null; body.dataset.count = '0'; }
  var from = Number(body.dataset.count || '0');
  var to = Math.min(view.length, state.shown);
  var frag = document.createDocumentFragment();
  for (var i = from; i < to; i++) frag.appendChild(rowElement(view[i]));
  body.appendChild(frag);
  body.dataset.count = String(to);
  document.getElementById('count').textContent = view.length + ' of ' + DATA.rows.length + ' rows' + (to < view.length ? ' (showing ' + to + ')' : '');
  document.getElementById('more').hidden = to >= view.length;
}
function refresh() { state.shown = PAGE; computeView(); renderTable(true); }
function initTable() {
  var variants = {};
  DATA.rows.forEach(function (r) { variants[r.variant] = true; });
  var vsel = document.getElementById('f-variant');
  Object.keys(variants).sort().forEach(function (v) { var o = el('option', null, v); o.value = v; vsel.appendChild(o); });
  document.getElementById('f-verdict').addEventListener('change', function (e) { state.verdict = e.target.value; refresh(); });
  vsel.addEventListener('change', function (e) { state.variant = e.target.value; refresh(); });
  var timer = null;
  document.getElementById('f-search').addEventListener('input', function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = e.target.value.trim(); refresh(); }, 150);
  });
  document.getElementById('more').addEventListener('click', function () { state.shown += PAGE; renderTable(false); });
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
  refresh();
}
`;
