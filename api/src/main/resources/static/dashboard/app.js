// The LeadFlow dashboard: sign in with a development token, then a live funnel, the public pool with claim
// buttons, the caller's private pool with time left before each customer returns, collisions and possible
// duplicates, and the duplicate check (查重). Live parts follow the api's Server-Sent Events; lists also
// re-read now and then as a safety net.
import { ApiError, follow, request, session, signIn } from './api.js';
import { FunnelView } from './funnel.js';
import { formatLeft, formatMoney, formatTime, stageLabel, t, translate } from './i18n.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 15000;
const COUNTDOWN_MS = 30000;

let streams = [];
let timers = [];
let funnel;

function start() {
  const current = session.current;
  $('sign-in').hidden = Boolean(current);
  $('dashboard').hidden = !current;
  $('whoami').hidden = !current;
  if (current) {
    $('whoami-name').textContent = `${current.user} · ${t(`role.${current.role}`)}${current.team ? ` · ${current.team}` : ''}`;
    openDashboard();
  }
}

$('sign-in-role').addEventListener('change', (event) => {
  if (event.target.value === 'admin') $('sign-in-team').value = '';
});

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('sign-in-error').textContent = '';
  try {
    await signIn($('sign-in-user').value.trim(), $('sign-in-team').value.trim(), $('sign-in-role').value);
    start();
  } catch (error) {
    $('sign-in-error').textContent = t('signInFailed', { detail: error.message });
  }
});

$('sign-out').addEventListener('click', () => {
  closeAll();
  session.clear();
  start();
});

function closeAll() {
  closeFunnel();
  closePoolStream();
  streams.forEach((close) => close());
  timers.forEach((timer) => clearInterval(timer));
  streams = [];
  timers = [];
}

function openDashboard() {
  closeAll();
  funnel ??= new FunnelView($('funnel-chart'), $('funnel-rows'), {
    total: $('funnel-total'), won: $('funnel-won'), lost: $('funnel-lost'), updated: $('funnel-updated'),
  });
  const current = session.current;
  $('funnel-scope').querySelector('[value=TEAM]').hidden = !current.team;
  followFunnel();
  loadPools();
  loadMine();
  loadIdentity();
  streams.push(follow('/api/v1/streams/my-events', {}, {
    'pool-event': () => { soon(loadMine); soon(loadPool); },
    'identity-event': () => soon(loadIdentity),
  }));
  timers.push(setInterval(() => { loadPool(); loadMine(); loadIdentity(); }, REFRESH_MS));
  timers.push(setInterval(renderMine, COUNTDOWN_MS));
}

// ---- funnel ----------------------------------------------------------------------------------------------

let closeFunnel = () => {};

$('funnel-scope').addEventListener('change', followFunnel);

function followFunnel() {
  closeFunnel();
  const current = session.current;
  if (!current) return;
  const dimension = $('funnel-scope').value;
  const value = dimension === 'OWNER' ? current.user : dimension === 'TEAM' ? current.team : undefined;
  const params = value ? { dimension, value } : { dimension };
  funnel.show(null);
  $('funnel-chart').dataset.scope = dimension;
  setLive('connecting');
  closeFunnel = follow('/api/v1/streams/funnel', params, {
    funnel: (figure) => {
      if (figure.kind !== 'SNAPSHOT') return;
      funnel.show(figure);
      soon(loadPool);
    },
  }, setLive);
}

function setLive(state) {
  $('funnel-live').textContent = t(state);
  $('funnel-live').className = `live ${state}`;
}

// ---- public pool -----------------------------------------------------------------------------------------

let poolId = null;
let closePoolStream = () => {};

$('pool-select').addEventListener('change', (event) => {
  poolId = event.target.value;
  followPool();
  loadPool();
});

async function loadPools() {
  const pools = (await guarded(() => request('GET', '/api/v1/pools')))?.body ?? [];
  $('pool-select').replaceChildren(...pools.map((pool) => new Option(`${pool.name || pool.poolId} (${pool.customers})`, pool.poolId)));
  $('pool-select').hidden = pools.length < 2;
  poolId = (pools.find((pool) => pool.isDefault) ?? pools[0])?.poolId ?? null;
  if (poolId) $('pool-select').value = poolId;
  followPool();
  loadPool();
}

function followPool() {
  closePoolStream();
  closePoolStream = poolId ? follow(`/api/v1/streams/pools/${encodeURIComponent(poolId)}`, {}, {
    'pool-event': () => soon(loadPool),
  }) : () => {};
}

async function loadPool() {
  if (!poolId) return;
  const page = (await guarded(() => request('GET', `/api/v1/pools/${encodeURIComponent(poolId)}/customers?size=20`)))?.body;
  if (!page) return;
  $('pool-list').replaceChildren(...page.items.map((customer) => {
    const claim = button(t('claim'), 'primary claim', () => act(customer, 'claim', {}, 'claimed'));
    return item(customer, [describe(customer)], [claim]);
  }));
  $('pool-empty').hidden = page.items.length > 0;
}

// ---- my customers ----------------------------------------------------------------------------------------

let held = [];

async function loadMine() {
  const mine = (await guarded(() => request('GET', '/api/v1/private-pool?size=50')))?.body;
  if (!mine) return;
  held = mine.items;
  $('mine-capacity').textContent = mine.capacity == null
    ? t('capacityUnlimited', { used: mine.used }) : t('capacity', { used: mine.used, capacity: mine.capacity });
  renderMine();
}

function renderMine() {
  $('mine-list').replaceChildren(...held.map(({ customer }) => {
    const deadline = customer.returnDeadline;
    const left = document.createElement('span');
    left.className = `left${deadline && new Date(deadline) - Date.now() < 3600000 ? ' soon' : ''}`;
    left.textContent = deadline ? formatLeft(deadline) : t('exempt');
    left.title = deadline ? `${customer.returnRule ?? ''} ${new Date(deadline).toLocaleString()}` : '';
    return item(customer, [describe(customer), left], [
      button(t('followUp'), 'follow-up', () => followUp(customer)),
      button(t('release'), 'release', () => act(customer, 'release', { reason: 'dashboard' }, 'released')),
    ]);
  }));
  $('mine-empty').hidden = held.length > 0;
}

// ---- commands --------------------------------------------------------------------------------------------

async function act(customer, command, body, done) {
  try {
    const answer = await request('POST', `/api/v1/customers/${encodeURIComponent(customer.customerId)}/${command}`, body);
    toast(answer.status === 202 ? t('pending') : t(done, { name: nameOf(customer) }));
  } catch (error) {
    toast(error instanceof ApiError && error.problem.reason
      ? t('refused', { reason: t(`reason.${error.problem.reason}`) }) : t('failed', { detail: error.message }), true);
  }
  loadPool();
  loadMine();
}

async function followUp(customer) {
  try {
    await request('POST', `/api/v1/customers/${encodeURIComponent(customer.customerId)}/follow-ups`,
      { type: 'CALL', note: 'dashboard' });
    toast(t('followedUp', { name: nameOf(customer) }));
    setTimeout(loadMine, 1000);
  } catch (error) {
    toast(t('failed', { detail: error.message }), true);
  }
}

// ---- collisions and possible duplicates ------------------------------------------------------------------

async function loadIdentity() {
  const page = (await guarded(() => request('GET', '/api/v1/identity-events?size=20')))?.body;
  if (!page) return;
  $('identity-list').replaceChildren(...page.items.map((finding) => {
    const li = document.createElement('li');
    li.className = `finding ${finding.type}`;
    li.dataset.type = finding.type;
    const text = finding.type === 'COLLISION'
      ? t('collisionText', { intended: finding.intendedOwner ?? '?', holder: finding.holder ?? '?' })
      : t('duplicateText');
    li.append(tag(t(`type.${finding.type}`), finding.type), span(text, 'what'),
      span(evidenceText(finding.evidence), 'evidence'), span(formatTime(finding.occurredAt), 'when'));
    return li;
  }));
  $('identity-empty').hidden = page.items.length > 0;
}

function evidenceText(evidence) {
  const list = Array.isArray(evidence) ? evidence : evidence ? [evidence] : [];
  return list.map((e) => (e.kind ? `${e.kind}${e.score != null && e.score < 1 ? ` ${Math.round(e.score * 100)}%` : ''}` : ''))
    .filter(Boolean).join(' · ');
}

// ---- 查重 -------------------------------------------------------------------------------------------------

$('check-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { name: $('check-name').value.trim() || null, phone: $('check-phone').value.trim() || null,
                 email: $('check-email').value.trim() || null };
  try {
    const result = (await request('POST', '/api/v1/duplicate-checks', body)).body;
    $('check-results').replaceChildren(...(result.matches.length ? result.matches.map((match) => {
      const li = document.createElement('li');
      li.className = 'match';
      const where = match.owner ? t('heldBy', { owner: match.owner }) : t('inPool', { pool: match.poolId ?? '' });
      const contacts = (match.contacts ?? []).map((c) => [c.name, c.mobile ?? c.phone, c.email].filter(Boolean).join(' '))
        .join('; ');
      li.append(span(match.companyName || t('unnamed'), 'name'), span(where, 'owner'),
        span(`${contacts}${match.masked ? ` (${t('masked')})` : ''}`, 'contacts'),
        span(evidenceText(match.evidence), 'evidence'));
      return li;
    }) : [Object.assign(document.createElement('li'), { className: 'empty', textContent: t('noMatch') })]));
  } catch (error) {
    toast(t('failed', { detail: error.message }), true);
  }
});

// ---- helpers ---------------------------------------------------------------------------------------------

async function guarded(call) {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      closeAll();
      session.clear();
      start();
      $('sign-in-error').textContent = t('sessionExpired');
    }
    return null;
  }
}

const pending = new Map();
/** Runs `task` once shortly, however many events ask for it meanwhile. */
function soon(task) {
  if (pending.has(task)) return;
  pending.set(task, setTimeout(() => { pending.delete(task); task(); }, 300));
}

function item(customer, details, actions) {
  const li = document.createElement('li');
  li.className = 'customer';
  li.dataset.customerId = customer.customerId;
  const main = document.createElement('div');
  main.className = 'main';
  main.append(span(nameOf(customer), 'name'), ...details);
  const buttons = document.createElement('div');
  buttons.className = 'actions';
  buttons.append(...actions);
  li.append(main, buttons);
  return li;
}

function describe(customer) {
  const parts = [stageLabel(customer.stage ?? 'NEW'), customer.level, customer.source,
                 customer.amount != null ? formatMoney(customer.amount) : null];
  return span(parts.filter(Boolean).join(' · '), 'meta');
}

const nameOf = (customer) => customer.company?.name || t('unnamed');

function span(text, className) {
  return Object.assign(document.createElement('span'), { className, textContent: text });
}

function tag(text, kind) {
  return Object.assign(document.createElement('span'), { className: `tag ${kind}`, textContent: text });
}

function button(text, className, onClick) {
  const b = Object.assign(document.createElement('button'), { type: 'button', className, textContent: text });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try { await onClick(); } finally { b.disabled = false; }
  });
  return b;
}

let toastTimer;
function toast(text, error = false) {
  const el = $('toast');
  el.textContent = text;
  el.className = `toast${error ? ' error' : ''}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// Last, once every binding above exists.
translate();
start();
