/** Branches, services and staff as the desk and the voice agent see them. */
export * from "./directory.js";
