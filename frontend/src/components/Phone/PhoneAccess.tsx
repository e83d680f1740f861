import { Alert, Code, List, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../client/api";

export type PageAddress = { protocol: string; hostname: string; port: string; origin: string };

/** Only this computer reaches these names; a phone that scans them opens its own loopback. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127\./.test(hostname);
}

export function useNetwork() {
  return useQuery({ queryKey: ["network"], queryFn: () => call(api.GET("/api/system/network")), staleTime: Infinity });
}

/** The origin a phone should open: PUBLIC_URL, else a LAN address in place of loopback (HTTPS only,
 *  since plain `serve` listens on loopback alone), else this page's own origin. */
export function phoneOrigin(page: PageAddress, lan: string[], publicUrl: string | null | undefined): string {
  if (publicUrl) return publicUrl;
  if (isLoopback(page.hostname) && page.protocol === "https:" && lan.length > 0) {
    return `https://${lan[0]}${page.port ? `:${page.port}` : ""}`;
  }
  return page.origin;
}

/** Why a phone may not reach this studio or its sensors, and how to fix it (`serve --https`). */
export function PhoneAccessWarning({ page, lan }: { page: PageAddress; lan: string[] }) {
  const loopback = isLoopback(page.hostname);
  const https = page.protocol === "https:";
  if (https && !loopback) return null;
  const port = page.port || (https ? "443" : "80");
  const addresses = lan.map((ip) => `https://${ip}:${port}`);
  if (https && loopback) {
    return addresses.length > 0 ? (
      <Alert color="blue" title="The code uses your network address" data-testid="phone-access">
        This page is open at {page.hostname}, which only this computer reaches, so the link points at {addresses[0]}{" "}
        instead. The phone must be on the same network.
      </Alert>
    ) : (
      <Alert color="yellow" title="Your phone cannot open this address" data-testid="phone-access">
        This page is open at {page.hostname}, which only this computer reaches, and this server has no network address.
      </Alert>
    );
  }
  return (
    <Alert
      color="yellow"
      title={loopback ? "Your phone cannot open this address" : "Phones need HTTPS"}
      data-testid="phone-access"
    >
      <Text size="sm">
        {loopback
          ? `This studio is open at ${page.hostname}, which only this computer reaches, and over plain HTTP. `
          : "This studio is open over plain HTTP. "}
        Phones give a page motion sensors and the microphone only over HTTPS.
      </Text>
      <Text size="sm" mt="xs">
        Restart the server with <Code>tinyforge serve --https</Code>: it listens on your network with a self-signed
        certificate and prints the address and the certificate's fingerprint. Open the studio at that address, then
        connect the phone again.
      </Text>
      {addresses.length > 0 ? (
        <>
          <Text size="sm" mt="xs">
            This server's network {addresses.length > 1 ? "addresses" : "address"} (the phone must be on the same
            Wi-Fi):
          </Text>
          <List size="sm" aria-label="Network addresses">
            {addresses.map((a) => (
              <List.Item key={a}>
                <Code>{a}</Code>
              </List.Item>
            ))}
          </List>
        </>
      ) : (
        <Text size="sm" mt="xs">
          This server has no network address a phone could reach; connect it to the same network as the phone.
        </Text>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        Behind an HTTPS reverse proxy instead, set <Code>PUBLIC_URL</Code> and the code will use it.
      </Text>
    </Alert>
  );
}
