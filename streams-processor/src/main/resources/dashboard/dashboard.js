// Harbinger dashboard: plain JS + SVG, fed by the streams processor's query API (same origin) and the alerting
// service's /v1/alerts (proxied at /dashboard/api/alerts). Refreshes every few seconds. What it drew is summed up in
// window.harbinger (read by the end-to-end test) and in data-* attributes on the SVG elements.
'use strict';

const REFRESH_MS = 3000;
const HEATMAP_SYSCALLS = 12;   // rows of the heatmap
const HEATMAP_WINDOWS = 40;    // columns (latest windows)
const P99_KEYS = 6;            // lines of the P99 chart
const MAX_MAP_CHARTS = 4;
const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];
const SVG_NS = 'http://www.w3.org/2000/svg';
// Besides the syscalls of the latest closed window's top keys, the heatmap asks for these (rows without data drop).
const COMMON_SYSCALLS = ['read', 'write', 'openat', 'close', 'futex', 'epoll_wait', 'epoll_pwait', 'nanosleep',
  'clock_nanosleep', 'fsync', 'fdatasync', 'recvfrom', 'sendto', 'poll', 'ppoll', 'mmap', 'accept4', 'connect'];
const seenSyscalls = new Set();
const token = new URLSearchParams(location.hash.slice(1)).get('token');

window.harbinger = { renders: 0, heatmapCells: 0, heatmapRows: 0, p99Lines: 0, p99Points: 0, mapCharts: 0,
  mapPoints: 0, forecastLines: 0, thresholdLines: 0, alerts: 0, errors: [] };

async function getJson(path) {
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const r = await fetch(path, { headers, cache: 'no-store' });
  if (r.status === 404) return null;            // e.g. no windows for a key yet
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function text(parent, x, y, s, attrs) {
  const t = el('text', Object.assign({ x, y }, attrs || {}), parent);
  t.textContent = s;
  return t;
}

function fmtNs(ns) {
  if (!(ns > 0)) return '0';
  if (ns < 1e3) return ns.toFixed(0) + ' ns';
  if (ns < 1e6) return (ns / 1e3).toFixed(ns < 1e4 ? 1 : 0) + ' µs';
  if (ns < 1e9) return (ns / 1e6).toFixed(ns < 1e7 ? 1 : 0) + ' ms';
  return (ns / 1e9).toFixed(2) + ' s';
}

function fmtCount(n) {
  if (n >= 1e6) return (n / 1e6).toFixed(2) + 'M';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k';
  return String(Math.round(n));
}

function fmtTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function fmtIn(ms) {
  const s = Math.round(ms / 1000);
  if (s < 0) return 'passed';
  if (s < 120) return 'in ' + s + ' s';
  return 'in ' + Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// Log-scaled colour from pale yellow (fast) to dark red (slow).
function heatColor(f) {
  const x = Math.max(0, Math.min(1, f));
  const h = 55 - 55 * x, l = 88 - 55 * x;
  return 'hsl(' + h.toFixed(0) + ',90%,' + l.toFixed(0) + '%)';
}

// ---------------------------------------------------------------- latency

// One failing series must not blank the panels: its row/line is left out and the error shown in the status line.
async function getJsonOr(path, fallback, errors) {
  try {
    return await getJson(path) || fallback;
  } catch (e) {
    errors.push(e.message);
    return fallback;
  }
}

async function loadLatency(errors) {
  const top = await getJson('/v1/latency/top?n=200') || [];
  if (top.length === 0) return { top, windowMs: 60000, rows: [], lines: [] };
  const windowMs = top[0].window_end_ms - top[0].window_start_ms;
  const latest = top[0].window_start_ms;
  const from = latest - (HEATMAP_WINDOWS - 1) * windowMs;
  for (const w of top) seenSyscalls.add(w.syscall);
  const syscalls = [...new Set([...seenSyscalls, ...COMMON_SYSCALLS])];
  const all = await Promise.all(syscalls.map(async s => ({
    syscall: s,
    windows: (await getJsonOr('/v1/latency/rollup?syscall=' + encodeURIComponent(s) + '&from=' + from, [], errors))
      .filter(w => w.window_start_ms <= latest)
  })));
  // rows: the syscalls with data, slowest (latest P99) first
  const lastP99 = r => r.windows.length ? r.windows[r.windows.length - 1].p99_ns : 0;
  const rows = all.filter(r => r.windows.length > 0).sort((a, b) => lastP99(b) - lastP99(a)).slice(0, HEATMAP_SYSCALLS);
  let earliest = latest;
  for (const r of rows) for (const w of r.windows) earliest = Math.min(earliest, w.window_start_ms);
  const columns = Math.max(2, Math.min(HEATMAP_WINDOWS, Math.round((latest - earliest) / windowMs) + 1));
  const lines = await Promise.all(top.slice(0, P99_KEYS).map(async k => ({
    key: k,
    windows: (await getJsonOr('/v1/latency?host=' + encodeURIComponent(k.host) + '&comm=' + encodeURIComponent(k.comm)
      + '&syscall=' + encodeURIComponent(k.syscall) + '&from=' + from, [], errors)).filter(w => w.window_start_ms <= latest)
  })));
  return { top, windowMs, from, latest, rows, lines, columns };
}

function drawHeatmap(data) {
  const box = document.getElementById('heatmap');
  clear(box);
  const W = 640, labelW = 110, cellH = 18, top = 6;
  const rows = data.rows.filter(r => r.windows.length > 0);
  if (rows.length === 0) {
    box.textContent = 'waiting for the first closed latency window…';
    return 0;
  }
  const H = top + rows.length * cellH + 36;
  const svg = el('svg', { width: W, height: H, id: 'heatmap-svg', 'data-rows': rows.length }, box);
  const n = data.columns, cellW = (W - labelW - 10) / n;
  let lo = Infinity, hi = -Infinity;
  for (const r of rows) for (const w of r.windows) if (w.p99_ns > 0) {
    lo = Math.min(lo, Math.log10(w.p99_ns)); hi = Math.max(hi, Math.log10(w.p99_ns));
  }
  if (hi <= lo) hi = lo + 1;
  let cells = 0;
  rows.forEach((r, i) => {
    const y = top + i * cellH;
    text(svg, labelW - 6, y + cellH - 5, r.syscall, { 'text-anchor': 'end' });
    for (const w of r.windows) {
      const col = n - 1 - Math.round((data.latest - w.window_start_ms) / data.windowMs);
      if (col < 0) continue;
      const f = (Math.log10(Math.max(1, w.p99_ns)) - lo) / (hi - lo);
      const rect = el('rect', { x: labelW + col * cellW, y, width: Math.max(1, cellW - 1), height: cellH - 1,
        fill: heatColor(f), class: 'cell', 'data-p99': w.p99_ns, 'data-count': w.count }, svg);
      el('title', {}, rect).textContent = r.syscall + ' ' + fmtTime(w.window_start_ms) + ': P99 ' + fmtNs(w.p99_ns)
        + ', ' + w.count + ' calls';
      cells++;
    }
  });
  const axisY = top + rows.length * cellH + 14;
  text(svg, labelW, axisY, fmtTime(data.latest - (n - 1) * data.windowMs));
  text(svg, W - 10, axisY, fmtTime(data.latest), { 'text-anchor': 'end' });
  // legend
  for (let i = 0; i < 10; i++) el('rect', { x: labelW + i * 16, y: axisY + 6, width: 16, height: 8, fill: heatColor(i / 9) }, svg);
  text(svg, labelW + 166, axisY + 14, fmtNs(Math.pow(10, lo)) + ' → ' + fmtNs(Math.pow(10, hi)) + ' (log)');
  window.harbinger.heatmapRows = rows.length;
  return cells;
}

function drawP99(data) {
  const box = document.getElementById('p99');
  clear(box);
  const lines = data.lines.filter(l => l.windows.length > 0);
  if (lines.length === 0) {
    box.textContent = 'waiting for the first closed latency window…';
    return { lines: 0, points: 0 };
  }
  const W = 640, H = 260, L = 60, R = 10, T = 10, legendH = 16 * Math.ceil(lines.length / 2) + 8;
  const svg = el('svg', { width: W, height: H + legendH, id: 'p99-svg' }, box);
  const x0 = data.latest - (data.columns - 1) * data.windowMs, x1 = data.latest;
  let lo = Infinity, hi = -Infinity;
  for (const l of lines) for (const w of l.windows) if (w.p99_ns > 0) {
    lo = Math.min(lo, Math.log10(w.p99_ns)); hi = Math.max(hi, Math.log10(w.p99_ns));
  }
  lo = Math.floor(lo); hi = Math.ceil(hi); if (hi <= lo) hi = lo + 1;
  const plotH = H - T - 24;
  const sx = t => L + (t - x0) / Math.max(1, x1 - x0) * (W - L - R);
  const sy = v => T + (1 - (Math.log10(Math.max(1, v)) - lo) / (hi - lo)) * plotH;
  for (let d = lo; d <= hi; d++) {
    el('line', { x1: L, x2: W - R, y1: sy(Math.pow(10, d)), y2: sy(Math.pow(10, d)), class: 'grid' }, svg);
    text(svg, L - 4, sy(Math.pow(10, d)) + 4, fmtNs(Math.pow(10, d)), { 'text-anchor': 'end' });
  }
  el('line', { x1: L, x2: W - R, y1: T + plotH, y2: T + plotH, class: 'axis' }, svg);
  text(svg, L, T + plotH + 14, fmtTime(x0));
  text(svg, W - R, T + plotH + 14, fmtTime(x1), { 'text-anchor': 'end' });
  let points = 0;
  lines.forEach((l, i) => {
    const ws = l.windows.slice().sort((a, b) => a.window_start_ms - b.window_start_ms);
    const d = ws.map((w, j) => (j ? 'L' : 'M') + sx(w.window_start_ms).toFixed(1) + ',' + sy(w.p99_ns).toFixed(1)).join('');
    const color = COLORS[i % COLORS.length];
    el('path', { d, class: 'p99', stroke: color, 'data-points': ws.length,
      'data-key': l.key.host + '/' + l.key.comm + '/' + l.key.syscall }, svg);
    for (const w of ws) el('circle', { cx: sx(w.window_start_ms), cy: sy(w.p99_ns), r: 2, fill: color }, svg);
    points += ws.length;
    const lx = L + (i % 2) * 290, ly = H + 8 + Math.floor(i / 2) * 16;
    el('rect', { x: lx, y: ly - 8, width: 10, height: 10, fill: color }, svg);
    text(svg, lx + 14, ly + 1, l.key.comm + ' · ' + l.key.syscall + ' (' + l.key.host + '): ' + fmtNs(l.key.p99_ns));
  });
  return { lines: lines.length, points };
}

// ---------------------------------------------------------------- maps

function drawMaps(maps) {
  const box = document.getElementById('maps');
  clear(box);
  const shown = maps.slice().sort((a, b) => b.count - a.count).slice(0, MAX_MAP_CHARTS);
  if (shown.length === 0) {
    box.textContent = 'no Go map seen yet';
    return { charts: 0, points: 0, forecasts: 0, thresholds: 0 };
  }
  let points = 0, forecasts = 0, thresholds = 0;
  const W = shown.length === 1 ? 1260 : 620, H = 250, L = 64, R = 16, T = 36, B = 26;
  for (const m of shown) {
    const svg = el('svg', { width: W, height: H, class: 'map-chart', 'data-map': m.host + '/' + m.pid + '/' + m.map_addr }, box);
    const hist = m.history || [];
    const t0 = hist.length ? hist[0][0] : m.ts_ms;
    const tNow = m.ts_ms;
    const threshold = m.threshold;
    const eta = m.eta_ms;
    // time axis: history, plus the forecast up to the crossing (at most as long again as the history)
    const span = Math.max(60000, tNow - t0);
    const ahead = eta && eta > tNow ? eta - tNow + span * 0.05 : span * 0.25;
    const t1 = tNow + Math.min(span, Math.max(span * 0.25, ahead));
    let yMax = Math.max(m.count, threshold || 0) * 1.08;
    for (const p of hist) yMax = Math.max(yMax, p[1] * 1.05);
    const sx = t => L + (t - t0) / Math.max(1, t1 - t0) * (W - L - R);
    const sy = v => T + (1 - v / yMax) * (H - T - B);
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4;
      el('line', { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: 'grid' }, svg);
      text(svg, L - 4, sy(v) + 4, fmtCount(v), { 'text-anchor': 'end' });
    }
    el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }, svg);
    text(svg, L, H - B + 14, fmtTime(t0));
    text(svg, W - R, H - B + 14, fmtTime(t1), { 'text-anchor': 'end' });
    if (threshold) {
      el('line', { x1: L, x2: W - R, y1: sy(threshold), y2: sy(threshold), class: 'threshold',
        'data-threshold': threshold }, svg);
      text(svg, W - R - 4, sy(threshold) - 4, 'threshold ' + fmtCount(threshold), { 'text-anchor': 'end', fill: '#dc2626' });
      thresholds++;
    }
    if (hist.length) {
      const d = hist.map((p, j) => (j ? 'L' : 'M') + sx(p[0]).toFixed(1) + ',' + sy(p[1]).toFixed(1)).join('');
      el('path', { d, class: 'map-history', 'data-points': hist.length }, svg);
      points += hist.length;
    }
    // forecast: from the smoothed level now along the trend, to the crossing when one is forecast
    const credible = !m.forecast || m.forecast.credible;
    if (m.trend_per_min > 0) {
      const tEnd = eta && eta > tNow ? Math.min(eta, t1) : t1;
      const phi = m.forecast && m.forecast.damping_per_min > 0 ? m.forecast.damping_per_min : 1;
      const steps = 24, pts = [];
      for (let i = 0; i <= steps; i++) {
        const t = tNow + (tEnd - tNow) * i / steps, h = (t - tNow) / 60000;
        const growth = Math.abs(phi - 1) < 1e-9 ? m.trend_per_min * h : m.trend_per_min * phi * (Math.pow(phi, h) - 1) / (phi - 1);
        pts.push((i ? 'L' : 'M') + sx(t).toFixed(1) + ',' + sy(m.level + growth).toFixed(1));
      }
      el('path', { d: pts.join(''), class: 'forecast', 'data-credible': credible, opacity: credible ? 1 : 0.35 }, svg);
      forecasts++;
      if (eta && eta > tNow && threshold) el('circle', { cx: sx(eta), cy: sy(threshold), r: 4, fill: '#7c3aed' }, svg);
    }
    const model = m.forecast ? m.forecast.model.replace(/^.*\//, '').replace('_', ' ') : '';
    text(svg, L, 12, m.comm + ' pid ' + m.pid + ' · map 0x' + Number(m.map_addr).toString(16) + ' · ' + m.host,
      { 'font-weight': 600 });
    text(svg, L, 25, fmtCount(m.count) + ' entries · ' + (m.trend_per_min >= 0 ? '+' : '') + fmtCount(m.trend_per_min)
      + '/min · ' + model + (credible ? '' : ' (not credible yet)')
      + (eta ? (eta > tNow ? ' · crosses ' + fmtTime(eta) + ' (' + fmtIn(eta - tNow) + ')' : ' · over the threshold') : ''));
  }
  return { charts: shown.length, points, forecasts, thresholds };
}

// ---------------------------------------------------------------- alerts

function drawAlerts(alerts) {
  const body = document.querySelector('#alerts tbody');
  clear(body);
  document.getElementById('alerts-empty').style.display = alerts.length ? 'none' : '';
  const order = { CRITICAL: 0, WARNING: 1 };
  alerts.sort((a, b) => (order[a.severity] ?? 2) - (order[b.severity] ?? 2));
  for (const a of alerts) {
    const tr = document.createElement('tr');
    tr.className = 'alert-row';
    const subject = a.syscall ? a.comm + ' ' + a.syscall + ' on ' + a.host
      : (a.comm || '?') + ' pid ' + a.pid + ' map 0x' + Number(a.map_addr).toString(16) + ' on ' + a.host;
    const cells = [a.severity, a.rule, subject, a.value != null ? fmtCount(a.value) : '',
      a.threshold != null ? fmtCount(a.threshold) : '',
      a.predicted_breach_at_ms ? fmtTime(a.predicted_breach_at_ms) : '', a.since_ms ? fmtTime(a.since_ms) : ''];
    cells.forEach((c, i) => {
      const td = document.createElement('td');
      td.textContent = c;
      if (i === 0) td.className = 'sev-' + a.severity;
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  return alerts.length;
}

// ---------------------------------------------------------------- loop

async function refresh() {
  const h = window.harbinger;
  const errors = [];
  const [lat, maps, alerts] = await Promise.all([
    loadLatency(errors).catch(e => { errors.push(e.message); return null; }),
    getJson('/dashboard/api/maps').catch(e => { errors.push(e.message); return null; }),
    getJson('/dashboard/api/alerts?state=active').catch(e => { errors.push(e.message); return null; }),
  ]);
  if (lat) {
    h.heatmapCells = drawHeatmap(lat);
    const p = drawP99(lat);
    h.p99Lines = p.lines; h.p99Points = p.points;
  }
  if (maps) {
    const m = drawMaps(maps);
    h.mapCharts = m.charts; h.mapPoints = m.points; h.forecastLines = m.forecasts; h.thresholdLines = m.thresholds;
  }
  if (alerts) h.alerts = drawAlerts(alerts);
  h.errors = errors;
  h.renders++;
  document.getElementById('status').textContent = (errors.length ? 'errors: ' + errors.join('; ') + ' · ' : '')
    + 'updated ' + fmtTime(Date.now()) + ' · every ' + REFRESH_MS / 1000 + ' s';
}

async function loop() {
  try {
    await refresh();
  } catch (e) {
    window.harbinger.errors = [String(e)];
  }
  setTimeout(loop, REFRESH_MS);
}

loop();
