import { requireRole } from "../../trpc.js";

/** Company set-up is for the company's owners and admins; front desks get FORBIDDEN. */
export const manage = requireRole("owner", "admin");
/** What only the owner sees or changes: the audit log, the integrations' account ids. */
export const ownerOnly = requireRole("owner");
