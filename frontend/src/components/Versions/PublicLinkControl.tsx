import { ActionIcon, Anchor, Button, CopyButton, Group, Stack, Switch, Text, Tooltip } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useState } from "react";
import { api, call, errorText } from "../../client/api";
import type { VersionSummary } from "./format";

/** On/off switch of a version's read-only public link. The token is shown only right after it is
 * made (the server keeps its hash); turning the link on again makes a new one. */
export function PublicLinkControl({
  projectId,
  version,
  canEdit,
}: {
  projectId: number;
  version: VersionSummary;
  canEdit: boolean;
}) {
  const qc = useQueryClient();
  const [token, setToken] = useState<string | null>(null);
  const path = { project_id: projectId, version_id: version.id };
  const on = !!version.public_since;
  const toggle = useMutation({
    mutationFn: async (enable: boolean) => {
      if (enable) {
        const link = await call(
          api.POST("/api/projects/{project_id}/versions/{version_id}/public-link", { params: { path } }),
        );
        setToken(link.token);
      } else {
        await call(api.DELETE("/api/projects/{project_id}/versions/{version_id}/public-link", { params: { path } }));
        setToken(null);
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["versions", projectId] }),
  });
  const url = token ? `${window.location.origin}/public/versions/${token}` : null;
  return (
    <Stack gap={4}>
      <Switch
        checked={on}
        disabled={!canEdit || toggle.isPending}
        onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        label={on ? "Public" : "Private"}
        aria-label={`Public link of ${version.name}`}
      />
      {on && url && (
        <Group gap={4} wrap="nowrap">
          <Anchor href={url} target="_blank" rel="noreferrer" size="xs" data-testid="public-link" maw={180} truncate>
            {url}
          </Anchor>
          <CopyButton value={url}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? "Copied" : "Copy the link"}>
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  onClick={copy}
                  aria-label={`Copy the public link of ${version.name}`}
                >
                  {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      )}
      {on && !url && canEdit && (
        <Button size="compact-xs" variant="subtle" onClick={() => toggle.mutate(true)}>
          New link (the old one stops working)
        </Button>
      )}
      {toggle.isError && (
        <Text size="xs" c="red">
          {errorText(toggle.error)}
        </Text>
      )}
    </Stack>
  );
}
