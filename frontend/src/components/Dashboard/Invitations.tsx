import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconX } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { api, call, errorText } from "../../client/api";
import { useProject } from "../../hooks/useProject";

export function Invitations() {
  const p = useProject();
  const qc = useQueryClient();
  const path = { project_id: p.id };
  const [who, setWho] = useState("");
  const [role, setRole] = useState<"viewer" | "editor" | "admin">("editor");
  const [link, setLink] = useState<{ url: string; byEmail: boolean } | null>(null);
  const list = useQuery({
    queryKey: ["invitations", p.id],
    queryFn: () => call(api.GET("/api/projects/{project_id}/invitations", { params: { path } })),
  });
  const invite = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/projects/{project_id}/invitations", {
          params: { path },
          body: who.includes("@") ? { email: who, role } : { username: who, role },
        }),
      ),
    onMutate: () => setLink(null),
    onSuccess: (inv) => {
      setLink({
        url: new URL(`/invitations/${inv.token}`, window.location.origin).toString(),
        byEmail: inv.invitee_email !== null,
      });
      setWho("");
      qc.invalidateQueries({ queryKey: ["invitations", p.id] });
    },
  });
  const revoke = useMutation({
    mutationFn: (invitation_id: number) =>
      call(
        api.DELETE("/api/projects/{project_id}/invitations/{invitation_id}", {
          params: { path: { ...path, invitation_id } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["invitations", p.id] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  const pending = list.data?.filter((i) => i.status === "pending") ?? [];
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Invite people
      </Title>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label="Username or email"
            value={who}
            onChange={(e) => setWho(e.currentTarget.value)}
            required
            style={{ flex: 1, minWidth: 180 }}
          />
          <Select
            label="Role"
            w={120}
            data={["viewer", "editor", "admin"]}
            value={role}
            allowDeselect={false}
            onChange={(r) => r && setRole(r as typeof role)}
          />
          <Button type="submit" loading={invite.isPending}>
            Invite
          </Button>
        </Group>
      </form>
      {invite.isError && (
        <Text c="red" size="sm" mt="xs" role="alert">
          {errorText(invite.error)}
        </Text>
      )}
      {link && (
        <Alert mt="sm" title="Invitation created" withCloseButton onClose={() => setLink(null)}>
          <Stack gap={4}>
            <Text size="sm">
              {link.byEmail
                ? "Send them this link (shown once): only the link lets them join, e-mail addresses are not verified."
                : "They see it on their projects page when they sign in, or send them this link (shown once):"}
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Code style={{ overflowWrap: "anywhere" }}>{link.url}</Code>
              <CopyButton value={link.url}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? "Copied" : "Copy"}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
      {pending.length > 0 && (
        <Table mt="sm" aria-label="Pending invitations">
          <Table.Tbody>
            {pending.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.invitee_username ?? i.invitee_email}</Table.Td>
                <Table.Td>{i.role}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    expires {new Date(i.expires_at).toLocaleDateString()}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label="Revoke invitation"
                    onClick={() => revoke.mutate(i.id)}
                  >
                    <IconX size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
