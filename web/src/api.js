// GraphQL over HTTP with the API key from session storage, and errors turned into plain words.

const KEY_STORAGE = 'custgraph.apiKey';

// The page lives at <service>/app/; the API at <service>/graphql.
export const GRAPHQL_URL = new URL('../graphql', document.baseURI).href;

export function getApiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

export function setApiKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage disabled: the key lives only until reload */
  }
}

/** An error with a sentence for people (`message`) and the technical detail kept aside. */
export class ApiError extends Error {
  constructor(message, { detail = '', code = '', status = 0 } = {}) {
    super(message);
    this.name = 'ApiError';
    this.detail = detail;
    this.code = code;
    this.status = status;
  }
}

const AUTH_WORDS = 'Enter a valid key with the “API key” button at the top right.';

/** Turn one GraphQL error into a sentence an account manager understands. */
export function plainWords(err) {
  const code = err?.extensions?.code || '';
  const msg = (err?.message || '').trim();
  switch (code) {
    case 'UNAUTHENTICATED':
      return `The service needs an API key for this. ${AUTH_WORDS}`;
    case 'FORBIDDEN':
      return `Your API key is not allowed to see this. Ask your administrator for access.`;
    case 'NOT_FOUND':
      return msg ? `Not found: ${msg}` : 'The requested record was not found.';
    case 'BAD_USER_INPUT':
      return `The service did not accept the request: ${msg || 'invalid input'}.`.replace(/\.\.$/, '.');
    case 'CONFLICT':
      return `The change conflicts with existing data: ${msg}`;
    case 'TIMEOUT':
    case 'QUERY_TIMEOUT':
      return 'The database took too long to answer. Try a smaller depth or fewer relationship kinds.';
    case 'UNAVAILABLE':
    case 'SERVICE_UNAVAILABLE':
      return 'The database is not available right now. Try again in a moment.';
    case 'INTERNAL_SERVER_ERROR':
    case 'INTERNAL':
      return 'The service had an internal problem and could not answer. Try again; if it keeps happening, tell your administrator.';
    default:
      break;
  }
  if (/Cannot query field|Unknown argument|Unknown type|Unknown enum|is not defined by type|Field .* argument .* is required/i.test(msg)) {
    return 'This page asked the service for something it does not know: the workspace and the service versions do not match. Rebuild the workspace (npm run build in web/) and reload.';
  }
  if (/unexpected error|internal/i.test(msg) || !msg) {
    return 'The service had an internal problem and could not answer. Try again; if it keeps happening, tell your administrator.';
  }
  return `The service could not answer: ${msg}`;
}

/**
 * POST a GraphQL document. Resolves to `data`; rejects with an ApiError in plain words.
 * A response with both data and errors rejects too (partial portraits would mislead).
 */
export async function gql(query, variables = {}, { signal } = {}) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json;q=0.9',
  };
  const key = getApiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const opName = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  let res;
  try {
    res = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables, operationName: opName }),
      signal,
    });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError(
      'Cannot reach the custgraph service. Check your network connection and that the service is running, then try again.',
      { detail: String(e), code: 'NETWORK' },
    );
  }
  let body = null;
  const text = await res.text().catch(() => '');
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const status = res.status;
  if (status === 401) {
    throw new ApiError(
      (key ? 'The service refused the API key. ' : 'The service needs an API key. ') + AUTH_WORDS,
      { detail: text.slice(0, 500), code: 'UNAUTHENTICATED', status },
    );
  }
  if (status === 403) {
    throw new ApiError('Your API key is not allowed to do this. Ask your administrator for access.', {
      detail: text.slice(0, 500), code: 'FORBIDDEN', status,
    });
  }
  if (status === 429) {
    throw new ApiError('Too many requests in a short time. Wait a few seconds and try again.', {
      detail: text.slice(0, 500), code: 'RATE_LIMITED', status,
    });
  }
  if (body?.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(plainWords(first), {
      detail: body.errors.map((e) => e.message).join('\n'),
      code: first?.extensions?.code || '',
      status,
    });
  }
  if (status === 503 || status === 502 || status === 504) {
    throw new ApiError('The service is up but its database is not available right now. Try again in a moment.', {
      detail: text.slice(0, 500), code: 'UNAVAILABLE', status,
    });
  }
  if (!res.ok || !body || typeof body !== 'object' || !('data' in body)) {
    throw new ApiError(
      status >= 500
        ? 'The service had an internal problem and could not answer. Try again; if it keeps happening, tell your administrator.'
        : `The service gave an answer this page does not understand (HTTP ${status}).`,
      { detail: text.slice(0, 500), code: 'BAD_RESPONSE', status },
    );
  }
  return body.data;
}
