/**
 * What may be written about a person in logs and api_call_logs: numbers and addresses shortened so they
 * identify nobody, never a message body. Shared by every outside-service client (messaging, calendar).
 * Used for api_call_logs and for errors an outside service answers with (they quote numbers).
 */
export const redactPhone = (phone: string) => {
  const digits = phone.replace(/[^\d+]/g, "");
  if (digits.length < 7) return "***";
  return `${digits.slice(0, 3)}${"*".repeat(digits.length - 5)}${digits.slice(-2)}`;
};

export const redactEmail = (email: string) => {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  const tld = email.slice(email.lastIndexOf(".") + 1);
  return `${email[0]}***@***.${tld.length <= 6 ? tld : "***"}`;
};

const PHONE_IN_TEXT = /(?:\+|\b0)\d[\d\s/().-]{5,}\d/g;
const EMAIL_IN_TEXT = /[^\s@<>"']+@[^\s@<>"']+\.[A-Za-z]{2,}/g;

/** Free text (an error message) with every phone number and e-mail address in it redacted, cut short. */
export const redactText = (text: string, max = 300) =>
  text.replace(EMAIL_IN_TEXT, (m) => redactEmail(m)).replace(PHONE_IN_TEXT, (m) => redactPhone(m)).slice(0, max);
