// The dashboard page: one WebSocket (/live) brings, a few times a second, what changed; the page
// keeps it and redraws only what changed, at most four times a second (see render()). Charts are ECharts (served from the dashboard's jar).
'use strict';

const $ = (selector) => document.querySelector(selector);
const fmt = (n, digits = 2) => (n === null || n === undefined || Number.isNaN(Number(n))) ? '—'
    : Number(n).toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits});
const num = (v) => (typeof v === 'number' ? v : null); // "NaN" (undefined indicator) becomes a gap
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));

const state = {
  rows: new Map(),       // ticker -> its <tr>
  orders: new Map(),     // orderId -> order row
  selected: null,
  strategies: [],        // what each strategy says it is (GET /strategy, through the status panel), by name
  prices: [],
  lines: {},             // "strategy/indicator" -> [[time, value]]
  states: {},            // strategy -> its latest state of the selected ticker
  equity: {},            // strategy -> [[time, total]]
  socket: null,
};

// ---- charts ----------------------------------------------------------------------------------
const chart = echarts.init($('#chart'), 'dark', {renderer: 'canvas'});
const equityChart = echarts.init($('#equity'), 'dark');
// one colour per strategy (markers, equity), one per indicator line; nothing here knows a strategy
const PALETTE = ['#58a6ff', '#d2a8ff', '#3fb950', '#f0883e', '#ff7b72', '#79c0ff', '#e3b341', '#a5d6ff'];
const LINE_COLORS = ['#3fb950', '#d29922', '#d2a8ff', '#f778ba', '#56d4dd', '#ffa657', '#a371f7', '#7ee787'];
const colorOf = (strategy) => PALETTE[Math.max(0, state.strategies.findIndex((s) => s.name === strategy)) % PALETTE.length];
const lineKey = (strategy, plot) => strategy + '/' + plot.name;
const lineName = (strategy, plot) => strategy + ' ' + plot.label;
const plots = (panel) => state.strategies.flatMap((s) => s.indicators.filter((p) => p.panel === panel)
    .map((p) => ({strategy: s.name, plot: p})));

function markers(strategy) {
  const data = [];
  for (const o of state.orders.values()) {
    if (o.ticker !== state.selected || o.strategy !== strategy || !o.priceEventTimeMillis) continue;
    data.push({value: [o.priceEventTimeMillis, Number(o.referencePrice)], symbolRotate: o.side === 'SELL' ? 180 : 0,
      name: `${strategy} ${o.side} ${o.status}`});
  }
  return data;
}

// The chart: prices and every strategy's price-axis indicators above, every oscillator below (with
// its bands), and each strategy's orders as markers; all of it from what the strategies describe.
function drawChart() {
  // both panels over the same time span: the price history's
  const span = state.prices.length ? {min: state.prices[0][0], max: state.prices[state.prices.length - 1][0]} : {};
  const oscillators = plots('oscillator');
  // one scale for the lower panel when every oscillator has the same range (RSI: 0 to 100)
  const same = oscillators.length > 0 && oscillators.every((o) => o.plot.min === oscillators[0].plot.min
      && o.plot.max === oscillators[0].plot.max && o.plot.min !== null);
  const lower = same ? {min: oscillators[0].plot.min, max: oscillators[0].plot.max} : {scale: true};
  let color = 0;
  const line = ({strategy, plot}, axis) => ({name: lineName(strategy, plot), type: 'line', showSymbol: false,
    data: state.lines[lineKey(strategy, plot)] ?? [], connectNulls: false, xAxisIndex: axis, yAxisIndex: axis,
    color: LINE_COLORS[color++ % LINE_COLORS.length],
    markLine: plot.bands.length ? {silent: true, symbol: 'none', lineStyle: {type: 'dashed', color: '#8b949e'},
      data: plot.bands.map((b) => ({yAxis: b, name: String(b)}))} : undefined});
  const series = [
    {name: 'price', type: 'line', showSymbol: false, data: state.prices, lineStyle: {width: 1}, color: '#d8dee6'},
    ...plots('price').map((p) => line(p, 0)),
    ...state.strategies.map((s) => ({name: s.name + ' orders', type: 'scatter', symbol: 'triangle', symbolSize: 12,
      data: markers(s.name), color: colorOf(s.name)})),
    ...oscillators.map((p) => line(p, 1)),
  ];
  chart.setOption({
    backgroundColor: 'transparent', animation: false,
    legend: {top: 0, type: 'scroll', data: series.map((s) => s.name)},
    tooltip: {trigger: 'axis'},
    axisPointer: {link: [{xAxisIndex: 'all'}]},
    grid: [{left: 60, right: 20, top: 30, height: '55%'}, {left: 60, right: 20, top: '72%', height: '20%'}],
    xAxis: [{type: 'time', gridIndex: 0, axisLabel: {show: false}, ...span}, {type: 'time', gridIndex: 1, ...span}],
    yAxis: [{type: 'value', scale: true, gridIndex: 0}, {type: 'value', gridIndex: 1, splitNumber: 2, ...lower}],
    series,
  }, {replaceMerge: ['series']});
}

function drawEquity() {
  equityChart.setOption({
    backgroundColor: 'transparent', animation: false, title: {text: 'equity (total P&L)', textStyle: {fontSize: 11}},
    tooltip: {trigger: 'axis'}, grid: {left: 60, right: 10, top: 25, bottom: 25},
    xAxis: {type: 'time'}, yAxis: {type: 'value', scale: true},
    series: Object.entries(state.equity).map(([strategy, points]) =>
      ({name: strategy, type: 'line', showSymbol: false, data: points, color: colorOf(strategy)})),
  }, {replaceMerge: ['series']});
}

// ---- ticker list -----------------------------------------------------------------------------
function position(row, strategy) {
  const q = row.positions?.[strategy];
  return q === undefined ? '' : fmt(q, 0);
}

function upsertTicker(row) {
  let tr = state.rows.get(row.ticker);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.ticker = row.ticker;
    tr.innerHTML = '<td class="ticker"></td><td class="last"></td><td class="change"></td>';
    tr.cells[0].textContent = row.ticker;
    tr.addEventListener('click', () => select(row.ticker));
    state.rows.set(row.ticker, tr);
    insertSorted($('#tickers tbody'), tr);
    applyTickerFilter(tr);
  }
  tr.row = row;
  tr.cells[1].textContent = fmt(row.last);
  tr.cells[2].textContent = fmt(row.changePercent);
  tr.cells[2].className = 'change ' + (row.changePercent >= 0 ? 'up' : 'down');
  // a position column per strategy
  while (tr.cells.length > 3 + state.strategies.length) tr.deleteCell(-1);
  while (tr.cells.length < 3 + state.strategies.length) tr.insertCell(-1).className = 'position';
  state.strategies.forEach((s, i) => { tr.cells[3 + i].textContent = position(row, s.name); });
}

// The strategies changed (one started, or came back with other parameters): columns, filters, series.
function setStrategies(described) {
  const key = (list) => JSON.stringify(list.map((s) => [s.name, s.indicators]));
  const sorted = [...described].sort((a, b) => a.name.localeCompare(b.name));
  if (key(sorted) === key(state.strategies)) return;
  state.strategies = sorted;
  $('#tickers thead tr').innerHTML = '<th>Ticker</th><th>Last</th><th>Chg %</th>'
    + sorted.map((s) => `<th title="${esc(s.rule)} ${esc(Object.entries(s.parameters ?? {}).map(([k, v]) => k + '=' + v).join(' '))}">${esc(s.name)}</th>`).join('');
  state.rows.forEach((tr) => upsertTicker(tr.row));
  const filter = $('#order-strategy');
  const chosen = filter.value;
  filter.innerHTML = '<option value="">all strategies</option>' + sorted.map((s) => `<option>${esc(s.name)}</option>`).join('');
  filter.value = sorted.some((s) => s.name === chosen) ? chosen : '';
  pending.chart = true;
}

function insertSorted(tbody, tr) {
  for (const other of tbody.rows) {
    if (other.dataset.ticker > tr.dataset.ticker) { tbody.insertBefore(tr, other); return; }
  }
  tbody.appendChild(tr);
}

function applyTickerFilter(tr) {
  const filter = $('#ticker-filter').value.trim().toUpperCase();
  tr.hidden = filter !== '' && !tr.dataset.ticker.toUpperCase().includes(filter);
}
$('#ticker-filter').addEventListener('input', () => state.rows.forEach(applyTickerFilter));

// ---- the selected ticker ---------------------------------------------------------------------
async function select(ticker) {
  if (state.selected) state.rows.get(state.selected)?.classList.remove('selected');
  state.selected = ticker;
  state.rows.get(ticker)?.classList.add('selected');
  state.prices = []; state.lines = {}; state.states = {};
  $('#selected').textContent = ticker;
  $('#selected-state').textContent = '';
  drawChart();
  send({select: ticker});
  // one query across both strategies and order-execution: their state, signals and this ticker's orders
  try {
    const response = await fetch('api/tickers/' + encodeURIComponent(ticker));
    const body = await response.json();
    if (!response.ok) { $('#selected-state').textContent = body.error; return; }
    for (const o of body['order-execution']?.orders ?? []) mergeOrder(fromOrderView(o), false);
    for (const s of state.strategies) {
      if (body['strategy-' + s.name]?.state) state.states[s.name] = body['strategy-' + s.name].state;
    }
    showStrategies(Object.entries(body.missing ?? {}).map(([service, why]) => `${service}: ${why}`));
    drawChart();
    renderBlotter();
  } catch (e) {
    $('#selected-state').textContent = 'the dashboard does not answer: ' + e;
  }
}

function showStrategies(missing = []) {
  const parts = [];
  for (const s of state.strategies) {
    const st = state.states[s.name];
    if (!st) continue;
    const values = s.indicators.map((p) => `${p.label} ${fmt(st.indicators?.[p.name])}`).join(' / ');
    parts.push(`${s.name} ${st.position}${st.lastSignal ? ', last ' + st.lastSignal : ''}${values ? ', ' + values : ''}${st.stale ? ' (stale)' : ''}`);
  }
  missing.forEach((m) => parts.push('unavailable: ' + m));
  $('#selected-state').textContent = parts.join(' · ');
}

function applyChart(c) {
  if (c.ticker !== state.selected) return;
  const keep = (list, max) => { if (list.length > max) list.splice(0, list.length - max); };
  for (const [t, p] of c.prices ?? []) state.prices.push([t, p]);
  keep(state.prices, 600);
  // each strategy's points are [time, value...] in the order of its indicators
  for (const [strategy, points] of Object.entries(c.indicators ?? {})) {
    const described = state.strategies.find((s) => s.name === strategy);
    if (!described) continue;
    described.indicators.forEach((plot, i) => {
      const list = state.lines[lineKey(strategy, plot)] ??= [];
      for (const point of points) list.push([point[0], num(point[i + 1])]);
      keep(list, 600);
    });
  }
  Object.assign(state.states, c.states ?? {});
  showStrategies();
  pending.chart = true;
}

// ---- orders ----------------------------------------------------------------------------------
function fromOrderView(o) { // order-execution's GET /orders shape into the blotter's
  return {orderId: o.orderId, strategy: o.strategy, ticker: o.ticker, side: o.side, quantity: o.quantity,
    referencePrice: o.referencePrice, decisionTimeMicros: o.decisionTimeMicros, status: o.status,
    filledQuantity: o.filledQuantity, fillPrice: o.fillPrice, reason: o.reason, priceEventTimeMillis: 0};
}

const RANK = ['DECIDED', 'NEW', 'SENT', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED'];
function mergeOrder(o, live = true) {
  const before = state.orders.get(o.orderId);
  if (before && !live && RANK.indexOf(before.status) >= RANK.indexOf(o.status)) return;
  if (before && !o.priceEventTimeMillis) o.priceEventTimeMillis = before.priceEventTimeMillis;
  // formatted once per order, not on every render (Intl's formatting is the costly part of a row)
  o.timeText = before && before.decisionTimeMicros === o.decisionTimeMicros
    ? before.timeText : new Date(o.decisionTimeMicros / 1000).toLocaleTimeString();
  state.orders.set(o.orderId, o);
}

function renderBlotter() {
  const strategy = $('#order-strategy').value;
  const ticker = $('#order-ticker').value.trim().toUpperCase();
  const rows = [...state.orders.values()]
    .filter((o) => (!strategy || o.strategy === strategy) && (!ticker || o.ticker === ticker))
    .sort((a, b) => b.decisionTimeMicros - a.decisionTimeMicros)
    .slice(0, 300);
  $('#blotter tbody').innerHTML = rows.map((o) => `<tr data-order="${esc(o.orderId)}" data-ticker="${esc(o.ticker)}">`
    + `<td>${o.timeText}</td><td class="order">${esc(o.orderId)}</td>`
    + `<td>${esc(o.strategy)}</td><td>${esc(o.ticker)}</td><td>${esc(o.side)}</td><td>${fmt(o.quantity, 0)}</td>`
    + `<td>${fmt(o.referencePrice)}</td><td class="status status-${esc(o.status)}">${esc(o.status)}</td>`
    + `<td>${fmt(o.filledQuantity, 0)}</td><td>${fmt(o.fillPrice)}</td><td class="reason">${esc(o.reason)}</td></tr>`).join('');
  // keep memory bounded: the 2 000 newest
  if (state.orders.size > 2000) {
    [...state.orders.values()].sort((a, b) => a.decisionTimeMicros - b.decisionTimeMicros)
      .slice(0, state.orders.size - 2000).forEach((o) => state.orders.delete(o.orderId));
  }
}

async function loadOrderHistory() {
  const params = new URLSearchParams({limit: '200'});
  if ($('#order-strategy').value) params.set('strategy', $('#order-strategy').value);
  if ($('#order-ticker').value.trim()) params.set('ticker', $('#order-ticker').value.trim().toUpperCase());
  const response = await fetch('api/orders?' + params);
  const body = await response.json();
  $('#order-note').textContent = response.ok ? '' : 'history unavailable: ' + body.error;
  if (response.ok) body.forEach((o) => mergeOrder(fromOrderView(o), false));
  renderBlotter();
}
$('#order-strategy').addEventListener('change', loadOrderHistory);
$('#order-ticker').addEventListener('change', loadOrderHistory);

// ---- status, P&L, kill switch ----------------------------------------------------------------
function applyStatus(s) {
  const trading = s.trading;
  const kill = $('#kill-state');
  if (trading) {
    kill.textContent = trading.halted ? 'HALTED' : 'TRADING';
    kill.className = 'badge ' + kill.textContent;
    $('#kill-detail').textContent = (trading.reason ? trading.reason + ' · ' : '')
      + (trading.changedBy ? 'by ' + trading.changedBy : '') + (trading.changedAt ? ' at ' + new Date(trading.changedAt).toLocaleTimeString() : '');
  } else {
    kill.textContent = 'unknown'; kill.className = 'badge';
  }
  if (s.strategies) setStrategies(s.strategies);
  if (s.pnl) {
    $('#pnl tbody').innerHTML = s.pnl.map((p) => `<tr data-strategy="${esc(p.strategy)}"><td>${esc(p.strategy)}</td>`
      + `<td>${p.positions}</td><td>${fmt(p.realizedPnl)}</td><td>${fmt(p.unrealizedPnl)}</td>`
      + `<td class="total ${p.totalPnl >= 0 ? 'up' : 'down'}">${fmt(p.totalPnl)}</td></tr>`).join('');
  }
  const items = [];
  const feed = s.feed;
  if (feed) {
    items.push(['feed', `${esc(feed.mode)} ${esc(feed.source ?? '')}, ${feed.running ? 'running' : 'stopped'}, ${fmt(feed.actualRate, 0)}/s of ${fmt(feed.targetRate, 0)}/s, ${fmt(feed.published, 0)} published`]);
    if (feed.replay) {
      const r = feed.replay;
      items.push(['replay', `${fmt(r.rows, 0)} of ${fmt(r.total, 0)} rows${r.finished ? ', finished' : ''}${r.secondsLeft != null ? ', ' + fmt(r.secondsLeft, 0) + ' s left' : ''}`]);
    }
  }
  for (const [group, lag] of Object.entries(s.lag ?? {})) items.push(['lag ' + group, lag === null ? 'nothing committed yet' : fmt(lag, 0)]);
  for (const [topic, count] of Object.entries(s.deadLetters ?? {})) {
    if (topic !== 'lastReason') items.push(['dead letters ' + topic, fmt(count, 0)]);
  }
  if (s.deadLetters?.lastReason) items.push(['last dead letter', esc(s.deadLetters.lastReason)]);
  items.push(['orders', Object.entries(s.orders ?? {}).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none yet']);
  if (s.dashboard) items.push(['dashboard', `${fmt(s.dashboard.pricesRead, 0)} prices read, ${s.dashboard.tickers} tickers`]);
  for (const [part, why] of Object.entries(s.unavailable ?? {})) items.push([part, `<span class="unavailable">unavailable: ${esc(why)}</span>`]);
  $('#status').innerHTML = items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
}

async function killSwitch(action) {
  const user = $('#kill-user').value, password = $('#kill-password').value;
  const message = $('#kill-message');
  const headers = {'Content-Type': 'application/json'};
  if (user) headers.Authorization = 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + password)));
  const body = action === 'halt' ? JSON.stringify({reason: $('#kill-reason').value || 'halted from the dashboard'}) : '';
  try {
    const response = await fetch('api/trading/' + action, {method: 'POST', headers, body});
    const answer = await response.json().catch(() => ({}));
    message.className = response.ok ? '' : 'error';
    message.textContent = response.ok ? `${action === 'halt' ? 'halted' : 'resumed'} by ${answer.changedBy}`
      : `${response.status}: ${answer.error ?? 'refused'}`;
    if (response.ok) applyStatus({...lastStatus, trading: answer});
  } catch (e) {
    message.className = 'error';
    message.textContent = 'the dashboard does not answer: ' + e;
  }
}
$('#halt').addEventListener('click', () => killSwitch('halt'));
$('#resume').addEventListener('click', () => killSwitch('resume'));

// ---- the live connection ---------------------------------------------------------------------
// ---- drawing ---------------------------------------------------------------------------------
// A frame only updates the page's state and notes what it changed; drawing happens at most every
// RENDER_EVERY_MS, once for everything that changed since. Drawing is the costly part (the chart,
// the blotter's rows): a page drawing every frame falls behind on a busy machine, its frames queue
// up, and it stops answering at all; this one skips intermediate states instead.
const RENDER_EVERY_MS = 250;
const pending = {tickers: new Map(), status: null, blotter: false, chart: false, equity: false};
let renderTimer = null;

function scheduleRender() {
  if (renderTimer === null) renderTimer = setTimeout(render, RENDER_EVERY_MS);
}

function render() {
  renderTimer = null;
  if (pending.tickers.size) {
    pending.tickers.forEach(upsertTicker);
    pending.tickers.clear();
    $('#ticker-count').textContent = `(${state.rows.size})`;
  }
  if (pending.status) { applyStatus(pending.status); pending.status = null; }
  if (pending.blotter) { pending.blotter = false; renderBlotter(); }
  if (pending.equity) { pending.equity = false; drawEquity(); }
  if (pending.chart) { pending.chart = false; drawChart(); }
}

let lastStatus = {};
function send(message) {
  if (state.socket?.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

function connect() {
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
      + location.pathname.replace(/[^/]*$/, '') + 'live');
  state.socket = socket;
  socket.onopen = () => {
    $('#connection').textContent = 'live'; $('#connection').className = 'badge on';
    if (state.selected) send({select: state.selected});
  };
  socket.onclose = () => {
    $('#connection').textContent = 'disconnected, retrying…'; $('#connection').className = 'badge off';
    setTimeout(connect, 2000);
  };
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.error) { console.warn(frame.error); return; }
    if (frame.snapshot) state.equity = {};
    (frame.tickers ?? []).forEach((row) => pending.tickers.set(row.ticker, row)); // the newest wins
    if (frame.orders) {
      frame.orders.forEach((o) => mergeOrder(o));
      pending.blotter = true;
      if (state.selected) pending.chart = true; // new markers
    }
    if (frame.status) { lastStatus = frame.status; pending.status = frame.status; }
    if (frame.equity) {
      for (const [strategy, points] of Object.entries(frame.equity)) {
        state.equity[strategy] = (state.equity[strategy] ?? []).concat(points).slice(-3600);
      }
      pending.equity = true;
    }
    if (frame.chart) applyChart(frame.chart);
    scheduleRender();
  };
}

window.addEventListener('resize', () => { chart.resize(); equityChart.resize(); });
drawChart();
connect();

// For tests and the curious: how many points each series of the chart holds right now.
window.dashboard = {
  seriesLengths: () => Object.fromEntries(chart.getOption().series.map((s) => [s.name, (s.data ?? []).filter((d) => {
    const v = Array.isArray(d) ? d[1] : d?.value?.[1];
    return v !== null && v !== undefined;
  }).length])),
};
