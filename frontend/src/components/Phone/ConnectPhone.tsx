import { Alert, Anchor, Button, Code, CopyButton, Group, Image, Loader, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { api, call, errorText } from "../../client/api";
import { useProject } from "../../hooks/useProject";
import { PhoneAccessWarning, phoneOrigin, useNetwork } from "./PhoneAccess";

/** The mobile page's link for this project: an ingestion key in the URL, like EI's mobile client. */
export function phoneLink(origin: string, apiKey: string): string {
  const url = new URL("/phone", origin);
  url.searchParams.set("apiKey", apiKey);
  return url.toString();
}

export function ConnectPhone({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const p = useProject();
  const qc = useQueryClient();
  const network = useNetwork();
  const [qr, setQr] = useState<string | null>(null);
  // Your own phone key, the same on every visit (revoking it under API keys makes the next one new).
  const phoneKey = useMutation({
    mutationFn: () =>
      call(api.POST("/api/projects/{project_id}/apikeys/phone", { params: { path: { project_id: p.id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["apikeys", p.id] }),
  });
  useEffect(() => {
    if (opened && p.isAdmin && !phoneKey.isPending) phoneKey.mutate();
  }, [opened]); // eslint-disable-line react-hooks/exhaustive-deps
  const page = window.location;
  // Without the server's addresses (an older server) the link falls back to this page's origin.
  const net = network.data ?? (network.isError ? { lan_addresses: [], public_url: null } : null);
  const lan = net?.lan_addresses ?? [];
  const link = phoneKey.data && net ? phoneLink(phoneOrigin(page, lan, net.public_url), phoneKey.data.key) : null;
  useEffect(() => {
    setQr(null);
    if (link) QRCode.toDataURL(link, { margin: 1, width: 240 }).then(setQr);
  }, [link]);
  return (
    <Modal opened={opened} onClose={onClose} title="Connect a phone" centered size="lg">
      {!p.isAdmin ? (
        <Alert color="yellow">
          Connecting a phone creates an API key for it, which only admins can do. Ask an admin of this project.
        </Alert>
      ) : (
        <Stack align="center">
          {net && <PhoneAccessWarning page={page} lan={lan} />}
          {(phoneKey.isPending || network.isPending) && <Loader aria-label="Preparing the phone link" />}
          {phoneKey.isError && <Alert color="red">{errorText(phoneKey.error)}</Alert>}
          {qr && <Image src={qr} alt="QR code with the phone link" w={240} h={240} />}
          {link && phoneKey.data && (
            <>
              <Text size="sm" ta="center">
                Scan the code with your phone's camera, or open this link on the phone:
              </Text>
              <Group gap="xs" wrap="nowrap" maw="100%">
                <Code style={{ overflowWrap: "anywhere" }} data-testid="phone-link">
                  {link}
                </Code>
                <CopyButton value={link}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="light" onClick={copy}>
                      {copied ? "Copied" : "Copy"}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Anchor href={link} target="_blank" size="sm">
                Open the phone page here
              </Anchor>
              <Text size="xs" c="dimmed" ta="center" data-testid="phone-key-note">
                The link holds your phone key “{phoneKey.data.name}” ({phoneKey.data.prefix}…), which can only upload
                data. It stays the same each time; revoke it under Dashboard → API keys and the next visit makes a new
                one.
              </Text>
            </>
          )}
        </Stack>
      )}
    </Modal>
  );
}
