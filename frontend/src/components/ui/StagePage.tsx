import { Button, Stack } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { hasRoute, useApiPaths } from "../../client/openapi";
import { useProject } from "../../hooks/useProject";
import { PageHeader } from "./PageHeader";
import { EmptyState, Loading, NotAvailable } from "./States";

/** A pipeline stage's page: says what comes first when the project is not ready for it yet. */
export function StagePage({ title, description, route, empty, next, children }: {
  title: string; description: string; route: string; empty: string; next?: { to: string; label: string }; children?: ReactNode;
}) {
  const p = useProject();
  const paths = useApiPaths();
  if (paths.isPending) return <Loading />;
  const available = hasRoute(paths.data, route);
  return (
    <Stack>
      <PageHeader title={title} description={description} />
      {!available ? <NotAvailable feature={title} /> : children ?? (
        <EmptyState title={empty} action={next && <Button component={Link} to={`/projects/${p.id}/${next.to}`}>{next.label}</Button>} />
      )}
    </Stack>
  );
}
