/** The dataset write lock is the shared directory lock (src/durable/lock.ts). */
export { withLock, type LockOptions } from '../durable/lock.js';
