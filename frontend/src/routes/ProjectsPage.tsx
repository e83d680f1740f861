import {
  AppShell,
  Badge,
  Button,
  Card,
  Container,
  Divider,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { SampleProjectButton } from "../components/Dashboard/SampleProjectButton";
import { api, call, errorText } from "../client/api";
import { EmptyState, ErrorState, Loading } from "../components/ui/States";
import { TopBar } from "../components/ui/TopBar";
import { PendingInvitations } from "../components/Dashboard/PendingInvitations";
import { ImportProject } from "../components/Versions/ImportProject";

function CreateProject() {
  const [name, setName] = useState("");
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/projects", { body: { name } })),
    onSuccess: (p) => {
      qc.invalidateQueries({ queryKey: ["projects"] });
      navigate(`/projects/${p.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Create a project">
      <Group align="flex-end">
        <TextInput
          label="New project name"
          placeholder="Gesture detector"
          value={name}
          required
          onChange={(e) => setName(e.currentTarget.value)}
          error={create.isError ? errorText(create.error) : undefined}
          style={{ flex: 1, minWidth: 220 }}
        />
        <Button type="submit" loading={create.isPending}>
          Create project
        </Button>
        <SampleProjectButton />
      </Group>
    </form>
  );
}

export function ProjectsPage() {
  const projects = useQuery({ queryKey: ["projects"], queryFn: () => call(api.GET("/api/projects")) });
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <TopBar />
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        <Container size="lg">
          <Stack gap="lg">
            <Title order={1}>Your projects</Title>
            <PendingInvitations />
            <Card withBorder>
              <CreateProject />
              <Divider my="md" />
              <ImportProject />
            </Card>
            {projects.isPending && <Loading />}
            {projects.isError && <ErrorState error={projects.error} onRetry={() => projects.refetch()} />}
            {projects.data?.length === 0 && (
              <EmptyState title="No projects yet">
                Create your first project above: give it a name, then collect data from a phone or a board.
              </EmptyState>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {projects.data?.map((p) => (
                <Card key={p.id} withBorder component={Link} to={`/projects/${p.id}`}>
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={600} truncate>
                      <VisuallyHidden>Open </VisuallyHidden>
                      {p.name}
                    </Text>
                    <Badge variant="light">{p.role}</Badge>
                  </Group>
                  <Text size="sm" c="dimmed" mt="xs">
                    {p.member_count} member{p.member_count === 1 ? "" : "s"} · created{" "}
                    {new Date(p.created_at).toLocaleDateString()}
                  </Text>
                </Card>
              ))}
            </SimpleGrid>
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
