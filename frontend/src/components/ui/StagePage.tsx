import { Button, Stack } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { useProject } from "../../hooks/useProject";
import { PageHeader } from "./PageHeader";
import { EmptyState } from "./States";

/** A pipeline stage's page: says what comes first when the project is not ready for it yet. */
export function StagePage({
  title,
  description,
  empty,
  next,
  children,
}: {
  title: string;
  description: string;
  empty: string;
  next?: { to: string; label: string };
  children?: ReactNode;
}) {
  const p = useProject();
  return (
    <Stack>
      <PageHeader title={title} description={description} />
      {children ?? (
        <EmptyState
          title={empty}
          action={
            next && (
              <Button component={Link} to={`/projects/${p.id}/${next.to}`}>
                {next.label}
              </Button>
            )
          }
        />
      )}
    </Stack>
  );
}
