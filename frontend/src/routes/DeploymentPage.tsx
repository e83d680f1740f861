import { Alert, Badge, Button, Card, Group, Radio, SegmentedControl, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { api, call, errorText, type Schemas } from "../client/api";
import type { Deployment } from "../client/domain";
import { BoardEstimates, BuildOnBoard } from "../components/Deployment/BoardEstimates";
import { JobProgress } from "../components/Jobs/JobProgress";
import { VariantTable } from "../components/Training/VariantTable";
import { VariantWarnings } from "../components/Training/VariantWarnings";
import { StagePage } from "../components/ui/StagePage";
import { EmptyState, NextStep } from "../components/ui/States";
import { useImpulse } from "../hooks/useImpulse";
import { useJobStream } from "../hooks/useJobStream";
import { useLatestJob } from "../hooks/useLatestJob";
import { useProject } from "../hooks/useProject";

const TARGETS = [
  {
    value: "arduino",
    label: "Arduino library",
    help: "A zip to add in the Arduino IDE (Sketch → Include Library → Add .ZIP)",
  },
  { value: "cpp", label: "C++ library", help: "Portable C/C++ sources with a CMake project" },
  { value: "tflite", label: "TensorFlow Lite", help: "The .tflite model and its metadata" },
  {
    value: "wasm",
    label: "WebAssembly",
    help: "The same C as a .wasm with a JavaScript wrapper, for browsers, Node and the phone page",
  },
];
const kb = (b?: number) => (b === undefined ? "–" : `${(b / 1024).toFixed(1)} KB`);

function Deploy() {
  const p = useProject();
  const qc = useQueryClient();
  const { impulse } = useImpulse(p.id);
  const [target, setTarget] = useState("arduino");
  const [params] = useSearchParams();
  const [variant, setVariant] = useState(params.get("variant") === "float32" ? "float32" : "int8");
  const [boardId, setBoardId] = useState(params.get("board") ?? "arduino-nano-33-ble-sense");
  const training = useLatestJob(p.id, "impulse.train", null).result;
  const latestTest = useLatestJob(p.id, "impulse.test", null).result;
  const test = latestTest && latestTest.train_job_id === impulse?.trained_job_id ? latestTest : null;
  const warnings = [...(training?.warnings ?? []), ...(test?.warnings ?? [])];
  const [building, setBuilding] = useState<number | null>(null);
  const path = { project_id: p.id };
  const history = useQuery({
    queryKey: ["deployments", p.id],
    queryFn: async () =>
      (await call(api.GET("/api/projects/{project_id}/deployments", { params: { path } }))) as Deployment[],
  });
  const build = useMutation({
    mutationFn: async () =>
      (await call(
        api.POST("/api/projects/{project_id}/deployments", {
          params: { path },
          body: { impulse_id: impulse!.id, target, variant, board: boardId } as Schemas["DeploymentCreate"],
        }),
      )) as Deployment,
    onSuccess: (d) => {
      setBuilding(d.job_id);
      qc.invalidateQueries({ queryKey: ["deployments", p.id] });
    },
  });
  const targets = useQuery({
    queryKey: ["deployment-targets", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/deployments/targets", { params: { path } })),
  });
  const unavailable = Object.fromEntries((targets.data ?? []).filter((t) => !t.available).map((t) => [t.id, t.reason]));
  const live = useJobStream(p.id, building);
  const done = live?.status;
  useEffect(() => {
    if (done) qc.invalidateQueries({ queryKey: ["deployments", p.id] });
  }, [done, p.id, qc]);
  if (!impulse?.trained_job_id)
    return (
      <EmptyState
        title="Train a model first"
        action={<NextStep to={`/projects/${p.id}/training`}>Go to training</NextStep>}
      >
        Then build a library for your board here.
      </EmptyState>
    );
  return (
    <Stack>
      <VariantWarnings
        warnings={warnings}
        action={
          variant !== "float32" && (
            <Button size="xs" onClick={() => setVariant("float32")}>
              Use the float32 model
            </Button>
          )
        }
      />
      {training?.metrics && <VariantTable training={training} test={test} />}
      <BoardEstimates projectId={p.id} impulseId={impulse.id} boardId={boardId} onBoardChange={setBoardId} />
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Build
        </Title>
        <Radio.Group value={target} onChange={setTarget} label="Target">
          <Stack gap="xs" mt="xs">
            {TARGETS.map((t) => (
              <Radio
                key={t.value}
                value={t.value}
                label={t.label}
                description={unavailable[t.value] ? `Not available here: ${unavailable[t.value]}` : t.help}
                disabled={!!unavailable[t.value]}
              />
            ))}
          </Stack>
        </Radio.Group>
        <Text size="sm" fw={500} mt="md" mb={4}>
          Network
        </Text>
        <SegmentedControl
          value={variant}
          onChange={setVariant}
          aria-label="Network precision"
          data={[
            { value: "int8", label: "int8 (smaller, faster)" },
            { value: "float32", label: "float32 (exact)" },
          ]}
        />
        <Group mt="md">
          {p.canEdit && (
            <Button onClick={() => build.mutate()} loading={build.isPending}>
              Build
            </Button>
          )}
          <Text size="xs" c="dimmed">
            Its estimates are given for the board chosen above too.
          </Text>
        </Group>
        {build.isError && (
          <Alert color="red" mt="sm">
            {errorText(build.error)}
          </Alert>
        )}
      </Card>
      {live && live.status !== "succeeded" && <JobProgress projectId={p.id} job={live} title="Building" />}
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Builds
        </Title>
        {history.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            No builds yet: choose a target above and press Build.
          </Text>
        )}
        {!!history.data?.length && (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Builds" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Latency</Table.Th>
                  <Table.Th>Flash</Table.Th>
                  <Table.Th>RAM</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.map((d) => (
                  <Table.Tr key={d.id} data-testid="build-row">
                    <Table.Td>{d.build_number}</Table.Td>
                    <Table.Td>
                      {TARGETS.find((t) => t.value === d.target)?.label ?? d.target} · {d.variant}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={d.status === "succeeded" ? "teal" : d.status === "failed" ? "red" : "blue"}
                      >
                        {d.status}
                      </Badge>
                      {d.error && (
                        <Text size="xs" c="red">
                          {d.error}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {d.estimates?.total ? `${d.estimates.total.latency_ms} ms` : "–"}
                      {d.estimates?.board && <BuildOnBoard board={d.estimates.board} />}
                    </Table.Td>
                    <Table.Td>{kb(d.estimates?.total?.flash_bytes)}</Table.Td>
                    <Table.Td>{kb(d.estimates?.total?.ram_bytes)}</Table.Td>
                    <Table.Td>{kb(d.artifact?.size)}</Table.Td>
                    <Table.Td>
                      {d.download_url && (
                        <Button size="compact-sm" component="a" href={d.download_url} download>
                          Download
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {history.data?.[0]?.estimates?.device && (
          <Text size="xs" c="dimmed" mt="xs">
            Estimates for {history.data[0].estimates.device}.
          </Text>
        )}
      </Card>
    </Stack>
  );
}

export function DeploymentPage() {
  return (
    <StagePage
      title="Deployment"
      empty=""
      description="Build an Arduino library, a C++ library or a TFLite file, int8 or float32, and download it. Earlier builds stay here with their estimates."
    >
      <Deploy />
    </StagePage>
  );
}
