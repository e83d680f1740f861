import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { ApiError, api, call } from "../client/api";
import type { Impulse, ImpulseConfig } from "../client/domain";
import type { ProjectEvent } from "../lib/projectEvents";
import { rebase } from "../lib/impulseDiff";
import { getImpulse, listImpulses } from "./useImpulse";
import { useMe } from "./useMe";
import { useProjectEventListener } from "./useProjectEvents";

/** What the form was loaded from: an edit is sent with this version, never the live one. */
export type Loaded = { id: number; version: number; config: ImpulseConfig };

/**
 * The impulse form's state: the draft, the version it started from, who saved newer versions
 * (from the project stream), and the teammate's version when a save was refused (409).
 */
export function useImpulseDraft(projectId: number, live: Impulse | null) {
  const qc = useQueryClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [cfg, setCfg] = useState<ImpulseConfig | null>(null);
  const [conflict, setConflict] = useState<{ theirs: Impulse; refused: boolean } | null>(null);
  const [savedBy, setSavedBy] = useState<Record<number, string>>({});
  const me = useMe().data?.username;

  useProjectEventListener(
    useCallback(
      (ev: ProjectEvent) => {
        if (ev.type !== "impulse" || typeof ev.version !== "number" || typeof ev.by !== "string") return;
        setSavedBy((m) => ({ ...m, [ev.version as number]: ev.by as string }));
        // A toast too, since the notice beside the form may be out of view while you edit.
        if (ev.by !== me) {
          notifications.show({
            color: "yellow",
            title: `${ev.by} saved the impulse (version ${ev.version})`,
            message: "Your form keeps your edits until you choose what to keep.",
          });
        }
      },
      [me],
    ),
  );

  const load = useCallback((impulse: Impulse | null, fresh?: ImpulseConfig) => {
    setLoaded(impulse && { id: impulse.id, version: impulse.version, config: impulse.config });
    setCfg(impulse ? impulse.config : (fresh ?? null));
    setConflict(null);
  }, []);

  const save = useMutation({
    mutationFn: async ({ config, version, id }: { config: ImpulseConfig; version: number | null; id: number | null }) =>
      (await (id !== null
        ? call(
            api.PATCH("/api/projects/{project_id}/impulses/{impulse_id}", {
              params: { path: { project_id: projectId, impulse_id: id } },
              body: { version: version as number, config },
            }),
          )
        : call(
            api.POST("/api/projects/{project_id}/impulses", {
              params: { path: { project_id: projectId } },
              body: { name: "Impulse", config },
            }),
          ))) as Impulse,
    onSuccess: (saved) => {
      load(saved);
      qc.setQueryData<Impulse[]>(["impulses", projectId], (list) =>
        list?.length ? [saved, ...list.slice(1)] : [saved],
      );
      qc.invalidateQueries({ queryKey: ["impulses", projectId] });
    },
    onError: async (err, { id }) => {
      if (!(err instanceof ApiError) || err.status !== 409) return;
      // Someone saved (or created it) first: fetch their version so the form can show what they changed.
      const theirs = id !== null ? await getImpulse(projectId, id) : (await listImpulses(projectId))[0];
      if (theirs) setConflict({ theirs, refused: true });
    },
  });

  return {
    cfg,
    setCfg,
    loaded,
    load,
    conflict,
    save,
    /** A teammate's newer version while this form is open (null when the form is current). */
    newer: live && cfg && (!loaded || live.version > loaded.version) ? live : null,
    savedBy: (version: number) => savedBy[version] ?? null,
    submit: () => cfg && save.mutate({ config: cfg, version: loaded?.version ?? null, id: loaded?.id ?? null }),
    /** Compare the form with the newest version, as after a refused save. */
    compare: (theirs: Impulse) => setConflict({ theirs, refused: false }),
    dismissConflict: () => setConflict(null),
    /** Keep their version and put the fields changed in this form on top of it, then save. */
    applyMineOnTop: (theirs: Impulse) => {
      if (!cfg) return;
      const merged = rebase(loaded?.config ?? theirs.config, cfg, theirs.config);
      setCfg(merged);
      setLoaded({ id: theirs.id, version: theirs.version, config: theirs.config });
      setConflict(null);
      save.mutate({ config: merged, version: theirs.version, id: theirs.id });
    },
  };
}
