// The typed API client (types generated from the backend's OpenAPI schema) and error handling.
import createClient from "openapi-fetch";
import type { paths, components } from "./schema";

export type Schemas = components["schemas"];
// Absolute base (Request needs one outside browsers); fetch looked up per call so tests can stub it.
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "same-origin",
  fetch: (request: Request) => globalThis.fetch(request),
});

/** An API answer that was not 2xx; `message` is the server's `detail`, written for the user. */
export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

export function detailOf(status: number, body: unknown): string {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return detail;
  if (status === 0) return "The server cannot be reached; check your connection.";
  return `The server answered ${status}`;
}

/** Await an openapi-fetch call and return its data, or throw an ApiError with the server's message. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok) throw new ApiError(response.status, detailOf(response.status, error));
  return data as T;
}

/** Raw JSON request, only where the generated client cannot send it (multipart ingestion uploads with their headers). */
export async function fetchJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { credentials: "same-origin", ...init });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) throw new ApiError(response.status, detailOf(response.status, body));
  return body as T;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError || err instanceof Error) return err.message;
  return String(err);
}
