import { Button, Center, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router";
import { api, call, errorText } from "../client/api";
import { ErrorState, Loading } from "../components/ui/States";

export function InvitationPage() {
  const { token = "" } = useParams();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const inv = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => call(api.GET("/api/invitations/{token}", { params: { path: { token } } })),
  });
  const accept = useMutation({
    mutationFn: () => call(api.POST("/api/invitations/{token}/accept", { params: { path: { token } } })),
    onSuccess: (p) => {
      qc.invalidateQueries();
      navigate(`/projects/${(p as { id: number }).id}`);
    },
  });
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder p="xl" maw={460} w="100%">
        {inv.isPending && <Loading />}
        {inv.isError && <ErrorState error={inv.error} />}
        {inv.data && (
          <Stack>
            <Title order={2}>Join {inv.data.project_name ?? "the project"}</Title>
            <Text>
              You are invited as <b>{inv.data.role}</b>.
            </Text>
            {accept.isError && (
              <Text c="red" role="alert">
                {errorText(accept.error)}
              </Text>
            )}
            <Button onClick={() => accept.mutate()} loading={accept.isPending}>
              Accept invitation
            </Button>
          </Stack>
        )}
      </Paper>
    </Center>
  );
}
