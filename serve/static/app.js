// turncoat serve: the page. Plain SVG charts, no dependencies.
'use strict';

// Okabe–Ito, as the plots package.
const C = {blue: '#0072b2', vermilion: '#d55e00', green: '#009e73', orange: '#e69f00', purple: '#cc79a7', sky: '#56b4e9', black: '#000000', grey: '#787878', yellow: '#f0e442'};
const SERIES = [C.blue, C.vermilion, C.green, C.orange, C.purple, C.sky, C.black];
const ROLES = ['citizens', 'soldiers', 'elites'];
const ROLE_COLORS = [C.blue, C.vermilion, C.green];
const VARS = ['legitimacy', 'repression', 'surveillance', 'pay', 'delivery', 'economy', 'reserves', 'coercive capacity'];
const SHOWN_VARS = [0, 1, 3, 4, 5, 7];
// Defection modes (runs of scenarios with a modes block): a line per role
// and mode, coloured by role, dashed by mode. Citizens neither switch nor shirk.
const MODES = ['voice', 'exit', 'switch', 'shirk'];
const MODE_DASH = ['', '6 3', '2 2', '8 3 2 3'];

const $ = (id) => document.getElementById(id);
const state = {scn: null, params: [], shocks: [], origShocks: '', runs: [], current: null, es: null};

function status(msg, err) {
  const s = $('status');
  s.textContent = msg;
  s.className = err ? 'err' : '';
}

async function getJSON(url) {
  const r = await fetch(url);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

// ---- SVG charts ----
const NS = 'http://www.w3.org/2000/svg';
function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function fmt(v) { return Math.abs(v) >= 100 ? v.toFixed(0) : (+v.toFixed(2)).toString(); }

// lineChart draws series [{name,color,values,dash}] and bands [{lo,hi,color}]
// over x = 0..xMax (or xs), with optional vertical markers.
function lineChart(svg, o) {
  const W = +svg.viewBox.baseVal.width, H = +svg.viewBox.baseVal.height;
  const L = 40, R = 120, T = 10, B = 28;
  svg.replaceChildren();
  const xs = o.xs, xMin = o.xMin ?? 0, xMax = Math.max(o.xMax, xMin + 1e-9);
  const yMin = o.yMin ?? 0, yMax = Math.max(o.yMax ?? 1, yMin + 1e-9);
  const X = (x) => L + (x - xMin) / (xMax - xMin) * (W - L - R);
  const Y = (y) => H - B - (y - yMin) / (yMax - yMin) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const y = yMin + (yMax - yMin) * i / 4;
    svg.append(el('line', {x1: L, x2: W - R, y1: Y(y), y2: Y(y), class: 'grid'}));
    svg.append(el('text', {x: L - 4, y: Y(y) + 3, 'text-anchor': 'end'}, fmt(y)));
  }
  for (let i = 0; i <= 4; i++) {
    const x = xMin + (xMax - xMin) * i / 4;
    svg.append(el('text', {x: X(x), y: H - B + 12, 'text-anchor': 'middle'}, fmt(x)));
  }
  svg.append(el('text', {x: (L + W - R) / 2, y: H - 3, 'text-anchor': 'middle'}, o.xLabel || ''));
  svg.append(el('line', {x1: L, x2: L, y1: T, y2: H - B, class: 'axis'}));
  svg.append(el('line', {x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis'}));
  for (const m of o.marks || []) {
    svg.append(el('line', {x1: X(m.x), x2: X(m.x), y1: T, y2: H - B, stroke: C.grey, 'stroke-dasharray': '2 2'}));
    svg.append(el('text', {x: X(m.x) + 2, y: T + 8, fill: C.grey}, m.label));
  }
  const px = (i) => X(xs ? xs[i] : i);
  for (const b of o.bands || []) {
    if (!b.lo.length) continue;
    let d = b.lo.map((v, i) => (i ? 'L' : 'M') + px(i) + ' ' + Y(v)).join('');
    for (let i = b.hi.length - 1; i >= 0; i--) d += 'L' + px(i) + ' ' + Y(b.hi[i]);
    svg.append(el('path', {d: d + 'Z', fill: b.color, 'fill-opacity': 0.2, stroke: 'none'}));
  }
  o.series.forEach((s, k) => {
    if (s.values.length) {
      const pts = s.values.map((v, i) => px(i) + ',' + Y(v)).join(' ');
      const attrs = {points: pts, fill: 'none', stroke: s.color, 'stroke-width': 1.6, 'data-series': s.name};
      if (s.dash) attrs['stroke-dasharray'] = s.dash;
      svg.append(el('polyline', attrs));
      if (s.values.length === 1 || s.dots) {
        s.values.forEach((v, i) => svg.append(el('circle', {cx: px(i), cy: Y(v), r: 2.5, fill: s.color})));
      }
    }
    const ly = T + 10 + k * 13;
    svg.append(el('line', {x1: W - R + 6, x2: W - R + 20, y1: ly - 3, y2: ly - 3, stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash || ''}));
    svg.append(el('text', {x: W - R + 24, y: ly}, s.name.length > 18 ? s.name.slice(0, 17) + '…' : s.name));
  });
}

function heatmap(svg, o) {
  const W = +svg.viewBox.baseVal.width, H = +svg.viewBox.baseVal.height;
  const L = 60, R = 20, T = 10, B = 36;
  svg.replaceChildren();
  const nx = o.xs.length, ny = o.ys.length;
  const cw = (W - L - R) / nx, ch = (H - T - B) / ny;
  const lo = Math.min(...o.z.flat()), hi = Math.max(...o.z.flat());
  // sequential light-to-dark blue (colour-blind safe, monotone in lightness)
  const col = (v) => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    const a = [0xe8, 0xf1, 0xfa], b = [0x00, 0x3a, 0x70];
    return 'rgb(' + a.map((x, i) => Math.round(x + (b[i] - x) * t)).join(',') + ')';
  };
  o.xs.forEach((x, i) => {
    svg.append(el('text', {x: L + (i + 0.5) * cw, y: H - B + 12, 'text-anchor': 'middle'}, fmt(x)));
    o.ys.forEach((y, j) => {
      const v = o.z[j][i];
      const r = el('rect', {x: L + i * cw, y: T + (ny - 1 - j) * ch, width: cw - 1, height: ch - 1, fill: col(v)});
      r.append(el('title', {}, `${o.xLabel}=${x}, ${o.yLabel}=${y}: ${v.toFixed(3)}`));
      svg.append(r);
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      svg.append(el('text', {x: L + (i + 0.5) * cw, y: T + (ny - 1 - j + 0.5) * ch + 3, 'text-anchor': 'middle', fill: t > 0.5 ? '#fff' : '#000'}, v.toFixed(2)));
    });
  });
  o.ys.forEach((y, j) => svg.append(el('text', {x: L - 4, y: T + (ny - 1 - j + 0.5) * ch + 3, 'text-anchor': 'end'}, fmt(y))));
  svg.append(el('text', {x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle'}, o.xLabel));
  svg.append(el('text', {x: 10, y: T + 8}, o.yLabel));
}

// ---- scenario and parameters ----
async function loadScenario(name) {
  status('loading ' + name + '…');
  const s = await getJSON('/api/scenario?name=' + encodeURIComponent(name));
  state.scn = s;
  state.params = s.params;
  state.shocks = JSON.parse(JSON.stringify(s.shocks));
  state.origShocks = JSON.stringify(s.shocks);
  $('desc').textContent = s.title + ': ' + s.description + ` (${s.agents} agents, ${s.ticks} ${s.unit}s from ${s.start})`;
  renderParams();
  renderShocks();
  for (const id of ['p1', 'p2', 'ns-key']) {
    const sel = $(id);
    sel.replaceChildren();
    if (id !== 'ns-key') sel.append(new Option('(none)', ''));
    for (const p of s.params) if (p.group !== 'Run' || id !== 'ns-key') sel.append(new Option(p.key, p.key));
  }
  $('ns-key').value = 'regime.pay';
  updateExport();
  status('loaded ' + s.title);
  document.body.dataset.scenario = name;
}

function renderParams() {
  const box = $('params');
  box.replaceChildren();
  let fs = null, group = null;
  for (const p of state.params) {
    if (p.group !== group) {
      group = p.group;
      fs = document.createElement('fieldset');
      const lg = document.createElement('legend');
      lg.textContent = group;
      fs.append(lg);
      box.append(fs);
    }
    const row = document.createElement('div');
    row.className = 'param';
    row.dataset.key = p.key;
    const id = 'param-' + p.key.replace(/\W/g, '_');
    const lab = document.createElement('label');
    lab.htmlFor = id;
    lab.textContent = p.label;
    lab.title = p.key + ' ∈ ' + (p.min_exclusive ? '(' : '[') + p.min + ', ' + (p.open ? '∞)' : p.max + ']');
    const range = document.createElement('input');
    range.type = 'range';
    range.id = id;
    range.min = p.min_exclusive ? (p.max - p.min) / 200 : p.min;
    range.max = p.max;
    range.step = p.int ? 1 : (p.max - p.min) / 200;
    range.value = p.value;
    range.setAttribute('aria-valuetext', p.value);
    const num = document.createElement('input');
    num.type = 'number';
    num.min = p.min;
    if (!p.open) num.max = p.max;
    num.step = p.int ? 1 : 'any';
    num.value = p.value;
    num.setAttribute('aria-label', p.label + ' value');
    const set = (v) => {
      p.cur = v;
      row.classList.toggle('changed', v !== p.value);
      updateExport();
    };
    range.addEventListener('input', () => { const v = +(+range.value).toPrecision(4); num.value = v; range.setAttribute('aria-valuetext', v); set(v); });
    num.addEventListener('change', () => { const v = +num.value; range.value = v; set(v); });
    p.cur = p.value;
    row.append(lab, range, num);
    fs.append(row);
  }
}

function shockText(sh) {
  const parts = [];
  for (const k in sh.set || {}) parts.push(k.replace('regime.', '') + '=' + sh.set[k]);
  for (const k in sh.scale || {}) parts.push(k.replace('regime.', '') + '×' + sh.scale[k]);
  return parts.join(', ');
}

function renderShocks() {
  const tb = $('shocks').tBodies[0];
  tb.replaceChildren();
  state.shocks.forEach((sh, i) => {
    const tr = document.createElement('tr');
    const td = (x) => { const c = document.createElement('td'); c.append(x); tr.append(c); return c; };
    td(sh.name);
    const t = document.createElement('input');
    t.type = 'number'; t.min = 0; t.step = 1; t.value = sh.tick; t.style.width = '4em';
    t.setAttribute('aria-label', 'tick of shock ' + sh.name);
    t.addEventListener('change', () => { sh.tick = Math.max(0, Math.round(+t.value)); updateExport(); });
    td(t);
    const d = document.createElement('input');
    d.type = 'number'; d.min = 0; d.step = 1; d.value = sh.duration; d.style.width = '3.5em';
    d.setAttribute('aria-label', 'duration of shock ' + sh.name);
    d.addEventListener('change', () => { sh.duration = Math.max(0, Math.round(+d.value)); updateExport(); });
    td(d);
    td(shockText(sh));
    const rm = document.createElement('button');
    rm.type = 'button'; rm.textContent = '✕'; rm.setAttribute('aria-label', 'remove shock ' + sh.name);
    rm.addEventListener('click', () => { state.shocks.splice(i, 1); renderShocks(); updateExport(); });
    td(rm);
    tb.append(tr);
  });
}

// spec is what the server runs: only the changed fields go in set.
function spec() {
  const set = {};
  for (const p of state.params) if (p.cur !== p.value) set[p.key] = p.cur;
  const sp = {scenario: state.scn.name, set: set, seed: Math.max(1, Math.round(+$('seed').value) || 1)};
  if (JSON.stringify(state.shocks) !== state.origShocks) sp.shocks = state.shocks;
  sp.label = label(sp);
  return sp;
}

function label(sp) {
  const parts = [];
  for (const k of Object.keys(sp.set).sort()) {
    const p = state.params.find((q) => q.key === k);
    parts.push(k.replace('regime.', '') + ' ' + p.value + '→' + sp.set[k]);
  }
  if (sp.shocks) parts.push('shocks edited');
  if (sp.seed !== 1) parts.push('seed ' + sp.seed);
  return parts.length ? parts.join(', ') : 'baseline';
}

function specURL(path, sp) { return path + '?spec=' + encodeURIComponent(JSON.stringify(sp || spec())); }

function updateExport() {
  if (!state.scn) return;
  const a = $('export-yaml');
  a.href = specURL('/api/yaml');
  a.setAttribute('download', state.scn.title + '.yaml');
}

// ---- runs ----
function run() {
  if (state.es) state.es.close(); // cancels an unfinished run on the server
  const prev = state.current;
  if (prev && !prev.done && !prev.opened) state.runs = state.runs.filter((x) => x !== prev);
  const sp = spec();
  const r = {label: sp.label, spec: sp, ticks: [], done: false, color: SERIES[state.runs.length % SERIES.length], t0: performance.now()};
  state.current = r;
  for (const id of ['chart-roles', 'chart-vars']) $(id).dataset.done = '0';
  status('running ' + r.label + '…');
  const es = new EventSource(specURL('/api/run', sp));
  state.es = es;
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    drawCurrent();
    if (r.ticks.length && !r.firstMs) {
      r.firstMs = performance.now() - r.t0;
      $('status').dataset.firstMs = r.firstMs.toFixed(0);
    }
  };
  es.addEventListener('start', (e) => {
    const m = JSON.parse(e.data);
    r.id = m.id; r.cli = m.cli; r.total = m.ticks; r.agents = m.agents;
    state.runs.push(r);
    renderRuns();
  });
  es.addEventListener('tick', (e) => {
    r.ticks.push(JSON.parse(e.data));
    if (!scheduled) { scheduled = true; requestAnimationFrame(draw); }
  });
  es.addEventListener('done', (e) => {
    es.close();
    const m = JSON.parse(e.data);
    r.summary = m.summary; r.seconds = m.seconds; r.done = true;
    requestAnimationFrame(() => {
      drawCurrent();
      drawCompare();
      renderRuns();
      r.doneMs = performance.now() - r.t0;
      $('status').dataset.doneMs = r.doneMs.toFixed(0);
      status(`${r.label}: ${r.ticks.length} ticks, model ${r.seconds.toFixed(2)} s, on screen in ${(r.doneMs / 1000).toFixed(2)} s`);
    });
  });
  es.addEventListener('error', async (e) => {
    es.close();
    if (e.data) { status(JSON.parse(e.data).error, true); return; }
    if (!r.id) {
      // The server refused the run (bad input, limits): ask why.
      try {
        await getJSON(specURL('/api/cli', sp));
        status('the server refused the run: too many runs at once (try again when one has finished)', true);
      } catch (err) { status(err.message, true); }
    } else if (!r.done) status('run interrupted', true);
  });
}

function drawCurrent() {
  const r = state.current;
  if (!r) return;
  const n = r.total || r.ticks.length;
  const marks = state.shocks.map((s) => ({x: s.tick, label: s.name}));
  lineChart($('chart-roles'), {xMax: n, yMax: 1, xLabel: state.scn ? state.scn.unit + 's' : 'ticks', marks: marks,
    series: ROLES.map((name, k) => ({name: name, color: ROLE_COLORS[k], values: r.ticks.map((t) => t.d[k])}))});
  const yMax = Math.max(1, ...r.ticks.flatMap((t) => SHOWN_VARS.map((k) => t.v[k])));
  lineChart($('chart-vars'), {xMax: n, yMax: yMax, xLabel: 'ticks', marks: marks,
    series: SHOWN_VARS.map((k, i) => ({name: VARS[k], color: SERIES[i], values: r.ticks.map((t) => t.v[k])}))});
  $('chart-roles').dataset.ticks = r.ticks.length;
  drawModes(r, n, marks);
  if (r.done) {
    drawExits(r);
    $('chart-roles').dataset.done = '1';
    $('chart-vars').dataset.done = '1';
  }
}

// drawModes shows the share of each role in voice, exit, switch and shirk,
// and the emigrants so far, when the run has defection modes; otherwise it
// hides the figure.
function drawModes(r, n, marks) {
  const fig = $('fig-modes'), svg = $('chart-modes');
  const has = r.ticks.length > 0 && !!r.ticks[0].m;
  fig.hidden = !has;
  if (!has) return;
  const series = [];
  ROLES.forEach((name, k) => MODES.forEach((mode, j) => {
    if (k === 0 && j >= 2) return;
    series.push({name: name + ' ' + mode, color: ROLE_COLORS[k], dash: MODE_DASH[j], values: r.ticks.map((t) => t.m[j][k])});
  }));
  const top = Math.max(0.01, ...series.flatMap((s) => s.values));
  lineChart(svg, {xMax: n, yMax: Math.min(1, top * 1.1), xLabel: state.scn ? state.scn.unit + 's' : 'ticks', marks: marks, series: series});
  const e = r.ticks[r.ticks.length - 1].e;
  $('modes-caption').textContent = 'Share of each role by defection mode (current run); emigrants so far: ' +
    Math.round(e[1]).toLocaleString('en');
  svg.dataset.emigrants = Math.round(e[1]);
  svg.dataset.done = r.done ? '1' : '0';
}

function drawExits(r) {
  const svg = $('chart-exits');
  const W = 560, L = 80, R = 20, n = r.total || r.ticks.length;
  svg.replaceChildren();
  const X = (t) => L + t / n * (W - L - R);
  const rows = [['simulated', 50, C.vermilion, (r.summary.exits || []).map((e) => ({t: e.tick, name: e.region}))],
    ['history', 130, C.blue, (state.scn.history || []).map((h) => ({t: h.tick, name: h.region}))]];
  for (const [name, y, color, pts] of rows) {
    svg.append(el('text', {x: 4, y: y + 3}, name));
    svg.append(el('line', {x1: L, x2: W - R, y1: y, y2: y, class: 'axis'}));
    pts.forEach((p, i) => {
      if (p.t > n) return;
      const c = el('circle', {cx: X(p.t), cy: y, r: 4, fill: color});
      c.append(el('title', {}, p.name + ': tick ' + p.t));
      svg.append(c);
      svg.append(el('text', {x: X(p.t), y: y + (i % 2 ? 16 : -8), 'text-anchor': 'middle', 'font-size': 8}, p.name.slice(0, 4)));
    });
  }
  for (let i = 0; i <= 4; i++) svg.append(el('text', {x: X(n * i / 4), y: 190, 'text-anchor': 'middle'}, Math.round(n * i / 4)));
  svg.dataset.exits = (r.summary.exits || []).length;
}

// runName is a run's label, prefixed with its scenario when the list holds
// runs of more than one scenario (a "baseline" of each would otherwise read
// as the same run).
function runName(r) {
  const scns = new Set(state.runs.filter((q) => q.spec).map((q) => q.spec.scenario));
  return r.spec && scns.size > 1 ? r.spec.scenario + ': ' + r.label : r.label;
}

function drawCompare() {
  const done = state.runs.filter((r) => r.done);
  const n = Math.max(1, ...done.map((r) => r.ticks.length));
  lineChart($('chart-compare'), {xMax: n, yMax: 1, xLabel: 'ticks',
    series: done.map((r, i) => ({name: (i + 1) + '. ' + runName(r), color: r.color, dash: i % 2 ? '5 3' : '', values: r.ticks.map((t) => t.d[1])}))});
  $('chart-compare').dataset.runs = done.length;
}

function renderRuns() {
  const ol = $('runlist');
  ol.replaceChildren();
  state.runs.forEach((r, i) => {
    const li = document.createElement('li');
    li.dataset.id = r.id || '';
    const sw = document.createElement('span');
    sw.className = 'swatch'; sw.style.background = r.color;
    li.append(sw, runName(r) + (r.done ? ` — peak soldiers ${r.summary.peak_share.soldier.toFixed(3)}, exits ${r.summary.exits.length}` + (r.summary.collapsed ? ', collapsed' : '') : ' (running)'));
    if (r.done && r.id && !r.opened) {
      li.append(document.createElement('br'));
      for (const f of ['scenario.yaml', 'summary.json', 'ticks.csv', 'events.csv', 'regions.csv', 'meta.json']) {
        const a = document.createElement('a');
        a.href = '/api/runs/' + r.id + '/files/' + f + '?download=1';
        a.textContent = f;
        a.className = 'runfile';
        li.append(a, ' ');
      }
      const fb = document.createElement('button');
      fb.type = 'button'; fb.textContent = 'figures';
      fb.addEventListener('click', () => figures(r.id, li));
      const rm = document.createElement('button');
      rm.type = 'button'; rm.textContent = 'remove'; rm.setAttribute('aria-label', 'remove run ' + (i + 1));
      rm.addEventListener('click', () => { state.runs.splice(i, 1); renderRuns(); drawCompare(); });
      const pre = document.createElement('pre');
      pre.textContent = r.cli;
      li.append(fb, ' ', rm, pre);
    }
    ol.append(li);
  });
}

async function figures(id, li) {
  try {
    const j = await getJSON('/api/runs/' + id + '/figures');
    for (const u of j.figures) {
      const a = document.createElement('a');
      a.href = u; a.textContent = u.split('/').pop(); a.target = '_blank';
      li.append(a, ' ');
    }
  } catch (e) { status(e.message, true); }
}

// ---- batches ----
async function batch() {
  const q = new URLSearchParams({spec: JSON.stringify(spec()), replicates: $('reps').value});
  for (const k of ['1', '2']) if ($('p' + k).value) { q.set('p' + k, $('p' + k).value); q.set('v' + k, $('v' + k).value); }
  status('running batch…');
  const svg = $('chart-batch');
  svg.dataset.done = '0';
  try {
    const j = await getJSON('/api/batch?' + q);
    if (j.kind === 'replicates') {
      $('batch-caption').textContent = `Mean defected share and 5–95% band over ${j.replicates} replicates (seeds 1–${j.replicates})`;
      lineChart(svg, {xMax: j.soldier.mean.length, yMax: 1, xLabel: 'ticks',
        bands: [{lo: j.soldier.lo, hi: j.soldier.hi, color: C.vermilion}, {lo: j.citizen.lo, hi: j.citizen.hi, color: C.blue}],
        series: [{name: 'soldiers', color: C.vermilion, values: j.soldier.mean}, {name: 'citizens', color: C.blue, values: j.citizen.mean}]});
    } else if (j.parameters.length === 1) {
      $('batch-caption').textContent = `Sweep of ${j.parameters[0]}: mean and 5–95% band of the soldiers' peak defected share (${j.replicates} replicates per value; ${j.dir})`;
      const xs = j.points.map((p) => p.params[0]);
      lineChart(svg, {xs: xs, xMin: Math.min(...xs), xMax: Math.max(...xs), yMax: 1, xLabel: j.parameters[0],
        bands: [{lo: j.points.map((p) => p.q05[0]), hi: j.points.map((p) => p.q95[0]), color: C.vermilion}],
        series: [{name: 'peak soldiers', color: C.vermilion, dots: true, values: j.points.map((p) => p.mean[0])},
          {name: 'final citizens', color: C.blue, dots: true, values: j.points.map((p) => p.mean[2])}]});
    } else {
      $('batch-caption').textContent = `Mean peak soldiers' defected share over ${j.parameters[0]} × ${j.parameters[1]} (${j.replicates} replicates per cell; ${j.dir})`;
      const xs = [...new Set(j.points.map((p) => p.params[0]))], ys = [...new Set(j.points.map((p) => p.params[1]))];
      const z = ys.map((y) => xs.map((x) => j.points.find((p) => p.params[0] === x && p.params[1] === y).mean[0]));
      heatmap(svg, {xs: xs, ys: ys, z: z, xLabel: j.parameters[0], yLabel: j.parameters[1]});
    }
    svg.dataset.done = '1';
    status('batch done');
  } catch (e) { status(e.message, true); }
}

// ---- open a directory ----
async function openPath() {
  const p = $('path').value.trim();
  if (!p) return;
  try {
    if (/\.ya?ml$/.test(p)) { await loadScenario(p); return; }
    const j = await getJSON('/api/open?dir=' + encodeURIComponent(p));
    show(j, p);
  } catch (e) { status(e.message, true); }
}

function show(j, p) {
  const box = $('opened');
  box.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = (j.kind === 'run' ? 'Run ' : 'Sweep ') + p;
  box.append(h);
  for (const f of j.files) {
    const a = document.createElement('a');
    a.href = '/api/runs/' + j.id + '/files/' + f; a.textContent = f; a.target = '_blank';
    box.append(a, ' ');
  }
  const fb = document.createElement('button');
  fb.type = 'button'; fb.textContent = 'figures';
  fb.addEventListener('click', () => figures(j.id, box));
  box.append(fb);
  if (j.kind === 'run') {
    const r = {label: 'opened ' + p, ticks: j.ticks, done: true, summary: j.summary, id: j.id, opened: true, total: j.ticks.length,
      color: SERIES[state.runs.length % SERIES.length], cli: ''};
    state.runs.push(r);
    state.current = r;
    drawCurrent();
    drawCompare();
    renderRuns();
  } else {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(j.manifest, null, 2);
    box.append(pre);
  }
  status('opened ' + p);
}

// downloadSVG saves a chart as it is on screen, as a standalone SVG file.
function downloadSVG(svg) {
  const clone = svg.cloneNode(true);
  clone.setAttribute('xmlns', NS);
  clone.prepend(el('style', {}, '.axis{stroke:#888;stroke-width:.6}.grid{stroke:#eee}text{font:10px sans-serif}'));
  clone.prepend(el('rect', {width: '100%', height: '100%', fill: '#fff'}));
  const blob = new Blob([new XMLSerializer().serializeToString(clone)], {type: 'image/svg+xml'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = svg.id.replace('chart-', 'turncoat-') + '.svg';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function init() {
  for (const svg of document.querySelectorAll('figure > svg')) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'SVG';
    b.className = 'svgbtn';
    b.setAttribute('aria-label', 'download this chart as SVG');
    b.addEventListener('click', () => downloadSVG(svg));
    svg.parentElement.querySelector('figcaption').append(' ', b);
  }
  $('load').addEventListener('click', () => loadScenario($('scenario').value).catch((e) => status(e.message, true)));
  $('open').addEventListener('click', openPath);
  $('run').addEventListener('click', run);
  $('batch').addEventListener('click', batch);
  $('reset').addEventListener('click', () => loadScenario(state.scn.name));
  $('seed').addEventListener('change', updateExport);
  $('export-cli').addEventListener('click', async () => {
    try { $('cli').textContent = (await getJSON(specURL('/api/cli'))).cli; } catch (e) { status(e.message, true); }
  });
  $('ns-add').addEventListener('click', () => {
    const v = +$('ns-val').value;
    state.shocks.push({name: $('ns-name').value || 'shock', tick: Math.max(0, Math.round(+$('ns-tick').value)), duration: Math.max(0, Math.round(+$('ns-dur').value)), set: {[$('ns-key').value]: v}});
    renderShocks();
    updateExport();
  });
  const j = await getJSON('/api/scenarios');
  for (const s of j.scenarios) {
    const o = new Option(s.name, s.name);
    o.title = s.description;
    $('scenario').append(o);
  }
  const initial = j.initial;
  if (j.scenarios.some((s) => s.name === initial) || /\.ya?ml$/.test(initial)) {
    if (j.scenarios.some((s) => s.name === initial)) $('scenario').value = initial;
    await loadScenario(initial);
  } else {
    await loadScenario('soviet1991');
    $('path').value = initial;
    await openPath();
  }
  document.body.dataset.ready = '1';
}

init().catch((e) => status(e.message, true));
