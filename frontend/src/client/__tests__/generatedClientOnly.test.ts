// The UI calls the API through the generated client; raw fetch only where that client cannot serve.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(__dirname, "..", "..");
// Each with its reason in a comment at the call: multipart ingestion upload, signed upload bytes, a project
// archive sent as the request body, the client itself.
const ALLOWED = new Set([
  "client/api.ts",
  "components/Data/UploadDialog.tsx",
  "components/Versions/ImportProject.tsx",
  "lib/upload.ts",
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "__tests__" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

describe("API calls", () => {
  it("go through the generated client outside the few raw-fetch exceptions", () => {
    const raw = sources(SRC)
      .map((path) => relative(SRC, path).split("\\").join("/"))
      .filter((rel) => !ALLOWED.has(rel) && /\bfetch(Json)?\s*[(<]/.test(readFileSync(join(SRC, rel), "utf8")));
    expect(raw).toEqual([]);
  });
});
