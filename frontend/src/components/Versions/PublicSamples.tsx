import { Badge, Button, Card, Group, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../client/api";
import { SignalChart } from "../Charts/SignalChart";
import { ErrorState, Loading } from "../ui/States";

/** The shared version's samples (as it saw them) and the values of the one picked. */
export function PublicSamples({ token }: { token: string }) {
  const [picked, setPicked] = useState<number | null>(null);
  const pages = useInfiniteQuery({
    queryKey: ["public-samples", token],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/public/versions/{token}/samples", {
          params: { path: { token }, query: { limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const values = useQuery({
    queryKey: ["public-sample", token, picked],
    enabled: picked !== null,
    queryFn: () =>
      call(
        api.GET("/api/public/versions/{token}/samples/{sample_id}", {
          params: { path: { token, sample_id: picked! } },
        }),
      ),
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Samples
      </Title>
      {values.data && (
        <Card withBorder mb="md" data-testid="public-sample-values">
          <Text size="sm" fw={600} mb="xs">
            {values.data.name} · {values.data.label || "unlabeled"} · {values.data.category}
          </Text>
          <SignalChart
            times={values.data.timestamps_ms}
            values={values.data.values}
            names={values.data.sensors.map((s) => s.name)}
            height={200}
          />
        </Card>
      )}
      {values.isError && <ErrorState error={values.error} />}
      {pages.isPending && <Loading />}
      {pages.isError && <ErrorState error={pages.error} />}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={520}>
          <Table aria-label="Samples of this version" fz="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Label</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th>Length</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id} data-testid="public-sample-row">
                  <Table.Td>{s.name}</Table.Td>
                  <Table.Td>
                    {s.label || (
                      <Text span c="dimmed">
                        unlabeled
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {s.category}
                      {!s.enabled && (
                        <Badge size="xs" color="gray">
                          disabled
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{s.length_ms !== null ? `${(s.length_ms / 1000).toFixed(1)} s` : "–"}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" onClick={() => setPicked(s.id)}>
                      Show values
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages.hasNextPage && (
        <Button variant="light" mt="sm" onClick={() => pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
          More samples
        </Button>
      )}
    </Card>
  );
}
