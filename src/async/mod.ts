/**
 * Small concurrency helpers shared by the agent and the memory store.
 *
 * @module
 */
export { KeyedQueue } from "./keyed_queue.ts";
