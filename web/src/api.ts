/**
 * Typed client for the Vybzz HTTP API: openapi-fetch over the paths generated from the server's OpenAPI
 * document (src/contract/openapi.json → web/src/generated/openapi.ts by `npm run contract:gen`), so a
 * path, parameter, body or answer that the server does not define is a type error here. One middleware
 * adds the session token and reports a refused one; `unwrap()` turns every failure into an `ApiError`.
 */
import createClient from 'openapi-fetch';
import type { Client, Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/openapi';

// The API's types, generated: never copied by hand.
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
export type RestreamTarget = Schemas['RestreamTargetDto'];
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

export const NETWORK_ERROR_MESSAGE = 'Cannot reach the server. Check your connection and try again.';

/** The message of an error answer in Nest's shape `{statusCode, message, error}`, else its status line. */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  let message = `${response.status} ${response.statusText}`.trim();
  if (body && typeof body === 'object') {
    const { message: m, error } = body as { message?: unknown; error?: unknown };
    if (Array.isArray(m)) message = m.map(String).join('; ');
    else if (typeof m === 'string' && m) message = m;
    else if (typeof error === 'string' && error) message = error;
  }
  return new ApiError(response.status, message);
}

/** What openapi-fetch answers: the parsed body on success, the parsed error body otherwise. */
type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or the `ApiError` it stands for. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorFrom(response, error);
  return data as T;
}

export type TokenGetter = () => Promise<string | null>;

export interface ClientOptions {
  /** The session token for `Authorization: Bearer`; null when signed out. */
  getToken?: TokenGetter;
  /** Called when the API answers 401 to a request that carried a token. */
  onUnauthorized?: () => void;
  /** Where the API lives; the page's own origin by default. */
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
}

/** Session token in, 401 reported, a failed fetch (not an abort) as `ApiError(0)`. */
export function sessionMiddleware(getToken?: TokenGetter, onUnauthorized?: () => void): Middleware {
  return {
    async onRequest({ request }) {
      const token = getToken ? await getToken() : null;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('Authorization')) onUnauthorized?.();
      return undefined;
    },
    onError({ error }) {
      // An abort (a DOMException, not always an Error subclass) stays what it is: the caller asked for it.
      if ((error as { name?: unknown } | null)?.name === 'AbortError') return error as Error;
      return new ApiError(0, NETWORK_ERROR_MESSAGE);
    },
  };
}

export function createHttpClient(opts: ClientOptions = {}): Client<paths> {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl ?? '',
    // Looked up per call, so a test (or a polyfill) can replace the global fetch after the client exists.
    fetch: opts.fetch ?? ((request: Request) => globalThis.fetch(request)),
    headers: { Accept: 'application/json' },
  });
  client.use(sessionMiddleware(opts.getToken, opts.onUnauthorized));
  return client;
}

/** The API bound to a token source; built by useApi(). */
export function createApi(
  getToken: TokenGetter,
  onUnauthorized?: () => void,
  opts: Omit<ClientOptions, 'getToken' | 'onUnauthorized'> = {},
) {
  const http = createHttpClient({ ...opts, getToken, onUnauthorized });
  return {
    me: () => unwrap(http.GET('/users/me')),
    saveProfile: (body: { handle: string; displayName: string; bio?: string; allowDownloads?: boolean }) =>
      unwrap(http.PUT('/users/me/creator-profile', { body })),
    creators: (signal?: AbortSignal) => unwrap(http.GET('/creators', { signal })),
    creator: (handle: string, signal?: AbortSignal) =>
      unwrap(http.GET('/creators/{handle}', { params: { path: { handle } }, signal })),
    posts: (creator: string, cursor?: string | null, signal?: AbortSignal): Promise<Page<Post>> =>
      unwrap(http.GET('/posts', { params: { query: { creator, ...(cursor ? { cursor } : {}) } }, signal })),
    createPost: (body: { title: string; body: string }) => unwrap(http.POST('/posts', { body })),
    deletePost: (id: string): Promise<void> =>
      unwrap(http.DELETE('/posts/{id}', { params: { path: { id } } })).then(() => undefined),
    stream: (id: string, signal?: AbortSignal): Promise<StreamState> =>
      unwrap(http.GET('/stream/{id}', { params: { path: { id } }, signal })),
    createStream: (body: { title?: string } = {}) => unwrap(http.POST('/stream/create', { body })),
    restreamTargets: (signal?: AbortSignal) => unwrap(http.GET('/users/me/restream-targets', { signal })),
    addRestreamTarget: (body: { name: string; url: string; streamKey: string }) =>
      unwrap(http.POST('/users/me/restream-targets', { body })),
    setRestreamTargetEnabled: (id: string, enabled: boolean) =>
      unwrap(http.PATCH('/users/me/restream-targets/{id}', { params: { path: { id } }, body: { enabled } })),
    deleteRestreamTarget: (id: string): Promise<void> =>
      unwrap(http.DELETE('/users/me/restream-targets/{id}', { params: { path: { id } } })).then(
        () => undefined,
      ),
  };
}

export type Api = ReturnType<typeof createApi>;

/** Calls that need no session. */
const anonymous = createHttpClient();

export function fetchAppConfig(): Promise<AppConfig> {
  return unwrap(anonymous.GET('/app-config'));
}

export function devLogin(name: string): Promise<DevLogin> {
  return unwrap(anonymous.POST('/auth/dev-login', { body: { name } }));
}
