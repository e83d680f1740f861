import { Button, Center, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <Center mih="100vh">
      <Stack align="center">
        <Title>Page not found</Title>
        <Text c="dimmed">This address does not match any page of the studio.</Text>
        <Button component={Link} to="/">
          Go to your projects
        </Button>
      </Stack>
    </Center>
  );
}
