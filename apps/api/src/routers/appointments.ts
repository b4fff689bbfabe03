import { cancelAppointment, completeAppointment, createAppointment, getAppointment, listAppointments, markNoShow, rescheduleAppointment } from "@askproai/db/booking";
import { appointmentIdInput, byIdInput, cancelAppointmentInput, createAppointmentInput, listAppointmentsInput, rescheduleAppointmentInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const appointmentsRouter = router({
  create: protectedProcedure.input(createAppointmentInput).mutation(({ ctx, input }) => createAppointment(ctx.op, input)),
  cancel: protectedProcedure.input(cancelAppointmentInput).mutation(({ ctx, input }) => cancelAppointment(ctx.op, input)),
  reschedule: protectedProcedure.input(rescheduleAppointmentInput).mutation(({ ctx, input }) => rescheduleAppointment(ctx.op, input)),
  markNoShow: protectedProcedure.input(appointmentIdInput).mutation(({ ctx, input }) => markNoShow(ctx.op, input)),
  complete: protectedProcedure.input(appointmentIdInput).mutation(({ ctx, input }) => completeAppointment(ctx.op, input)),
  list: protectedProcedure.input(listAppointmentsInput).query(({ ctx, input }) => listAppointments(ctx.op, input)),
  get: protectedProcedure.input(byIdInput).query(({ ctx, input }) => getAppointment(ctx.op, input.id)),
});
