/**
 * The report's stylesheet, inlined and allowed by hash in the page's CSP. System fonts only:
 * the report must open offline with no request leaving the file.
 */

/** CSS text of the report (inlined in one `<style>` element). */
export const REPORT_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--red:#cf222e;--red-bg:#ffebe9;
--green:#1a7f37;--green-bg:#dafbe1;--amber:#9a6700;--amber-bg:#fff8c5;--blue:#0969da;--blue-bg:#ddf4ff;--gray-bg:#eff2f5}
*{box-sizing:border-box}
body{margin:0;font:13px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1400px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:18px;margin:0 0 4px;display:flex;align-items:center;gap:10px}
h2{font-size:14px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:12px;margin:14px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{margin:0;white-space:pre-wrap;word-break:break-word;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;max-height:320px;overflow:auto}
.muted{color:var(--muted)}
.meta{display:flex;flex-wrap:wrap;gap:4px 18px;color:var(--muted);margin:4px 0}
.meta b{color:var(--fg);font-weight:600}
.gate{display:inline-block;padding:2px 10px;border-radius:12px;font-size:12px;font-weight:700;letter-spacing:.04em;text-transform:uppercase}
.gate-pass{background:var(--green-bg);color:var(--green)}.gate-fail{background:var(--red-bg);color:var(--red)}
.gate-inconclusive,.gate-none{background:var(--amber-bg);color:var(--amber)}
.reasons{margin:6px 0 0;padding-left:18px}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:96px}
.card .n{font-size:20px;font-weight:600;display:block}.card .l{color:var(--muted);font-size:11px;text-transform:uppercase}
.card.bad .n{color:var(--red)}.card.good .n{color:var(--green)}.card.warn .n{color:var(--amber)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600;font-size:12px;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.pos{color:var(--green)}.neg{color:var(--red)}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.toolbar select,.toolbar input{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;background:#fff}
.toolbar input{min-width:260px}
#cases th[data-sort]{cursor:pointer;user-select:none}
#cases th.sorted-asc::after{content:" ▲"}#cases th.sorted-desc::after{content:" ▼"}
#cases tbody tr.row{cursor:pointer}#cases tbody tr.row:hover{background:var(--soft)}
#cases tbody tr.open{background:var(--blue-bg)}
#cases td.title{max-width:520px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:11px;font-weight:600;white-space:nowrap}
.v-regressed,.v-errored,.v-unscored{background:var(--red-bg);color:var(--red)}.v-fixed{background:var(--green-bg);color:var(--green)}
.v-missing,.v-new,.v-unconfirmed{background:var(--amber-bg);color:var(--amber)}
.v-unchanged-pass,.v-unchanged-fail,.v-skipped,.v-flaky{background:var(--gray-bg);color:var(--muted)}
.pass{color:var(--green);font-weight:600}.fail{color:var(--red);font-weight:600}
.detail>td{background:#fbfcfd;padding:10px 14px 16px;border-bottom:2px solid var(--line)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.msg{margin-bottom:6px}.msg .role{font-weight:600;font-size:11px;text-transform:uppercase;color:var(--muted)}
.diff del{background:var(--red-bg);color:#82071e;text-decoration:line-through}
.diff ins{background:var(--green-bg);color:#055d20;text-decoration:none}
.scores td.num,.scores th:nth-child(2),.scores th:nth-child(4){width:90px}
.docs td:nth-child(-n+3){width:1%;white-space:nowrap}
.diff del+ins{margin-left:3px}
.chip{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:0 4px 4px 0;font-size:11px}
.chip.warn{border-color:#d4a72c;background:var(--amber-bg)}
.err{color:var(--red)}
.tl{display:grid;grid-template-columns:220px 1fr 70px;gap:2px 8px;align-items:center;font-size:12px}
.tl .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.tl .track{position:relative;height:12px;background:var(--soft);border-radius:2px}
.tl .bar{position:absolute;top:1px;bottom:1px;min-width:2px;border-radius:2px;background:#54aeff}
.tl .bar.t-llm{background:#8250df}.tl .bar.t-retrieval{background:#1f883d}.tl .bar.t-tool{background:#bf8700}
.tl .bar.s-error{background:var(--red)}
.pager{margin:10px 0;display:flex;gap:10px;align-items:center}
button{font:inherit;padding:4px 12px;border:1px solid var(--line);border-radius:6px;background:var(--soft);cursor:pointer}
footer{margin-top:24px;color:var(--muted);font-size:11px}
`;
