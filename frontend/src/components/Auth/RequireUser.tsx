import { Center, Loader } from "@mantine/core";
import { Navigate, Outlet, useLocation } from "react-router";
import { useMe } from "../../hooks/useMe";
import { ErrorState } from "../ui/States";

export function RequireUser() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (me.isError) return <ErrorState error={me.error} />;
  if (!me.data)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Outlet />;
}
