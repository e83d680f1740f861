import { Button, Card, Code, CopyButton, Group, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../client/api";
import { useProject } from "../../hooks/useProject";

export function HmacKey() {
  const p = useProject();
  const qc = useQueryClient();
  const [visible, setVisible] = useState(false);
  const path = { project_id: p.id };
  const key = useQuery({
    queryKey: ["hmac", p.id],
    enabled: visible,
    queryFn: () => call(api.GET("/api/projects/{project_id}/hmac-key", { params: { path } })),
  });
  const rotate = useMutation({
    mutationFn: () => call(api.POST("/api/projects/{project_id}/hmac-key/rotate", { params: { path } })),
    onSuccess: (k) => {
      qc.setQueryData(["hmac", p.id], k);
      setVisible(true);
    },
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb={4}>
        HMAC key
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Devices sign their data files with it (HMAC-SHA256); unsigned or badly signed files are flagged.
      </Text>
      <Group gap="xs">
        {visible && key.data ? (
          <>
            <Code data-testid="hmac-key">{key.data.hmac_key}</Code>
            <CopyButton value={key.data.hmac_key}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? "Copied" : "Copy"}
                </Button>
              )}
            </CopyButton>
          </>
        ) : (
          <Button size="xs" variant="light" onClick={() => setVisible(true)}>
            Show HMAC key
          </Button>
        )}
        {p.isAdmin && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            loading={rotate.isPending}
            onClick={() =>
              confirm("Rotate the HMAC key? Devices signing with the old key will be flagged.") && rotate.mutate()
            }
          >
            Rotate
          </Button>
        )}
      </Group>
    </Card>
  );
}
