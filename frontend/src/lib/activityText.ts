// Activity rows in words: `project.created` -> "created the project".
const WORDS: Record<string, string> = {
  "project.created": "created the project",
  "project.renamed": "renamed the project",
  "member.role_changed": "changed a member's role",
  "member.removed": "removed a member",
  "member.joined": "joined the project",
  "invitation.created": "invited someone",
  "invitation.revoked": "revoked an invitation",
  "apikey.created": "created an API key",
  "apikey.revoked": "revoked an API key",
  "hmac_key.rotated": "rotated the HMAC key",
  "member.left": "left the project",
  "project.ownership_transferred": "transferred ownership",
  "job.cancel_requested": "cancelled a job",
  "samples.uploaded": "uploaded samples",
  "impulse.created": "created an impulse",
  "impulse.updated": "changed the impulse",
  "device.renamed": "renamed a device",
  "job.started": "started a job",
};

export function describeActivity(action: string, details: Record<string, unknown> = {}): string {
  const base = WORDS[action] ?? action.replace(/[._]/g, " ");
  const name = details.name ?? details.file_name ?? details.kind ?? details.user ?? details.invitee ?? details.to;
  return typeof name === "string" && name ? `${base} (${name})` : base;
}
