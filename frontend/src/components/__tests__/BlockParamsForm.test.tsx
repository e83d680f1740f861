import { MantineProvider } from "@mantine/core";
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { BlockParam } from "../../client/domain";
import { BlockParamsForm } from "../Impulse/BlockParamsForm";

const params: BlockParam[] = [
  { name: "fft_length", type: "int", default: 16, label: "FFT length", help: "Samples per frame", min: 8, max: 1024 },
  { name: "take_log", type: "bool", default: true, label: "Take log of spectrum" },
  { name: "filter_type", type: "select", default: "low", label: "Filter type", options: ["none", "low", "high"] },
  { name: "edges", type: "float_list", default: [0.1, 0.5], label: "Spectral power edges" },
];

describe("BlockParamsForm", () => {
  it("renders one labelled control per parameter with its default and help", () => {
    render(
      <MantineProvider>
        <BlockParamsForm params={params} values={{}} onChange={() => {}} />
      </MantineProvider>,
    );
    expect(screen.getByLabelText("FFT length")).toHaveValue("16");
    expect(screen.getByText("Samples per frame")).toBeInTheDocument();
    expect(screen.getByLabelText("Take log of spectrum")).toBeChecked();
    expect(screen.getByLabelText("Spectral power edges")).toHaveValue("0.1, 0.5");
  });

  it("reports edits as typed values", () => {
    const onChange = vi.fn();
    render(
      <MantineProvider>
        <BlockParamsForm params={params} values={{ take_log: true }} onChange={onChange} />
      </MantineProvider>,
    );
    fireEvent.click(screen.getByLabelText("Take log of spectrum"));
    expect(onChange).toHaveBeenLastCalledWith({ take_log: false });
    fireEvent.change(screen.getByLabelText("Spectral power edges"), { target: { value: "1, 2.5,4" } });
    expect(onChange).toHaveBeenLastCalledWith({ take_log: true, edges: [1, 2.5, 4] });
  });

  it("shows a parameter only while the one it depends on has the stated value", () => {
    const withEdges: BlockParam[] = [
      { name: "power", type: "select", default: "fft-bins", label: "Spectral power", options: ["fft-bins", "edges"] },
      { ...params[3], showIf: { param: "power", value: "edges" } },
    ];
    const { rerender } = render(
      <MantineProvider>
        <BlockParamsForm params={withEdges} values={{}} onChange={() => {}} />
      </MantineProvider>,
    );
    expect(screen.queryByLabelText("Spectral power edges")).toBeNull();
    rerender(
      <MantineProvider>
        <BlockParamsForm params={withEdges} values={{ power: "edges" }} onChange={() => {}} />
      </MantineProvider>,
    );
    expect(screen.getByLabelText("Spectral power edges")).toHaveValue("0.1, 0.5");
  });

  it("is read-only for viewers", () => {
    render(
      <MantineProvider>
        <BlockParamsForm params={params} values={{}} onChange={() => {}} disabled />
      </MantineProvider>,
    );
    expect(screen.getByLabelText("FFT length")).toBeDisabled();
  });
});
