import { Stack, Text } from "@mantine/core";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Schemas } from "../../client/api";
import { AudioSpectrogram } from "./AudioSpectrogram";
import { AudioSplitPanel } from "./AudioSplitPanel";
import { AudioWaveform } from "./AudioWaveform";

/** An audio sample: waveform, spectrogram, playback, and split by events with playable previewed cuts. */
export function AudioSampleView({
  projectId,
  sample,
  canEdit,
  onApplied,
}: {
  projectId: number;
  sample: Schemas["SampleDetail"];
  canEdit: boolean;
  onApplied: () => void;
}) {
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
  }, [sample.id]);
  const onTime = () => {
    const el = audio.current;
    if (!el) return;
    setPlayheadMs(el.currentTime * 1000);
    if (stopAt.current !== null && el.currentTime * 1000 >= stopAt.current) {
      el.pause();
      stopAt.current = null;
    }
  };
  const playCut = (i: number) => {
    const el = audio.current;
    const cut = preview?.cuts[i];
    if (!el || !cut) return;
    setActiveCut(i);
    stopAt.current = cut.end_ms;
    el.currentTime = cut.start_ms / 1000;
    void el.play();
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
      />
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
        Waveform: each pixel column spans the lowest to the highest value in it.
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
