import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api, call, errorText } from "../../client/api";

/** Invitations addressed to me, with an Accept button each. */
export function PendingInvitations() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const invitations = useQuery({ queryKey: ["my-invitations"], queryFn: () => call(api.GET("/api/invitations")) });
  const accept = useMutation({
    mutationFn: (id: number) =>
      call(api.POST("/api/invitations/pending/{invitation_id}/accept", { params: { path: { invitation_id: id } } })),
    onSuccess: (p) => {
      qc.invalidateQueries();
      navigate(`/projects/${(p as { id: number }).id}`);
    },
  });
  const pending = invitations.data?.filter((i) => i.status === "pending") ?? [];
  if (!pending.length) return null;
  return (
    <Alert title="You are invited" color="teal">
      <Stack gap="xs">
        {pending.map((inv) => (
          <Group key={inv.id} justify="space-between">
            <Text size="sm">
              Join <b>{inv.project_name ?? `project ${inv.project_id}`}</b> as {inv.role}
            </Text>
            <Button size="xs" onClick={() => accept.mutate(inv.id)} loading={accept.isPending}>
              Accept
            </Button>
          </Group>
        ))}
        {accept.isError && (
          <Text c="red" size="sm">
            {errorText(accept.error)}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
