import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { ApiError } from "./client/api";
import { cssVariablesResolver, theme } from "./theme";
import { RequireUser } from "./components/Auth/RequireUser";
import { LoginPage, SignUpPage } from "./routes/AuthPages";
import { ProjectsPage } from "./routes/ProjectsPage";
import { InvitationPage } from "./routes/InvitationPage";
import { ProjectLayout } from "./components/Project/ProjectLayout";
import { DashboardPage } from "./routes/DashboardPage";
import { DevicesPage } from "./routes/DevicesPage";
import { SerialPage } from "./routes/SerialPage";
import { PhonePage } from "./routes/PhonePage";
import { NotFoundPage } from "./routes/NotFoundPage";
import { Loading } from "./components/ui/States";
import { HealthBanner } from "./components/ui/HealthBanner";

// Chart-heavy pages load on first visit, so sign-in and the phone page stay small.
const DataPage = lazy(() => import("./routes/DataPage").then((m) => ({ default: m.DataPage })));
const FeaturesPage = lazy(() => import("./routes/FeaturesPage").then((m) => ({ default: m.FeaturesPage })));
const TrainingPage = lazy(() => import("./routes/TrainingPage").then((m) => ({ default: m.TrainingPage })));
const TestingPage = lazy(() => import("./routes/TestingPage").then((m) => ({ default: m.TestingPage })));
const ClassifyPage = lazy(() => import("./routes/ClassifyPage").then((m) => ({ default: m.ClassifyPage })));
const DeploymentPage = lazy(() => import("./routes/DeploymentPage").then((m) => ({ default: m.DeploymentPage })));
const VersionsPage = lazy(() => import("./routes/VersionsPage").then((m) => ({ default: m.VersionsPage })));
const PublicVersionPage = lazy(() =>
  import("./routes/PublicVersionPage").then((m) => ({ default: m.PublicVersionPage })),
);
const ImpulsePage = lazy(() => import("./routes/ImpulsePage").then((m) => ({ default: m.ImpulsePage })));
const ProcessingBlockPage = lazy(() =>
  import("./routes/ProcessingBlockPage").then((m) => ({ default: m.ProcessingBlockPage })),
);
const TunerPage = lazy(() => import("./routes/TunerPage").then((m) => ({ default: m.TunerPage })));
const ExplorerPage = lazy(() => import("./routes/ExplorerPage").then((m) => ({ default: m.ExplorerPage })));

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
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <HealthBanner />
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/signup" element={<SignUpPage />} />
              <Route path="/phone" element={<PhonePage />} />
              <Route path="/public/versions/:token" element={<PublicVersionPage />} />
              <Route element={<RequireUser />}>
                <Route path="/" element={<ProjectsPage />} />
                <Route path="/invitations/:token" element={<InvitationPage />} />
                <Route path="/projects/:projectId" element={<ProjectLayout />}>
                  <Route index element={<DashboardPage />} />
                  <Route path="devices" element={<DevicesPage />} />
                  <Route path="data" element={<DataPage />} />
                  <Route path="serial" element={<SerialPage />} />
                  <Route path="impulse" element={<ImpulsePage />} />
                  <Route path="impulse/blocks/:blockId" element={<ProcessingBlockPage />} />
                  <Route path="features" element={<FeaturesPage />} />
                  <Route path="explorer" element={<ExplorerPage />} />
                  <Route path="training" element={<TrainingPage />} />
                  <Route path="testing" element={<TestingPage />} />
                  <Route path="classify" element={<ClassifyPage />} />
                  <Route path="deployment" element={<DeploymentPage />} />
                  <Route path="versions" element={<VersionsPage />} />
                  <Route path="tuner" element={<TunerPage />} />
                </Route>
                <Route path="/projects" element={<Navigate to="/" replace />} />
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
