import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import {
  IconBrain,
  IconChartDots,
  IconChartScatter,
  IconDatabase,
  IconDeviceMobile,
  IconFlask,
  IconHistory,
  IconHome,
  IconPackageExport,
  IconPlayerPlay,
  IconSettings,
  IconAdjustmentsHorizontal,
  IconUsb,
} from "@tabler/icons-react";
import { Link, Outlet, useLocation, useParams } from "react-router";
import { api, call } from "../../client/api";
import { ProjectContext, withRights } from "../../hooks/useProject";
import { useProjectEvents } from "../../hooks/useProjectEvents";
import { ErrorState, Loading } from "../ui/States";
import { TopBar } from "../ui/TopBar";
import { OnlineMembers } from "./OnlineMembers";

const SECTIONS = [
  { to: "", label: "Dashboard", icon: IconHome },
  { to: "devices", label: "Devices", icon: IconDeviceMobile },
  { to: "data", label: "Data acquisition", icon: IconDatabase },
  { to: "serial", label: "Board over USB", icon: IconUsb },
  { to: "impulse", label: "Impulse design", icon: IconSettings },
  { to: "features", label: "Processing block", icon: IconChartDots },
  { to: "explorer", label: "Data explorer", icon: IconChartScatter },
  { to: "training", label: "Training", icon: IconBrain },
  { to: "testing", label: "Model testing", icon: IconFlask },
  { to: "classify", label: "Live classification", icon: IconPlayerPlay },
  { to: "deployment", label: "Deployment", icon: IconPackageExport },
  { to: "versions", label: "Versions", icon: IconHistory },
  { to: "tuner", label: "Tuner", icon: IconAdjustmentsHorizontal },
];

export function ProjectLayout() {
  const projectId = Number(useParams().projectId);
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const project = useQuery({
    queryKey: ["project", projectId],
    queryFn: () => call(api.GET("/api/projects/{project_id}", { params: { path: { project_id: projectId } } })),
    enabled: Number.isFinite(projectId),
  });
  const live = useProjectEvents(projectId);
  const base = `/projects/${projectId}`;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <TopBar>
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
        </TopBar>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Project sections">
        <AppShell.Section p="xs">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Project
          </Text>
          <Title order={4} lineClamp={2}>
            {project.data?.name ?? "…"}
          </Title>
          <Group gap={6} mt={4}>
            {project.data && (
              <Badge size="sm" variant="light">
                {project.data.role}
              </Badge>
            )}
            <Badge size="sm" variant="dot" color={live ? "teal" : "gray"}>
              {live ? "live" : "offline"}
            </Badge>
          </Group>
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea}>
          {SECTIONS.map(({ to, label, icon: Icon }) => {
            const href = to ? `${base}/${to}` : base;
            return (
              <NavLink
                key={to}
                component={Link}
                to={href}
                label={label}
                onClick={close}
                leftSection={<Icon size={18} />}
                // a section's own sub-pages (e.g. a processing block of the impulse) keep it highlighted
                active={location.pathname === href || (to !== "" && location.pathname.startsWith(`${href}/`))}
              />
            );
          })}
        </AppShell.Section>
        {project.data && (
          <AppShell.Section p="xs">
            <OnlineMembers projectId={projectId} />
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        {project.isPending && <Loading />}
        {project.isError && <ErrorState error={project.error} />}
        {project.data && (
          <ProjectContext.Provider value={withRights(project.data)}>
            <Outlet />
          </ProjectContext.Provider>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
