/** Typed client for the Vybzz HTTP API (JSON; errors in Nest's shape `{statusCode, message, error}`). */

import type { components } from './generated/openapi';

// The API's types, generated from the server's OpenAPI document (src/contract/openapi.json) by
// `npm run contract:gen`: never copied by hand.
type Schemas = components['schemas'];
export type AppConfig = Schemas['AppConfigResponse'];
export type CreatorProfile = Schemas['CreatorProfileResponse'];
export type Me = Schemas['MeResponse'];
export type Post = Schemas['PostResponse'];
export type Page<T> = { items: T[]; nextCursor: string | null };
export type CreatorSummary = Schemas['CreatorSummary'];
export type StreamStatus = Schemas['OwnedStream']['status'];
export type CreatorPage = Schemas['CreatorPageResponse'];
export type CreatedStream = Schemas['OwnedStream'];
export type DevLogin = Schemas['DevLoginResponse'];
/** What GET /stream/:id tells anyone about a stream. */
export type StreamState = Pick<Schemas['StreamView'], 'status' | 'isLive'>;

/** An error answered by the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = (await res.json()) as { message?: unknown; error?: unknown };
    if (Array.isArray(body.message)) message = body.message.map(String).join('; ');
    else if (typeof body.message === 'string' && body.message) message = body.message;
    else if (typeof body.error === 'string' && body.error) message = body.error;
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(res.status, message);
}

export type TokenGetter = () => Promise<string | null>;

export async function request<T>(
  path: string,
  opts: {
    method?: string;
    body?: unknown;
    getToken?: TokenGetter;
    onUnauthorized?: () => void;
    signal?: AbortSignal;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = opts.getToken ? await opts.getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    if (res.status === 401 && token) opts.onUnauthorized?.();
    throw await errorFrom(res);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The API bound to a token source; built by useApi(). */
export function createApi(getToken: TokenGetter, onUnauthorized?: () => void) {
  const authed = { getToken, onUnauthorized };
  return {
    me: () => request<Me>('/users/me', authed),
    saveProfile: (body: { handle: string; displayName: string; bio?: string }) =>
      request<CreatorProfile>('/users/me/creator-profile', { ...authed, method: 'PUT', body }),
    creators: (signal?: AbortSignal) => request<{ items: CreatorSummary[] }>('/creators', { signal }),
    creator: (handle: string, signal?: AbortSignal) =>
      request<CreatorPage>(`/creators/${encodeURIComponent(handle)}`, { signal }),
    posts: (creator: string, cursor?: string | null, signal?: AbortSignal) => {
      const q = new URLSearchParams({ creator });
      if (cursor) q.set('cursor', cursor);
      return request<Page<Post>>(`/posts?${q.toString()}`, { signal });
    },
    createPost: (body: { title: string; body: string }) =>
      request<Post>('/posts', { ...authed, method: 'POST', body }),
    deletePost: (id: string) =>
      request<void>(`/posts/${encodeURIComponent(id)}`, { ...authed, method: 'DELETE' }),
    stream: (id: string, signal?: AbortSignal) =>
      request<StreamState>(`/stream/${encodeURIComponent(id)}`, { signal }),
    createStream: (body: { title?: string } = {}) =>
      request<CreatedStream>('/stream/create', { ...authed, method: 'POST', body }),
  };
}

export type Api = ReturnType<typeof createApi>;

export function fetchAppConfig(): Promise<AppConfig> {
  return request<AppConfig>('/app-config');
}

export function devLogin(name: string): Promise<DevLogin> {
  return request<DevLogin>('/auth/dev-login', { method: 'POST', body: { name } });
}
