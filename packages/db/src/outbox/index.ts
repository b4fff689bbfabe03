/** The transactional outbox: written with every change; relayed to the worker's queues. */
export * from "./write.js";
export { outboxJobId, pruneDispatchedOutbox, type OutboxRoute, type RelayQueue } from "./dispatch.js";
export * from "./relay.js";
