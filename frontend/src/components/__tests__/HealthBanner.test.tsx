import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HealthBanner } from "../ui/HealthBanner";

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })),
  );
}

const wrap = () =>
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <HealthBanner />
      </QueryClientProvider>
    </MantineProvider>,
  );

const base = {
  database: "ok",
  database_backend: "sqlite",
  broker: "filesystem",
  broker_state: "ok",
  events: "database",
  events_state: "ok",
  queues: { jobs: 1, interactive: 1 },
  worker: { connected: true, workers: [] },
};

describe("HealthBanner", () => {
  it("says why the studio is degraded", async () => {
    answer(200, {
      ...base,
      status: "degraded",
      queues: { jobs: 1, interactive: 0 },
      problems: ["no worker is serving the 'interactive' queue (DSP previews and classifying a sample)"],
    });
    wrap();
    expect(await screen.findByTestId("health-banner")).toHaveTextContent(
      "No worker is serving the 'interactive' queue",
    );
  });

  it("stays out of the way when all is well", async () => {
    answer(200, { ...base, status: "ok", problems: [] });
    wrap();
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("health-banner")).toBeNull();
  });
});
