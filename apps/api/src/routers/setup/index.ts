/** `setup.*`: company set-up for owners and admins (README "Company set-up"). */
import { router } from "../../trpc.js";
import { branchesRouter } from "./branches.js";
import { auditLogProcedure, companyRouter, integrationsRouter, readinessProcedure } from "./company.js";
import { hotlinesRouter } from "./hotlines.js";
import { resourcesRouter } from "./resources.js";
import { servicesRouter } from "./services.js";
import { skillsRouter, staffRouter } from "./staff.js";
import { usersRouter } from "./users.js";

export const setupRouter = router({
  company: companyRouter,
  readiness: readinessProcedure,
  auditLog: auditLogProcedure,
  branches: branchesRouter,
  staff: staffRouter,
  skills: skillsRouter,
  services: servicesRouter,
  resources: resourcesRouter,
  hotlines: hotlinesRouter,
  users: usersRouter,
  integrations: integrationsRouter,
});
