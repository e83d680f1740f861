import { describe, expect, it } from "vitest";
import { formatDuration } from "../DurationTotals";
import { describeFilters, filterQuery, isFiltered, type SampleFilters } from "../sampleFilters";

const none: SampleFilters = { labels: [], category: null, enabled: null, metadata: [], search: "" };

describe("formatDuration", () => {
  it("says seconds, minutes or hours as the size asks", () => {
    expect(formatDuration(2500)).toBe("2.5 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(200_000)).toBe("3 min 20 s");
    expect(formatDuration(3_720_000)).toBe("1 h 02 min");
  });
  it("rounds before splitting, never showing 60 of a unit", () => {
    expect(formatDuration(119_999)).toBe("2 min 00 s");
    expect(formatDuration(59_700)).toBe("1 min 00 s");
    expect(formatDuration(9_990)).toBe("10 s");
    expect(formatDuration(3_599_900)).toBe("1 h 00 min");
  });
});

describe("sample filters", () => {
  it("send nothing when nothing is chosen", () => {
    expect(isFiltered(none)).toBe(false);
    expect(Object.values(filterQuery(none)).every((v) => v === undefined)).toBe(true);
  });
  it("send labels, metadata pairs and enabled as the list endpoint reads them", () => {
    const f = { ...none, labels: ["wave", ""], enabled: "disabled" as const, metadata: ["site=lab"] };
    expect(filterQuery(f)).toMatchObject({ label: ["wave", ""], enabled: false, metadata: ["site=lab"] });
    expect(describeFilters(f)).toBe("labeled wave or (unlabeled) and disabled and with site=lab");
  });
});
