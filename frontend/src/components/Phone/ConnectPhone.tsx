import { Alert, Anchor, Button, Code, CopyButton, Group, Image, Loader, Modal, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { api, call, errorText } from "../../client/api";
import { useProject } from "../../hooks/useProject";

/** The mobile page's link for this project: an ingestion key in the URL, like EI's mobile client. */
export function phoneLink(origin: string, apiKey: string): string {
  const url = new URL("/phone", origin);
  url.searchParams.set("apiKey", apiKey);
  return url.toString();
}

export function ConnectPhone({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const p = useProject();
  const [link, setLink] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const makeKey = useMutation({
    mutationFn: () => call(api.POST("/api/projects/{project_id}/apikeys",
      { params: { path: { project_id: p.id } }, body: { name: `phone ${new Date().toLocaleString()}`, role: "ingestiononly" } })),
    onSuccess: async (k) => {
      const url = phoneLink(window.location.origin, k.key);
      setLink(url);
      setQr(await QRCode.toDataURL(url, { margin: 1, width: 240 }));
    },
  });
  useEffect(() => {
    if (opened && !link && p.isAdmin && !makeKey.isPending) makeKey.mutate();
  }, [opened]); // eslint-disable-line react-hooks/exhaustive-deps
  const insecure = window.location.protocol !== "https:" && !["localhost", "127.0.0.1"].includes(window.location.hostname);
  return (
    <Modal opened={opened} onClose={onClose} title="Connect a phone" centered>
      {!p.isAdmin ? (
        <Alert color="yellow">Connecting a phone creates an API key for it, which only admins can do. Ask an admin of this project.</Alert>
      ) : (
        <Stack align="center">
          {makeKey.isPending && <Loader aria-label="Creating a key for the phone" />}
          {makeKey.isError && <Alert color="red">{errorText(makeKey.error)}</Alert>}
          {qr && <Image src={qr} alt="QR code with the phone link" w={240} h={240} />}
          {link && (
            <>
              <Text size="sm" ta="center">Scan the code with your phone's camera, or open this link on the phone:</Text>
              <Group gap="xs" wrap="nowrap" maw="100%">
                <Code style={{ overflowWrap: "anywhere" }} data-testid="phone-link">{link}</Code>
                <CopyButton value={link}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? "Copied" : "Copy"}</Button>}</CopyButton>
              </Group>
              <Anchor href={link} target="_blank" size="sm">Open the phone page here</Anchor>
            </>
          )}
          {insecure && (
            <Alert color="yellow" title="Phones need HTTPS">
              Motion sensors and the microphone only work on a secure page. Start the server with <Code>tinyforge serve --https</Code> and
              open the studio at the LAN address it prints, or put it behind an HTTPS reverse proxy.
            </Alert>
          )}
        </Stack>
      )}
    </Modal>
  );
}
