// The api as the dashboard uses it: a development token kept for this browser tab, JSON requests with it,
// and live streams (EventSource cannot send headers, so the streams take the token as ?access_token=).
const SESSION_KEY = 'leadflow.session';

export const session = {
  get current() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY));
      return saved && new Date(saved.expiresAt) > new Date() ? saved : null;
    } catch {
      return null;
    }
  },
  save(value) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(SESSION_KEY); },
};

/** Thrown for every answer that is not 2xx; carries the problem+json body. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Mints a standalone development token (POST /api/v1/dev/tokens). */
export async function signIn(user, team, role) {
  const answer = await call('POST', '/api/v1/dev/tokens', { user, team: team || null, roles: [role] }, null);
  const value = { token: answer.body.token, user: answer.body.user, team: team || null, role,
                  expiresAt: answer.body.expiresAt };
  session.save(value);
  return value;
}

/** GET/POST/PUT with the session's token; resolves to {status, body}. */
export function request(method, path, body) {
  return call(method, path, body, session.current?.token);
}

async function call(method, path, body, token) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { detail: text }; }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return { status: response.status, body: parsed };
}

/**
 * Follows a live stream. `handlers` maps SSE event names to functions of the parsed data; `onState` hears
 * 'live' and 'offline'. EventSource reconnects by itself after a network error and resends Last-Event-ID;
 * when the api answered with an error instead (restart, expired token) it gives up, so this opens a new one
 * after a pause, resuming after the last event seen. Returns a function that closes the stream.
 */
export function follow(path, params, handlers, onState = () => {}) {
  let lastEventId = null;
  let source = null;
  let retry = null;
  let closed = false;
  const open = () => {
    const query = new URLSearchParams({ ...params, access_token: session.current?.token ?? '' });
    if (lastEventId) query.set('lastEventId', lastEventId);
    source = new EventSource(`${path}?${query}`);
    source.onopen = () => onState('live');
    source.onerror = () => {
      onState('offline');
      if (source.readyState === EventSource.CLOSED && !closed && session.current) {
        retry = setTimeout(open, 3000);
      }
    };
    for (const [event, handle] of Object.entries(handlers)) {
      source.addEventListener(event, (message) => {
        if (message.lastEventId) lastEventId = message.lastEventId;
        handle(JSON.parse(message.data));
      });
    }
  };
  open();
  return () => {
    closed = true;
    clearTimeout(retry);
    source.close();
  };
}
