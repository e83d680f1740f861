import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LoginPage } from "../../routes/AuthPages";

afterEach(() => vi.unstubAllGlobals());

describe("LoginPage", () => {
  it("has labelled fields and shows the server's refusal", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(JSON.stringify({ detail: "Wrong username or password" }), {
            status: 401,
            headers: { "content-type": "application/json" },
          }),
      ),
    );
    render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient()}>
          <MemoryRouter>
            <LoginPage />
          </MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
    await userEvent.type(screen.getByLabelText(/Username or email/), "ada");
    await userEvent.type(screen.getByLabelText(/Password/), "nope-nope");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password");
  });
});
