import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useRef, useState } from "react";
import { api, call, errorText } from "../client/api";
import { SerialLiveCard } from "../components/Serial/SerialLiveCard";
import { PageHeader } from "../components/ui/PageHeader";
import { useProject } from "../hooks/useProject";
import { defaultAxisNames, detectStream, parseLine, unitsFor } from "../lib/serialLines";
import { LineReader, webSerial } from "../lib/serialPort";
import { uploadSample } from "../lib/upload";

/** A board that prints value lines, read in the browser over Web Serial, like `tinyforge forward`. */
export function SerialPage() {
  const p = useProject();
  const reader = useRef<LineReader | null>(null);
  const [openReader, setOpenReader] = useState<LineReader | null>(null); // for the live device card
  const [baud, setBaud] = useState("115200");
  const [stream, setStream] = useState<{ frequency: number; axes: number } | null>(null);
  const [names, setNames] = useState<string[]>([]);
  const [label, setLabel] = useState("");
  const [lengthS, setLengthS] = useState(5);
  const [category, setCategory] = useState("training");
  const [busy, setBusy] = useState<{ what: string; f: number } | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  if (!webSerial()) {
    return (
      <Stack>
        <PageHeader title="Board over USB" />
        <Alert color="yellow" title="This browser cannot talk to serial ports">
          Web Serial works in Chrome and Edge on a computer. Elsewhere, run <Code>tinyforge forward</Code> on the
          computer the board is plugged into: it reads the same value lines and uploads them to this project.
        </Alert>
      </Stack>
    );
  }
  const connect = async () => {
    setResult(null);
    try {
      reader.current = await LineReader.open(Number(baud));
      setOpenReader(reader.current);
      setBusy({ what: "Detecting frequency and axes", f: 0 });
      const { lines, seconds } = await reader.current.collect(1200, (f) =>
        setBusy({ what: "Detecting frequency and axes", f }),
      );
      const s = detectStream(lines, seconds);
      const remembered = JSON.parse(localStorage.getItem(`tinyforge.axes.${s.axes}`) ?? "null") as string[] | null;
      setStream(s);
      setNames(remembered ?? defaultAxisNames(s.axes));
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };
  const record = async () => {
    if (!reader.current || !stream) return;
    setResult(null);
    try {
      localStorage.setItem(`tinyforge.axes.${stream.axes}`, JSON.stringify(names));
      const lengthMs = lengthS * 1000;
      const { lines } = await reader.current.collect(lengthMs + 300, (f) => setBusy({ what: "Recording", f }));
      const rows: number[][] = [];
      for (const line of lines.slice(1)) {
        const parsed = parseLine(line);
        if (parsed && "error" in parsed) throw new Error(`The board reported: ${parsed.error}`);
        if (parsed && parsed.values.length === stream.axes) rows.push(parsed.values);
      }
      const wanted = Math.round(stream.frequency * lengthS);
      if (rows.length < wanted * 0.9)
        throw new Error(`Only ${rows.length} of ${wanted} readings arrived; check the cable and the frequency.`);
      setBusy({ what: "Uploading", f: 1 });
      const { hmac_key } = await call(
        api.GET("/api/projects/{project_id}/hmac-key", { params: { path: { project_id: p.id } } }),
      );
      const name = await uploadSample({
        path: `/api/${category}/data`,
        projectId: p.id,
        hmacKey: hmac_key,
        label,
        source: "web-serial",
        payload: {
          device_type: "WEB_SERIAL",
          interval_ms: 1000 / stream.frequency,
          sensors: names.map((n) => ({ name: n, units: unitsFor(n) })),
          values: rows.slice(0, wanted),
        },
      });
      setResult({ ok: true, text: `Uploaded ${name.trim() || label}` });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Stack>
      <PageHeader
        title="Board over USB"
        description="Connect a board that prints one reading per line (comma, tab or space separated)."
      />
      <Card withBorder>
        <Group align="flex-end">
          <Select
            label="Baud rate"
            value={baud}
            onChange={(v) => v && setBaud(v)}
            data={["9600", "38400", "57600", "115200", "230400", "921600"]}
            allowDeselect={false}
            w={140}
          />
          <Button onClick={connect} disabled={!p.canEdit || !!busy}>
            {stream ? "Reconnect" : "Connect a board"}
          </Button>
        </Group>
        {stream && (
          <Text mt="sm" data-testid="serial-detected">
            Detected {stream.frequency} Hz with {stream.axes} axes.
          </Text>
        )}
      </Card>
      {stream && (
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            Name the axes and record
          </Title>
          <SimpleGrid cols={{ base: 2, sm: Math.min(stream.axes, 6) }} mb="sm">
            {names.map((n, i) => (
              <TextInput
                key={i}
                label={`Axis ${i + 1}`}
                value={n}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setNames((xs) => xs.map((x, k) => (k === i ? v : x)));
                }}
              />
            ))}
          </SimpleGrid>
          <Group align="flex-end" grow>
            <TextInput label="Label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required />
            <NumberInput
              label="Length (s)"
              value={lengthS}
              min={0.5}
              max={300}
              onChange={(v) => setLengthS(Number(v) || 1)}
            />
            <Select
              label="Category"
              value={category}
              onChange={(v) => v && setCategory(v)}
              data={["training", "testing", "anomaly"]}
              allowDeselect={false}
            />
          </Group>
          <Button mt="md" onClick={record} disabled={!label.trim() || !!busy || !p.canEdit}>
            Start recording
          </Button>
        </Card>
      )}
      {stream && (
        <SerialLiveCard
          projectId={p.id}
          canConnect={p.isAdmin}
          reader={openReader}
          frequency={stream.frequency}
          axes={stream.axes}
        />
      )}
      {busy && (
        <div>
          <Text size="sm">{busy.what}…</Text>
          <Progress value={busy.f * 100} aria-label={busy.what} />
        </div>
      )}
      {result && (
        <Alert color={result.ok ? "teal" : "red"} role="status" data-testid="serial-result">
          {result.text}
        </Alert>
      )}
    </Stack>
  );
}
