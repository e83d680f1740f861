import { Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api, call, errorText } from "../../client/api";

// A perceptual dark-to-bright ramp (black, violet, red, orange, yellow): loud is bright.
const STOPS: [number, number, number][] = [
  [0, 0, 4],
  [80, 18, 123],
  [183, 55, 121],
  [251, 136, 97],
  [252, 253, 191],
];

export function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

const RANGE_DB = 80; // shown below the loudest band; quieter is black

/** The sample's spectrogram (computed by the server, one FFT per column), low frequencies at the bottom. */
export function AudioSpectrogram({
  projectId,
  sampleId,
  height = 120,
}: {
  projectId: number;
  sampleId: number;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const spec = useQuery({
    queryKey: ["samples", projectId, "spectrogram", sampleId],
    queryFn: () =>
      call(
        api.GET("/api/projects/{project_id}/samples/{sample_id}/spectrogram", {
          params: { path: { project_id: projectId, sample_id: sampleId }, query: { columns: 600, bands: 128 } },
        }),
      ),
  });
  useEffect(() => {
    const el = canvas.current;
    const s = spec.data;
    if (!el || !s || s.db.length === 0) return;
    const cols = s.db.length;
    const bands = s.db[0].length;
    let top = -Infinity;
    for (const column of s.db) for (const v of column) top = Math.max(top, v);
    const image = new ImageData(cols, bands);
    for (let x = 0; x < cols; x++) {
      for (let y = 0; y < bands; y++) {
        const [r, g, b] = colour(1 - (top - s.db[x][y]) / RANGE_DB);
        const at = ((bands - 1 - y) * cols + x) * 4;
        image.data[at] = r;
        image.data[at + 1] = g;
        image.data[at + 2] = b;
        image.data[at + 3] = 255;
      }
    }
    const source = document.createElement("canvas");
    source.width = cols;
    source.height = bands;
    source.getContext("2d")?.putImageData(image, 0, 0);
    const width = Math.max(100, Math.floor(el.clientWidth || 600));
    el.width = width;
    el.height = height;
    const g = el.getContext("2d");
    if (!g) return;
    g.imageSmoothingEnabled = true;
    g.drawImage(source, 0, 0, width, height);
  }, [spec.data, height]);
  if (spec.isError) return <Text c="red">{errorText(spec.error)}</Text>;
  const top = spec.data?.frequencies_hz.at(-1);
  return (
    <div>
      <canvas
        ref={canvas}
        role="img"
        aria-label="Spectrogram"
        data-ready={spec.data ? "true" : "false"}
        style={{ width: "100%", height, display: "block", background: "#000", borderRadius: 4 }}
      />
      {top !== undefined && (
        <Text size="xs" c="dimmed">
          Spectrogram 0–{Math.round(top)} Hz, {RANGE_DB} dB range (FFT of {spec.data?.fft_size} samples)
        </Text>
      )}
    </div>
  );
}
