import {
  cancelAppointment,
  completeAppointment,
  createAppointment,
  listAppointments,
  markNoShow,
  rescheduleAppointment,
} from "@askproai/db";
import {
  appointmentIdInput,
  cancelAppointmentInput,
  createAppointmentInput,
  listAppointmentsInput,
  rescheduleAppointmentInput,
} from "@askproai/shared";
import { bookingContextOf, protectedProcedure, router } from "../trpc.js";

export const appointmentsRouter = router({
  create: protectedProcedure.input(createAppointmentInput).mutation(({ ctx, input }) => createAppointment(bookingContextOf(ctx), input)),
  cancel: protectedProcedure.input(cancelAppointmentInput).mutation(({ ctx, input }) => cancelAppointment(bookingContextOf(ctx), input)),
  reschedule: protectedProcedure
    .input(rescheduleAppointmentInput)
    .mutation(({ ctx, input }) => rescheduleAppointment(bookingContextOf(ctx), input)),
  markNoShow: protectedProcedure.input(appointmentIdInput).mutation(({ ctx, input }) => markNoShow(bookingContextOf(ctx), input)),
  complete: protectedProcedure.input(appointmentIdInput).mutation(({ ctx, input }) => completeAppointment(bookingContextOf(ctx), input)),
  list: protectedProcedure.input(listAppointmentsInput).query(({ ctx, input }) => listAppointments(bookingContextOf(ctx), input)),
});
