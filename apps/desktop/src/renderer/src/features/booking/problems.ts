/** The server's refusal in words a receptionist can act on (reason codes, conflicts, stale versions). */
import type { OutboxProblem } from "../../../../shared/outbox";
import type { Translate } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";

export const describeProblemText = (problem: OutboxProblem, t: Translate, wantedTime: string): string => {
  if (problem.reason) {
    const key = `problem.reason.${problem.reason}` as MessageKey;
    return t(key) === key ? t("problem.badRequest", { message: problem.message }) : t(key);
  }
  switch (problem.code) {
    case "CONFLICT":
      return t("problem.conflict", { time: wantedTime });
    case "PRECONDITION_FAILED":
      return t("problem.stale");
    case "NOT_FOUND":
      return t("problem.notFound");
    case "BAD_REQUEST":
      return t("problem.badRequest", { message: problem.message });
    default:
      return t("problem.other", { message: problem.message });
  }
};
