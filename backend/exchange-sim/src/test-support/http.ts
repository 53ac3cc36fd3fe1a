export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** GET with Node's fetch; `json` is undefined when the body is not JSON. */
export async function get<T = unknown>(
  base: string,
  path: string,
  init?: RequestInit,
): Promise<HttpResult<T>> {
  const response = await fetch(base + path, init);
  const text = await response.text();
  let json: T;
  try {
    json = JSON.parse(text) as T;
  } catch {
    json = undefined as T;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export type KlineRow = [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
];
