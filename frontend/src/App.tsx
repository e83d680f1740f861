import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { ApiError } from "./client/api";
import { theme } from "./theme";
import { RequireUser } from "./components/Auth/RequireUser";
import { LoginPage, SignUpPage } from "./routes/AuthPages";
import { ProjectsPage } from "./routes/ProjectsPage";
import { InvitationPage } from "./routes/InvitationPage";
import { ProjectLayout } from "./components/Project/ProjectLayout";
import { DashboardPage } from "./routes/DashboardPage";
import { DevicesPage } from "./routes/DevicesPage";
import { DataPage } from "./routes/DataPage";
import { ImpulsePage } from "./routes/ImpulsePage";
import { FeaturesPage } from "./routes/FeaturesPage";
import { TrainingPage } from "./routes/TrainingPage";
import { TestingPage } from "./routes/TestingPage";
import { ClassifyPage } from "./routes/ClassifyPage";
import { DeploymentPage } from "./routes/DeploymentPage";
import { SerialPage } from "./routes/SerialPage";
import { PhonePage } from "./routes/PhonePage";
import { NotFoundPage } from "./routes/NotFoundPage";

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
      },
    },
  });
}

const queryClient = makeQueryClient();

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/signup" element={<SignUpPage />} />
            <Route path="/phone" element={<PhonePage />} />
            <Route element={<RequireUser />}>
              <Route path="/" element={<ProjectsPage />} />
              <Route path="/invitations/:token" element={<InvitationPage />} />
              <Route path="/projects/:projectId" element={<ProjectLayout />}>
                <Route index element={<DashboardPage />} />
                <Route path="devices" element={<DevicesPage />} />
                <Route path="data" element={<DataPage />} />
                <Route path="serial" element={<SerialPage />} />
                <Route path="impulse" element={<ImpulsePage />} />
                <Route path="features" element={<FeaturesPage />} />
                <Route path="training" element={<TrainingPage />} />
                <Route path="testing" element={<TestingPage />} />
                <Route path="classify" element={<ClassifyPage />} />
                <Route path="deployment" element={<DeploymentPage />} />
              </Route>
              <Route path="/projects" element={<Navigate to="/" replace />} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
