import { createContext, useContext } from "react";
import type { Schemas } from "../client/api";

export type ProjectInfo = Schemas["ProjectPublic"] & { canEdit: boolean; isAdmin: boolean };

export const ProjectContext = createContext<ProjectInfo | null>(null);

/** The current project and what the signed-in user may do in it (viewers get read-only controls). */
export function useProject(): ProjectInfo {
  const p = useContext(ProjectContext);
  if (!p) throw new Error("useProject() outside a project page");
  return p;
}

const RANK: Record<string, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export function withRights(p: Schemas["ProjectPublic"]): ProjectInfo {
  const rank = RANK[p.role] ?? 0;
  return { ...p, canEdit: rank >= 1, isAdmin: rank >= 2 };
}
