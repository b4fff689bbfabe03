/** The transactional outbox: written with every change; relayed to the worker's queues. */
export * from "./write.js";
