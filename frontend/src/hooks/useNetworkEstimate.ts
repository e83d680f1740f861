import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ApiError, api, call, type Schemas } from "../client/api";
import { layerError, type Layer, type LayerError } from "../components/Training/networkLayers";

export type NetworkEstimate = Schemas["NetworkEstimate"];

/**
 * The server's estimate of the network being edited (debounced): shapes, parameters and the int8
 * model's RAM, flash and latency on `boardId`; or the layer and message of why it cannot be built.
 */
export function useNetworkEstimate(projectId: number, impulseId: number | null, layers: Layer[], boardId: string) {
  // a string, so re-renders with the same network do not restart the wait
  const current = JSON.stringify({ layers, boardId });
  const [key] = useDebouncedValue(current, 300);
  const query = useQuery({
    queryKey: ["network-estimate", projectId, impulseId, key],
    enabled: impulseId !== null,
    placeholderData: keepPreviousData,
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
    queryFn: () => {
      const sent = JSON.parse(key) as { layers: Layer[]; boardId: string };
      return call(
        api.POST("/api/projects/{project_id}/impulses/{impulse_id}/network-estimate", {
          params: { path: { project_id: projectId, impulse_id: impulseId as number } },
          body: { architecture: sent.layers, board_id: sent.boardId },
        }),
      );
    },
  });
  const invalid: LayerError | null =
    query.error instanceof ApiError && query.error.status === 422 ? layerError(query.error.message) : null;
  const pending = key !== current || query.isFetching;
  return {
    estimate: query.isError ? null : (query.data ?? null),
    invalid,
    failed: query.isError && !invalid ? query.error : null,
    pending,
  };
}
