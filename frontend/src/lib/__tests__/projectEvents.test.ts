import { describe, expect, it } from "vitest";
import { staleQueryHeads } from "../projectEvents";

describe("staleQueryHeads", () => {
  it("refreshes jobs on job events and samples on dataset events", () => {
    expect(staleQueryHeads({ type: "job" })).toContain("jobs");
    expect(staleQueryHeads({ type: "samples.added" })).toEqual(expect.arrayContaining(["samples", "dataset"]));
    expect(staleQueryHeads({ type: "devices.changed" })).toEqual(["devices"]);
  });
  it("does not refetch anything for presence and hello", () => {
    expect(staleQueryHeads({ type: "presence" })).toEqual([]);
    expect(staleQueryHeads({ type: "hello" })).toEqual([]);
  });
});
