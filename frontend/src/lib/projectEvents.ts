// How a project event (from GET /api/projects/{id}/events) maps to the cached queries it makes stale.
export type ProjectEvent = { type: string; [key: string]: unknown };

/** Query-key heads that an event of this type invalidates; lists and details follow the stream. */
export function staleQueryHeads(ev: ProjectEvent): string[] {
  const t = ev.type;
  if (t === "hello" || t === "presence") return [];
  if (t === "job") return ["jobs", "activity"];
  if (t === "activity") return ["activity"];
  if (t.startsWith("members")) return ["members", "invitations", "project"];
  if (t === "device.sampling") return [];
  if (t.startsWith("device")) return ["devices"];
  if (t.startsWith("sample")) return ["samples", "dataset", "activity"];
  const domain = t.split(/[.:]/)[0];
  // sample.created / samples.changed / device.connected / impulse.updated / deployment.finished ...
  const singular = domain.replace(/s$/, "");
  return [singular, `${singular}s`, "dataset", "activity"];
}

/** Event names the project stream sends (the SSE `event:` field); other domains add theirs here. */
export const PROJECT_EVENT_TYPES = [
  "hello",
  "job",
  "activity",
  "presence",
  "members.changed",
  "devices.changed",
  "device.deleted",
  "device.replaced",
  "device.sampling",
  "samples.added",
  "samples.changed",
  "samples.deleted",
  "impulse",
  "deployment",
  "tuner.candidate",
  "tuner.run",
];
