import { ApiError, type ApiRequest, apiRequest } from '../../../workers/sync.ts';

/** A call to the API on this origin, with the session's token when there is one. */
export function apiCall<T>(path: string, options: ApiRequest & { token?: string } = {}): Promise<T> {
  const { token = '', ...request } = options;
  return apiRequest<T>({ server: '', token }, path, request);
}

/** The server could not be reached: the screens say "offline" rather than an error. */
export function isOffline(error: unknown): boolean {
  return error instanceof ApiError && error.status === 0;
}
