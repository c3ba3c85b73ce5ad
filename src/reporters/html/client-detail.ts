/**
 * Client script, part 2: the per-case detail panel, built only when a row is opened, from the
 * lines of the `#details` block (report-data.ts), which is read as text on first use and parsed
 * one line at a time; and the search in outputs, a scan of that text. Uses `el()` and `ROWS`
 * from the table part and `wordDiff` (shipped from `../diff.ts`); text only, no HTML.
 */

/** JavaScript source of the detail part. */
export const CLIENT_DETAIL_JS = `
var LINES = null;
/** Runs fn once the whole document, the details block included, is parsed. */
function whenParsed(fn) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { fn(); }, { once: true });
  else fn();
}
function lineStarts(text) {
  var starts = [0];
  for (var p = text.indexOf('\\n'); p !== -1; p = text.indexOf('\\n', p + 1)) starts.push(p + 1);
  return starts;
}
function detailLines() {
  if (LINES) return LINES;
  if (document.readyState === 'loading') throw new Error('details read before the document is parsed');
  var text = document.getElementById('details').textContent;
  LINES = { text: text, starts: lineStarts(text), lower: null, lowerStarts: null };
  return LINES;
}
function detailLine(n) {
  var L = detailLines();
  var end = n + 1 < L.starts.length ? L.starts[n + 1] - 1 : L.text.length;
  return JSON.parse(L.text.slice(L.starts[n], end));
}
/** Rows whose output contains q (lower case), as a 0/1 array by row: the query is written as it appears in the JSON text. */
function outputMatches(q) {
  var L = detailLines(), n = ROWS.length;
  if (L.lower === null) {
    L.lower = (n < L.starts.length ? L.text.slice(0, L.starts[n] - 1) : L.text).toLowerCase();
    L.lowerStarts = lineStarts(L.lower);
  }
  var hits = new Uint8Array(n);
  var needle = JSON.stringify(q).slice(1, -1).replace(/[<>&\\u2028\\u2029]/g, function (ch) { return '\\\\u' + ('000' + ch.charCodeAt(0).toString(16)).slice(-4); });
  var text = L.lower, st = L.lowerStarts;
  for (var p = text.indexOf(needle); p !== -1;) {
    var lo = 0, hi = st.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (st[mid] <= p) lo = mid; else hi = mid - 1; }
    if (text.charAt(st[lo]) === '"') hits[lo] = 1;
    if (lo + 1 >= st.length) break;
    p = text.indexOf(needle, st[lo + 1]);
  }
  return hits;
}
function section(parent, title) { parent.appendChild(el('h3', null, title)); return parent; }
function pre(text, cls) { return el('pre', cls || null, text === null || text === undefined || text === '' ? '(empty)' : text); }
function renderDiff(before, after) {
  var box = el('pre', 'diff');
  if (before === null && after === null) { box.textContent = '(no output)'; return box; }
  var ops = wordDiff(before || '', after || '');
  ops.forEach(function (op) {
    box.appendChild(op[0] === 0 ? document.createTextNode(op[1]) : el(op[0] < 0 ? 'del' : 'ins', null, op[1]));
  });
  return box;
}
function scoreTable(base, cand) {
  var names = [];
  base.concat(cand).forEach(function (s) { if (names.indexOf(s.name) === -1) names.push(s.name); });
  var t = el('table', 'scores');
  var hr = el('tr');
  ['Evaluator', 'Baseline', 'Baseline reason', 'Candidate', 'Candidate reason'].forEach(function (h) { hr.appendChild(el('th', null, h)); });
  t.appendChild(hr);
  names.forEach(function (n) {
    var b = base.filter(function (s) { return s.name === n; })[0];
    var c = cand.filter(function (s) { return s.name === n; })[0];
    var tr = el('tr');
    tr.appendChild(el('td', 'mono', n));
    [b, c].forEach(function (s) {
      tr.appendChild(el('td', 'num ' + (s ? (s.pass ? 'pass' : 'fail') : ''), s ? s.score.toFixed(2) + (s.pass ? ' pass' : ' fail') : '–'));
      tr.appendChild(el('td', null, s ? s.reason : ''));
    });
    t.appendChild(tr);
  });
  return t;
}
function timeline(groups) {
  var total = 1;
  groups.forEach(function (g) { g.steps.forEach(function (s) { total = Math.max(total, s.offsetMs + s.durationMs); }); });
  var box = el('div', 'tl');
  groups.forEach(function (g) {
    if (!g.steps.length) return;
    var head = el('div', 'name muted', g.label); box.appendChild(head); box.appendChild(el('div')); box.appendChild(el('div'));
    g.steps.forEach(function (s) {
      var name = el('div', 'name', s.name + ' · ' + s.type); name.title = s.name; box.appendChild(name);
      var track = el('div', 'track');
      var bar = el('div', 'bar t-' + s.type + ' s-' + s.status);
      bar.style.left = (100 * s.offsetMs / total).toFixed(2) + '%';
      bar.style.width = Math.max(0.3, 100 * s.durationMs / total).toFixed(2) + '%';
      bar.title = s.name + ': ' + Math.round(s.durationMs) + ' ms at +' + Math.round(s.offsetMs) + ' ms';
      track.appendChild(bar); box.appendChild(track);
      box.appendChild(el('div', 'num muted', Math.round(s.durationMs) + ' ms'));
    });
  });
  return box;
}
function renderDetail(row) {
  var n = ROWS.length;
  var r = Object.assign({}, row, detailLine(n + row.i), { output: detailLine(row.i) });
  var c = row.c >= 0 ? detailLine(2 * n + row.c) : null;
  var root = el('div', 'case-detail');
  var meta = el('div', 'meta');
  [['case', r.id], ['variant', r.variant], ['dataset', r.dataset], ['replayed on', r.provider], ['trace', c && c.traceId], ['source', c && c.source],
   ['incident', r.incident], ['flagged', c && c.flaggedBecause.join(', ')], ['tags', c && c.tags.join(', ')]].forEach(function (p) {
    if (!p[1]) return;
    var s = el('span', null, p[0] + ': '); s.appendChild(el('b', null, p[1])); meta.appendChild(s);
  });
  root.appendChild(meta);
  if (!c) { root.appendChild(el('p', 'muted', 'Case content not loaded (only the result is known).')); }
  if (c && c.diagnosis.length) {
    section(root, 'Diagnosis');
    var dg = el('div');
    c.diagnosis.forEach(function (d) { var chip = el('span', 'chip warn', d.label + ' @ ' + d.span); chip.title = d.reason; dg.appendChild(chip); dg.appendChild(el('span', 'muted', d.reason + ' ')); });
    root.appendChild(dg);
  }
  if (r.error || (c && c.recordedError)) {
    section(root, 'Errors');
    if (r.error) root.appendChild(el('div', 'err', 'candidate: ' + r.error));
    if (c && c.recordedError) root.appendChild(el('div', 'err', 'production: ' + c.recordedError));
  }
  section(root, 'Output: production → candidate (' + r.variant + ')');
  root.appendChild(renderDiff(c ? c.recordedOutput : null, r.output));
  if (c && c.expectedOutput !== null) { section(root, 'Expected output'); root.appendChild(pre(c.expectedOutput)); }
  section(root, 'Evaluators');
  root.appendChild(scoreTable(r.baselineScores, r.scores));
  if (c) {
    var grid = el('div', 'grid2');
    var left = el('div'), right = el('div');
    section(left, 'User question'); left.appendChild(pre(c.query));
    section(left, 'Retrieved documents (' + c.documents.length + ')');
    if (!c.documents.length) left.appendChild(el('div', 'muted', 'none'));
    else {
      var dt = el('table', 'docs');
      c.documents.forEach(function (d, i) {
        var tr = el('tr');
        tr.appendChild(el('td', 'num', '#' + (i + 1)));
        tr.appendChild(el('td', 'mono', d.id || '–'));
        tr.appendChild(el('td', 'num', d.score === null ? '–' : d.score.toFixed(3)));
        var td = el('td'); td.appendChild(pre(d.content)); tr.appendChild(td);
        dt.appendChild(tr);
      });
      left.appendChild(dt);
    }
    section(right, 'Rendered prompt (' + c.messages.length + ' messages)');
    c.messages.forEach(function (m) { var box = el('div', 'msg'); box.appendChild(el('div', 'role', m.role)); box.appendChild(pre(m.content)); right.appendChild(box); });
    grid.appendChild(left); grid.appendChild(right); root.appendChild(grid);
  }
  var groups = [{ label: 'production', steps: c ? c.steps : [] }, { label: 'candidate', steps: r.steps }];
  if (groups[0].steps.length || groups[1].steps.length) { section(root, 'Step timeline'); root.appendChild(timeline(groups)); }
  return root;
}
`;
