import { Avatar, Text, Tooltip } from "@mantine/core";
import { usePresence } from "../../hooks/usePresence";

/** Who else has this project open right now. */
export function OnlineMembers({ projectId }: { projectId: number }) {
  const online = usePresence(projectId);
  const people = online.data ?? [];
  return (
    <div role="group" aria-label="Online now">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        Online now ({people.length})
      </Text>
      <Avatar.Group>
        {people.slice(0, 6).map((p) => (
          <Tooltip key={p.user_id} label={p.username}>
            <Avatar color="teal" radius="xl" size="sm" aria-label={p.username}>
              {p.username[0]?.toUpperCase()}
            </Avatar>
          </Tooltip>
        ))}
        {people.length > 6 && (
          <Avatar size="sm" radius="xl">
            +{people.length - 6}
          </Avatar>
        )}
      </Avatar.Group>
    </div>
  );
}
