import { appointmentsRouter } from "./routers/appointments.js";
import { authRouter } from "./routers/auth.js";
import { availabilityRouter } from "./routers/availability.js";
import { calendarRouter } from "./routers/calendar.js";
import { companyRouter } from "./routers/company.js";
import { customersRouter } from "./routers/customers.js";
import { debugRouter } from "./routers/debug.js";
import { directoryRouter } from "./routers/directory.js";
import { eventsRouter } from "./routers/events.js";
import { messagingRouter } from "./routers/messaging.js";
import { reportsRouter } from "./routers/reports.js";
import { scheduleRouter } from "./routers/schedule.js";
import { platformRouter } from "./routers/platform.js";
import { setupRouter } from "./routers/setup/index.js";
import { waitlistRouter } from "./routers/waitlist.js";
import { router } from "./trpc.js";

export const appRouter = router({
  auth: authRouter,
  directory: directoryRouter,
  availability: availabilityRouter,
  appointments: appointmentsRouter,
  customers: customersRouter,
  schedule: scheduleRouter,
  events: eventsRouter,
  reports: reportsRouter,
  debug: debugRouter,
  setup: setupRouter,
  platform: platformRouter,
  waitlist: waitlistRouter,
  messaging: messagingRouter,
  company: companyRouter,
  calendar: calendarRouter,
});

export type AppRouter = typeof appRouter;
