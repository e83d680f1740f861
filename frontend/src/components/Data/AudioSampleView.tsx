import { Alert, Button, Group, NumberInput, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, call, errorText, type Schemas } from "../../client/api";
import { AudioSpectrogram } from "./AudioSpectrogram";
import { AudioSplitPanel } from "./AudioSplitPanel";
import { AudioWaveform, type Cut } from "./AudioWaveform";

/** An audio sample: waveform (drag to select a range, play it, crop to it), spectrogram, playback,
 * and split by events with playable previewed cuts. */
export function AudioSampleView({
  projectId,
  sample,
  canEdit,
  onApplied,
  onCropped,
}: {
  projectId: number;
  sample: Schemas["SampleDetail"];
  canEdit: boolean;
  onApplied: () => void;
  onCropped: () => void;
}) {
  const [selection, setSelection] = useState<Cut | null>(null);
  const lengthMs = Math.round(sample.length_ms);
  const select = (a: number, b: number) =>
    setSelection({ start_ms: Math.max(0, Math.min(a, lengthMs)), end_ms: Math.max(0, Math.min(b, lengthMs)) });
  const crop = useMutation({
    mutationFn: (c: Cut) =>
      call(
        api.POST("/api/projects/{project_id}/samples/{sample_id}/crop", {
          params: { path: { project_id: projectId, sample_id: sample.id } },
          body: { start_ms: c.start_ms, end_ms: c.end_ms },
        }),
      ),
    onSuccess: () => {
      setSelection(null);
      onCropped();
    },
  });
  const usable = selection !== null && selection.end_ms > selection.start_ms;
  const audio = useRef<HTMLAudioElement>(null);
  const stopAt = useRef<number | null>(null);
  const [preview, setPreview] = useState<Schemas["SplitPreview"] | null>(null);
  const [activeCut, setActiveCut] = useState<number | null>(null);
  const [playheadMs, setPlayheadMs] = useState<number | null>(null);
  const mono = useMemo(
    () => sample.values.map((row) => (row.length === 1 ? row[0] : row.reduce((a, b) => a + b, 0) / row.length)),
    [sample.values],
  );
  useEffect(() => {
    setPreview(null);
    setActiveCut(null);
    setSelection(null);
  }, [sample.id, sample.length_ms]);
  const onTime = () => {
    const el = audio.current;
    if (!el) return;
    setPlayheadMs(el.currentTime * 1000);
    if (stopAt.current !== null && el.currentTime * 1000 >= stopAt.current) {
      el.pause();
      stopAt.current = null;
    }
  };
  const play = (cut: Cut) => {
    const el = audio.current;
    if (!el) return;
    stopAt.current = cut.end_ms;
    el.currentTime = cut.start_ms / 1000;
    void el.play();
  };
  const playCut = (i: number) => {
    const cut = preview?.cuts[i];
    if (!cut) return;
    setActiveCut(i);
    play(cut);
  };
  // Raw URL: the <audio> element downloads the WAV itself (same-origin, with the session cookie).
  const src = `/api/projects/${projectId}/samples/${sample.id}/audio.wav`;
  return (
    <Stack gap="xs">
      <AudioWaveform
        times={sample.timestamps_ms}
        values={mono}
        lengthMs={sample.length_ms}
        cuts={preview?.cuts ?? []}
        activeCut={activeCut}
        playheadMs={playheadMs}
        selection={selection}
        onSelect={select}
      />
      <Group align="flex-end" gap="xs">
        <NumberInput
          label="Selection from (ms)"
          size="xs"
          w={150}
          min={0}
          max={lengthMs}
          value={selection?.start_ms ?? ""}
          onChange={(v) => select(Number(v) || 0, selection?.end_ms ?? lengthMs)}
        />
        <NumberInput
          label="to (ms)"
          size="xs"
          w={120}
          min={0}
          max={lengthMs}
          value={selection?.end_ms ?? ""}
          onChange={(v) => select(selection?.start_ms ?? 0, Number(v) || 0)}
        />
        <Button size="xs" variant="light" disabled={!usable} onClick={() => selection && play(selection)}>
          Play selection
        </Button>
        {canEdit && (
          <Button
            size="xs"
            disabled={!usable}
            loading={crop.isPending}
            onClick={() => selection && crop.mutate(selection)}
          >
            Crop to selection
          </Button>
        )}
        {selection && (
          <Button size="xs" variant="subtle" onClick={() => setSelection(null)}>
            Clear selection
          </Button>
        )}
      </Group>
      {crop.isError && <Alert color="red">{errorText(crop.error)}</Alert>}
      <AudioSpectrogram projectId={projectId} sampleId={sample.id} />
      <audio
        ref={audio}
        controls
        preload="auto"
        src={src}
        aria-label="Play the sample"
        onTimeUpdate={onTime}
        onSeeked={onTime}
        onEnded={() => (stopAt.current = null)}
        style={{ width: "100%" }}
      />
      <Text size="xs" c="dimmed">
        Waveform: each pixel column spans the lowest to the highest value in it. Drag across it to select a range to
        play or crop.
      </Text>
      {canEdit && (
        <AudioSplitPanel
          projectId={projectId}
          sampleId={sample.id}
          preview={preview}
          onPreview={(p) => {
            setPreview(p);
            setActiveCut(null);
          }}
          onPlay={playCut}
          onApplied={onApplied}
        />
      )}
    </Stack>
  );
}
