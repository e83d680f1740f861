import { AppShell, Badge, Button, Card, Container, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { IconDownload, IconEye } from "@tabler/icons-react";
import { useParams } from "react-router";
import { api, call, type Schemas } from "../client/api";
import { PublicSamples } from "../components/Versions/PublicSamples";
import { kb, ms, pct } from "../components/Versions/format";
import { Brand } from "../components/ui/Brand";
import { ErrorState, Loading } from "../components/ui/States";

type Impulse = Schemas["VersionImpulse"];
type Total = { ram_bytes?: number; flash_bytes?: number; latency_ms?: number };

function ImpulseCard({ token, impulse }: { token: string; impulse: Impulse }) {
  const metrics = (impulse.training?.metrics ?? {}) as Record<string, { accuracy?: number }>;
  const estimates = (impulse.training?.estimates ?? {}) as Record<string, { total?: Total }>;
  return (
    <Card withBorder data-testid="public-impulse">
      <Title order={3} size="h5" mb="xs">
        {impulse.name}{" "}
        <Text span c="dimmed" size="sm">
          v{impulse.version}
        </Text>
      </Title>
      {!impulse.training && (
        <Text size="sm" c="dimmed">
          Not trained in this version.
        </Text>
      )}
      {impulse.training && (
        <Table fz="sm" aria-label={`Model of ${impulse.name}`} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Model</Table.Th>
              <Table.Th>Accuracy</Table.Th>
              <Table.Th>RAM</Table.Th>
              <Table.Th>Flash</Table.Th>
              <Table.Th>Latency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {["int8", "float32"].map((variant) => (
              <Table.Tr key={variant}>
                <Table.Td>{variant}</Table.Td>
                <Table.Td>{pct(metrics[variant]?.accuracy)}</Table.Td>
                <Table.Td>{kb(estimates[variant]?.total?.ram_bytes)}</Table.Td>
                <Table.Td>{kb(estimates[variant]?.total?.flash_bytes)}</Table.Td>
                <Table.Td>{ms(estimates[variant]?.total?.latency_ms)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {impulse.deployments.length > 0 && (
        <Group mt="sm" gap="xs">
          {impulse.deployments.map((d) =>
            d.artifact ? (
              <Button
                key={d.id}
                size="compact-sm"
                variant="light"
                component="a"
                href={`/api/public/versions/${token}/deployments/${d.id}/download`}
                download
                leftSection={<IconDownload size={14} />}
              >
                Build {d.build_number}: {d.target} · {d.variant}
              </Button>
            ) : (
              <Badge key={d.id} variant="outline" color="gray">
                Build {d.build_number}: {d.target} · {d.variant} (no library)
              </Badge>
            ),
          )}
        </Group>
      )}
    </Card>
  );
}

/** A version shared by its public link: read-only, no sign-in. */
export function PublicVersionPage() {
  const token = useParams().token ?? "";
  const version = useQuery({
    queryKey: ["public-version", token],
    queryFn: () => call(api.GET("/api/public/versions/{token}", { params: { path: { token } } })),
  });
  const v = version.data;
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Brand />
          <Badge leftSection={<IconEye size={12} />} variant="light">
            read-only
          </Badge>
        </Group>
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        <Container size="lg">
          {version.isPending && <Loading />}
          {version.isError && <ErrorState error={version.error} />}
          {v && (
            <Stack>
              <Stack gap={2}>
                <Title order={1} size="h2">
                  {v.project_name} · {v.name}
                </Title>
                {v.description && <Text>{v.description}</Text>}
                <Text size="sm" c="dimmed">
                  Saved {new Date(v.created_at).toLocaleString()} · {v.samples} samples
                </Text>
              </Stack>
              <Card withBorder>
                <Title order={2} size="h4" mb="sm">
                  Data
                </Title>
                <Table fz="sm" aria-label="Samples per category and label" withTableBorder maw={520}>
                  <Table.Tbody>
                    {Object.entries(v.sample_counts).flatMap(([category, labels]) =>
                      Object.entries(labels).map(([label, n]) => (
                        <Table.Tr key={`${category}/${label}`}>
                          <Table.Td>{category}</Table.Td>
                          <Table.Td>{label || "unlabeled"}</Table.Td>
                          <Table.Td>{n}</Table.Td>
                        </Table.Tr>
                      )),
                    )}
                  </Table.Tbody>
                </Table>
              </Card>
              <Title order={2} size="h4">
                Impulses
              </Title>
              {v.impulse_details.length === 0 && <Text c="dimmed">This version has no impulse.</Text>}
              {v.impulse_details.map((i) => (
                <ImpulseCard key={i.id} token={token} impulse={i} />
              ))}
              <PublicSamples token={token} />
            </Stack>
          )}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
