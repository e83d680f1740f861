import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../client/api";
import { EmptyState, ErrorState } from "../ui/States";
import { phoneLink } from "../Phone/ConnectPhone";

const wrap = (ui: React.ReactNode) => render(<MantineProvider>{ui}</MantineProvider>);

describe("states", () => {
  it("an empty state says what to do next", () => {
    wrap(<EmptyState title="No samples yet">Record from a phone.</EmptyState>);
    expect(screen.getByRole("status")).toHaveTextContent("No samples yet");
    expect(screen.getByText("Record from a phone.")).toBeInTheDocument();
  });

  it("an error shows the server's message, not JSON", () => {
    wrap(<ErrorState error={new ApiError(404, "Project 7 not found")} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Project 7 not found");
  });
});

describe("phoneLink", () => {
  it("carries the API key like Edge Impulse's mobile client URL", () => {
    const url = new URL(phoneLink("https://studio.local:8443", "tf_abc+/="));
    expect(url.pathname).toBe("/phone");
    expect(url.searchParams.get("apiKey")).toBe("tf_abc+/=");
  });
});
