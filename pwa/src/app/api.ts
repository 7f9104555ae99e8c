/** The server's answer was not a success; `status` 0 means it could not be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A JSON call to the API on this origin, with the session's token. */
export async function apiCall<T>(
  path: string,
  options: { method?: string; token?: string; body?: unknown; raw?: Blob } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined && options.raw === undefined ? 'GET' : 'POST'),
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.raw === undefined ? {} : { 'content-type': 'application/octet-stream' }),
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError('offline', 0);
  }
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(
      `the server answered ${response.status} with something that is not JSON`,
      response.status,
    );
  }
  if (!response.ok) {
    throw new ApiError(
      (body as { error?: string }).error ?? `the server answered ${response.status}`,
      response.status,
    );
  }
  return body as T;
}
