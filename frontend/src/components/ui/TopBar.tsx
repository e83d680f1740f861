import { Button, Group, Menu, Text, UnstyledButton, Avatar } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { api } from "../../client/api";
import { useMe } from "../../hooks/useMe";
import { Brand } from "./Brand";

export function TopBar({ children }: { children?: React.ReactNode }) {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = async () => {
    await api.POST("/api/auth/logout");
    qc.clear();
    navigate("/login");
  };
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="md" wrap="nowrap">
        {children}
        <UnstyledButton component={Link} to="/" title="All projects">
          <Brand />
        </UnstyledButton>
      </Group>
      {me.data && (
        <Menu position="bottom-end">
          <Menu.Target>
            <Button
              variant="subtle"
              color="gray"
              leftSection={
                <Avatar size="sm" color="teal">
                  {me.data.username[0]?.toUpperCase()}
                </Avatar>
              }
            >
              <Text size="sm" visibleFrom="xs">
                {me.data.username}
              </Text>
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item component={Link} to="/">
              Projects
            </Menu.Item>
            <Menu.Item onClick={logout}>Log out</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}
