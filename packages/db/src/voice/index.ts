/** The voice agent's side: which company and branch a call is for. */
export * from "./routing.js";
