import type { Schemas } from "../../client/api";

export type Candidate = Schemas["TunerCandidatePublic"];

/** Measured candidates that no other measured candidate beats on both accuracy and latency. */
export function paretoFront(cands: Candidate[]): Set<number> {
  const measured = cands.filter((c) => c.accuracy_int8 != null && c.latency_ms != null && c.fits !== false);
  const front = new Set<number>();
  for (const c of measured) {
    const beaten = measured.some(
      (o) =>
        o.id !== c.id &&
        o.accuracy_int8! >= c.accuracy_int8! &&
        o.latency_ms! <= c.latency_ms! &&
        (o.accuracy_int8! > c.accuracy_int8! || o.latency_ms! < c.latency_ms!),
    );
    if (!beaten) front.add(c.id);
  }
  return front;
}
