/** The waitlist: waiting customers, freed slots offered in order with a hold, confirmations by SMS reply. */
export { cancelWaitlistEntry, joinWaitlist, listWaitlist } from "./entries.js";
export { customerHolder, holdLost, placeOfferHold, releaseOfferHold } from "./hold.js";
export { matchWaitlist, withdrawOffer, type MatchResult } from "./match.js";
export { confirmOffer, finishConfirmation, parseReply, respondToReply, type ReplyOutcome, type ReplyResult } from "./respond.js";
export { sweepWaitlist, type WaitlistSweepResult } from "./sweep.js";
