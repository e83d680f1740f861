import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProjectContext, type ProjectInfo } from "../../hooks/useProject";
import { ApiKeys } from "../Dashboard/ApiKeys";

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("ApiKeys", () => {
  it("shows a new key in both spellings: ours and the ei_ one Edge Impulse's tools require", async () => {
    const created = {
      id: 7,
      name: "",
      role: "ingestiononly",
      prefix: "tf_abcdefg",
      created_at: "2026-12-01T00:00:00Z",
      last_used_at: null,
      revoked_at: null,
      key: "tf_abcdefghijklmnop",
      edge_impulse_key: "ei_abcdefghijklmnop",
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (req: Request) => (req.method === "POST" ? json(created, 201) : json([]))),
    );
    const project = { id: 1, name: "Gestures", role: "admin", canEdit: true, isAdmin: true } as unknown as ProjectInfo;
    render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient()}>
          <ProjectContext.Provider value={project}>
            <ApiKeys />
          </ProjectContext.Provider>
        </QueryClientProvider>
      </MantineProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect(await screen.findByTestId("new-api-key")).toHaveTextContent("tf_abcdefghijklmnop");
    expect(screen.getByTestId("new-api-key-ei")).toHaveTextContent("ei_abcdefghijklmnop");
  });
});
