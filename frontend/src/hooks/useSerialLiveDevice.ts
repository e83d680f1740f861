import { useCallback, useEffect, useRef, useState } from "react";
import { api, call, errorText } from "../client/api";
import { ChunkedStream } from "../lib/liveStream";
import { RemoteManagement, websocketUrl, type ConnectionState, type StreamRequest } from "../lib/remoteManagement";
import { parseLine } from "../lib/serialLines";
import type { LineReader } from "../lib/serialPort";

function serialDeviceId(): string {
  const stored = localStorage.getItem("tinyforge.serialDeviceId");
  if (stored) return stored;
  const id = `serial_${Date.now().toString(36)}`;
  localStorage.setItem("tinyforge.serialDeviceId", id);
  return id;
}

/** The board on the serial page as a device of the project, so the studio can classify it live. */
export function useSerialLiveDevice(projectId: number, reader: LineReader | null, frequency: number, axes: number) {
  const [state, setState] = useState<ConnectionState | "off">("off");
  const [error, setError] = useState<string | null>(null);
  const [streaming, setStreaming] = useState(false);
  const client = useRef<RemoteManagement | null>(null);
  const stopStream = useRef<(() => void) | null>(null);

  const endStream = useCallback(() => {
    stopStream.current?.();
    stopStream.current = null;
    setStreaming(false);
  }, []);
  const disconnect = useCallback(() => {
    endStream();
    client.current?.stop();
    client.current = null;
    setState("off");
  }, [endStream]);

  const connect = async () => {
    setError(null);
    try {
      const key = await call(
        api.POST("/api/projects/{project_id}/apikeys/phone", { params: { path: { project_id: projectId } } }),
      );
      const info = await call(api.GET("/api/device-key", { headers: { "x-api-key": key.key } }));
      const sensor = { name: "Serial", frequencies: [frequency], maxSampleLengthS: 300, liveStream: true };
      const c: RemoteManagement = new RemoteManagement(
        websocketUrl(info.remote_management_path),
        {
          version: 3,
          apiKey: key.key,
          deviceId: serialDeviceId(),
          deviceType: "WEB_SERIAL",
          connection: "ip",
          sensors: [sensor],
          supportsSnapshotStreaming: false,
        },
        {
          onState: (s, detail) => {
            setState(s);
            if (detail) setError(detail);
          },
          onSampleRequest: () => c.send({ sample: false, error: "record from the Board over USB page instead" }),
          onStreamStart: (req: StreamRequest) => {
            stopStream.current?.();
            if (!reader) return c.send({ streamError: "the board is not connected" });
            const chunks = new ChunkedStream(req, (m) => c.send(m));
            const off = reader.onLine((line) => {
              const parsed = parseLine(line);
              if (parsed && "values" in parsed && parsed.values.length === axes) chunks.add(parsed.values);
            });
            stopStream.current = () => {
              off();
              chunks.stop();
            };
            setStreaming(true);
          },
          onStreamStop: endStream,
        },
      );
      client.current = c;
      c.start();
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => disconnect, [disconnect, reader]);
  return { state, error, streaming, connect, disconnect };
}
