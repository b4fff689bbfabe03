/** The voice agent's side: which company and branch a call is for, and the custom functions it calls during a call. */
export * from "./routing.js";
export { answerVoiceFunction, type VoiceRequestContext } from "./functions.js";
export { HOLD_TTL_MS, releaseCallHolds } from "./holds.js";
export { foldName, matchName, type NameMatch, type NamedItem } from "./matching.js";
export { purgeVoiceAnswers, requestKeyOf } from "./replay.js";
export { retellToolsFor } from "./tools.js";
