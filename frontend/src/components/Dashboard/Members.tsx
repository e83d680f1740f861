import { ActionIcon, Badge, Card, Select, Table, Text, Title, Tooltip } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { IconUserMinus } from "@tabler/icons-react";
import { api, call, errorText } from "../../client/api";
import { useProject } from "../../hooks/useProject";
import { useMe } from "../../hooks/useMe";

const ROLES = ["viewer", "editor", "admin"];

export function Members() {
  const p = useProject();
  const me = useMe();
  const qc = useQueryClient();
  const path = { project_id: p.id };
  const members = useQuery({
    queryKey: ["members", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/members", { params: { path } })),
  });
  const done = {
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members", p.id] }),
    onError: (e: unknown) => notifications.show({ color: "red", message: errorText(e) }),
  };
  const change = useMutation({
    ...done,
    mutationFn: ({ user_id, role }: { user_id: number; role: "viewer" | "editor" | "admin" }) =>
      call(
        api.PATCH("/api/projects/{project_id}/members/{user_id}", {
          params: { path: { ...path, user_id } },
          body: { role },
        }),
      ),
  });
  const remove = useMutation({
    ...done,
    mutationFn: (user_id: number) =>
      call(api.DELETE("/api/projects/{project_id}/members/{user_id}", { params: { path: { ...path, user_id } } })),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Members and roles
      </Title>
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing="xs" aria-label="Members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Member</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.data?.map((m) => {
              const editable = p.isAdmin && m.role !== "owner" && m.user_id !== me.data?.id;
              return (
                <Table.Tr key={m.user_id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.username}
                    </Text>
                    {m.email && (
                      <Text size="xs" c="dimmed">
                        {m.email}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {editable ? (
                      <Select
                        size="xs"
                        w={120}
                        data={ROLES}
                        value={m.role}
                        aria-label={`Role of ${m.username}`}
                        allowDeselect={false}
                        onChange={(role) => role && change.mutate({ user_id: m.user_id, role: role as "viewer" })}
                      />
                    ) : (
                      <Badge variant="light">{m.role}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {editable && (
                      <Tooltip label={`Remove ${m.username}`}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${m.username}`}
                          onClick={() => confirm(`Remove ${m.username} from the project?`) && remove.mutate(m.user_id)}
                        >
                          <IconUserMinus size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
