// Upload one signed acquisition file to the ingestion API.
import { ApiError, detailOf } from "../client/api";
import { signedAcquisitionJson, type AcquisitionPayload } from "./signing";

export type Category = "training" | "testing" | "anomaly" | "split";

export async function uploadSample(opts: {
  path: string;
  apiKey?: string;
  projectId?: number;
  hmacKey: string;
  label: string;
  payload: AcquisitionPayload;
  source?: string;
}): Promise<string> {
  // A device sends its API key; the studio sends the session cookie and names the project.
  const auth: Record<string, string> = opts.apiKey
    ? { "x-api-key": opts.apiKey }
    : { "x-project-id": String(opts.projectId) };
  const body = await signedAcquisitionJson(opts.payload, opts.hmacKey);
  // Raw fetch: the body is the signed bytes themselves (the signature covers them), sent as is.
  const response = await fetch(opts.path, {
    method: "POST",
    headers: {
      ...auth,
      "content-type": "application/json",
      "x-label": encodeURIComponent(opts.label),
      "x-file-name": encodeURIComponent(`${opts.label}.json`),
      "x-add-date-id": "1",
      "x-upload-source": opts.source ?? "phone",
    },
    body,
  });
  const text = await response.text();
  if (!response.ok) {
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* plain text answer */
    }
    throw new ApiError(response.status, detailOf(response.status, parsed));
  }
  return text;
}
