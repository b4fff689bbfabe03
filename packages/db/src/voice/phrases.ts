/**
 * Every sentence the agent can be handed, per language: one or two sentences it can say as they are,
 * each telling the caller what happened or what to say next. Dates, times and lists come from
 * speech.ts.
 */
import type { Language } from "./speech.js";

interface Phrases {
  // check_availability
  offer(slots: string): string;
  wishFree(slot: string, others: string): string;
  wishTaken(wish: string, slots: string): string;
  wishNotPossible(wish: string, slots: string): string;
  dayFull(day: string, slots: string): string;
  nothingFree(): string;
  // book / reschedule / cancel / find
  booked(service: string, slot: string): string;
  alreadyBooked(service: string, slot: string): string;
  slotGone(slots: string): string;
  slotGoneNoAlternative(): string;
  notPossible(slots: string): string;
  moved(service: string, slot: string): string;
  cancelled(service: string, slot: string): string;
  alreadyCancelled(service: string, slot: string): string;
  found(count: number, list: string): string;
  foundNone(): string;
  // what to ask for
  unknownService(names: string): string;
  unknownStaff(names: string): string;
  staffNotForService(staff: string, names: string): string;
  unknownBranch(names: string): string;
  which(names: string): string;
  needService(): string;
  needStart(): string;
  needTime(day: string): string;
  needName(): string;
  needPhone(): string;
  badPhone(): string;
  badDate(): string;
  badTime(): string;
  inPast(): string;
  tooSoon(hours: string): string;
  tooSoonOffer(hours: string, slots: string): string;
  tooFar(): string;
  noSuchLocalTime(): string;
  needAppointment(): string;
  // refusals
  withheldNumber(): string;
  notOwnNumber(): string;
  appointmentNotFound(): string;
  appointmentOver(): string;
  unknownNumber(): string;
  notReady(): string;
  bookingPaused(): string;
  unknownFunction(): string;
  notUnderstood(): string;
  tryAgain(): string;
}

const de: Phrases = {
  offer: (slots) => `Frei wäre ${slots}. Was passt Ihnen?`,
  wishFree: (slot, others) => (others ? `${slot} ist frei. Alternativ hätte ich ${others}.` : `${slot} ist frei.`),
  wishTaken: (wish, slots) => `${wish} ist leider schon vergeben. Ich hätte ${slots}.`,
  wishNotPossible: (wish, slots) => `Am ${wish} ist leider kein Termin möglich. Ich hätte ${slots}.`,
  dayFull: (day, slots) => `Am ${day} ist leider nichts mehr frei. Der nächste freie Termin wäre ${slots}.`,
  nothingFree: () => "In den nächsten zwei Wochen ist dafür leider nichts frei. Soll ich Ihre Nummer für einen Rückruf notieren?",
  booked: (service, slot) => `Ich habe Ihren Termin gebucht: ${service} am ${slot}.`,
  alreadyBooked: (service, slot) => `Ihr Termin steht bereits: ${service} am ${slot}.`,
  slotGone: (slots) => `Dieser Termin ist leider gerade vergeben worden. Ich hätte stattdessen ${slots}.`,
  slotGoneNoAlternative: () => "Dieser Termin ist leider gerade vergeben worden, und in der Nähe ist nichts frei. Möchten Sie einen anderen Tag?",
  notPossible: (slots) => `Zu dieser Uhrzeit ist leider kein Termin möglich. ${slots ? `Ich hätte stattdessen ${slots}.` : "Welche Uhrzeit passt Ihnen sonst?"}`,
  moved: (service, slot) => `Ich habe Ihren Termin verschoben: ${service} jetzt am ${slot}.`,
  cancelled: (service, slot) => `Ihr Termin ${service} am ${slot} ist storniert.`,
  alreadyCancelled: (service, slot) => `Ihr Termin ${service} am ${slot} war bereits storniert.`,
  found: (count, list) => (count === 1 ? `Sie haben einen Termin: ${list}.` : `Sie haben ${count} Termine: ${list}.`),
  foundNone: () => "Unter Ihrer Rufnummer finde ich keinen anstehenden Termin.",
  unknownService: (names) => `Diese Leistung bieten wir leider nicht an. Zur Auswahl stehen ${names}.`,
  unknownStaff: (names) => `Diesen Namen finde ich in unserem Team nicht. Bei uns arbeiten ${names}.`,
  staffNotForService: (staff, names) => `${staff} bietet diese Leistung hier nicht an; fragen Sie gern nach ${names}.`,
  unknownBranch: (names) => `Diesen Standort kenne ich nicht. Unsere Standorte sind ${names}.`,
  which: (names) => `Meinen Sie ${names}?`,
  needService: () => "Für welche Leistung möchten Sie einen Termin?",
  needStart: () => "Für welchen Tag und welche Uhrzeit soll ich den Termin eintragen?",
  needTime: (day) => `Zu welcher Uhrzeit am ${day}?`,
  needName: () => "Auf welchen Namen darf ich den Termin eintragen?",
  needPhone: () => "Ihre Rufnummer wird nicht übertragen. Unter welcher Telefonnummer erreichen wir Sie?",
  badPhone: () => "Diese Telefonnummer habe ich nicht richtig verstanden. Können Sie sie bitte noch einmal Ziffer für Ziffer sagen?",
  badDate: () => "Das Datum habe ich nicht verstanden. An welchem Tag hätten Sie gern einen Termin?",
  badTime: () => "Die Uhrzeit habe ich nicht verstanden. Um wie viel Uhr hätten Sie gern den Termin?",
  inPast: () => "Dieser Zeitpunkt liegt in der Vergangenheit. Welcher Tag wäre Ihnen recht?",
  tooSoon: (hours) => `So kurzfristig kann ich leider nicht buchen; Termine sind frühestens in ${hours} möglich. Passt Ihnen ein späterer Zeitpunkt?`,
  tooSoonOffer: (hours, slots) => `So kurzfristig geht es leider nicht; Termine sind frühestens in ${hours} möglich. Ich hätte ${slots}.`,
  tooFar: () => "So weit im Voraus kann ich leider noch keinen Termin eintragen. Geht auch ein früherer Tag?",
  noSuchLocalTime: () => "Diese Uhrzeit gibt es an dem Tag wegen der Zeitumstellung nicht. Passt Ihnen eine Stunde später?",
  needAppointment: () => "Um welchen Termin geht es? Ich kann Ihre Termine gern heraussuchen.",
  withheldNumber: () =>
    "Ihre Rufnummer wird nicht übertragen. Termine kann ich nur für die Nummer ändern, von der Sie anrufen; bitte rufen Sie mit übertragener Nummer an.",
  notOwnNumber: () => "Ich kann nur Termine der Rufnummer heraussuchen, von der Sie anrufen.",
  appointmentNotFound: () => "Unter Ihrer Rufnummer finde ich diesen Termin nicht. Soll ich Ihre Termine heraussuchen?",
  appointmentOver: () => "Dieser Termin liegt bereits in der Vergangenheit und kann nicht mehr geändert werden.",
  unknownNumber: () => "Unter dieser Nummer kann ich leider keine Termine vergeben.",
  notReady: () => "Die Terminbuchung am Telefon ist hier noch nicht eingerichtet. Bitte rufen Sie während der Öffnungszeiten an.",
  bookingPaused: () => "Termine kann ich gerade leider nicht telefonisch vergeben. Bitte rufen Sie während der Öffnungszeiten an.",
  unknownFunction: () => "Das kann ich leider nicht erledigen.",
  notUnderstood: () => "Das habe ich leider nicht verstanden. Können Sie es bitte noch einmal sagen?",
  tryAgain: () => "Da ist gerade etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.",
};

const en: Phrases = {
  offer: (slots) => `I have ${slots}. Which would suit you?`,
  wishFree: (slot, others) => (others ? `${slot} is free. I also have ${others}.` : `${slot} is free.`),
  wishTaken: (wish, slots) => `${wish} is already taken. I have ${slots}.`,
  wishNotPossible: (wish, slots) => `No appointment is possible on ${wish}. I have ${slots}.`,
  dayFull: (day, slots) => `${day} is fully booked. The next free time is ${slots}.`,
  nothingFree: () => "Nothing is free for that in the next two weeks. Shall I note your number for a call back?",
  booked: (service, slot) => `Your appointment is booked: ${service} on ${slot}.`,
  alreadyBooked: (service, slot) => `Your appointment is already booked: ${service} on ${slot}.`,
  slotGone: (slots) => `That time has just been taken. I could offer ${slots} instead.`,
  slotGoneNoAlternative: () => "That time has just been taken, and nothing near it is free. Would another day suit you?",
  notPossible: (slots) => `No appointment is possible at that time. ${slots ? `I could offer ${slots} instead.` : "Which other time would suit you?"}`,
  moved: (service, slot) => `Your appointment is moved: ${service} now on ${slot}.`,
  cancelled: (service, slot) => `Your appointment, ${service} on ${slot}, is cancelled.`,
  alreadyCancelled: (service, slot) => `Your appointment, ${service} on ${slot}, was already cancelled.`,
  found: (count, list) => (count === 1 ? `You have one appointment: ${list}.` : `You have ${count} appointments: ${list}.`),
  foundNone: () => "I cannot find an upcoming appointment for your phone number.",
  unknownService: (names) => `We do not offer that, I am afraid. We offer ${names}.`,
  unknownStaff: (names) => `I cannot find that name in our team. Our team is ${names}.`,
  staffNotForService: (staff, names) => `${staff} does not offer that here; you could ask for ${names}.`,
  unknownBranch: (names) => `I do not know that location. Our locations are ${names}.`,
  which: (names) => `Do you mean ${names}?`,
  needService: () => "Which service would you like an appointment for?",
  needStart: () => "For which day and time shall I book the appointment?",
  needTime: (day) => `At what time on ${day}?`,
  needName: () => "Under which name shall I book the appointment?",
  needPhone: () => "Your number is withheld. Which phone number can we reach you on?",
  badPhone: () => "I did not get that phone number. Could you say it again, digit by digit?",
  badDate: () => "I did not understand the date. Which day would you like?",
  badTime: () => "I did not understand the time. What time would you like?",
  inPast: () => "That time is in the past. Which day would suit you?",
  tooSoon: (hours) => `That is too short notice, I am afraid; appointments can be booked from ${hours} ahead. Would a later time suit you?`,
  tooSoonOffer: (hours, slots) => `That is too short notice, I am afraid; appointments can be booked from ${hours} ahead. I have ${slots}.`,
  tooFar: () => "I cannot book that far ahead yet. Would an earlier day work?",
  noSuchLocalTime: () => "That time does not exist on that day because the clocks change. Would an hour later suit you?",
  needAppointment: () => "Which appointment is it about? I can look up your appointments.",
  withheldNumber: () => "Your number is withheld. I can only change appointments of the number you are calling from; please call again with your number shown.",
  notOwnNumber: () => "I can only look up appointments of the number you are calling from.",
  appointmentNotFound: () => "I cannot find that appointment for your phone number. Shall I look up your appointments?",
  appointmentOver: () => "That appointment is already in the past and cannot be changed.",
  unknownNumber: () => "I cannot book appointments for this number, I am afraid.",
  notReady: () => "Booking by phone is not set up here yet. Please call during opening hours.",
  bookingPaused: () => "I cannot book appointments by phone right now. Please call during opening hours.",
  unknownFunction: () => "I am afraid I cannot do that.",
  notUnderstood: () => "I did not understand that, I am afraid. Could you say it again?",
  tryAgain: () => "Something went wrong just now. Please try again in a moment.",
};

export const phrasesFor = (lang: Language): Phrases => (lang === "en" ? en : de);
export type { Phrases };
