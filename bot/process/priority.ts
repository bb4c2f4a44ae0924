import { existsSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the whole process. Linux keeps a niceness per thread, and
 * `os.setPriority()` sets the calling thread's alone: V8's garbage-collection and compiler threads,
 * started before any of our code runs, kept theirs and competed with the web process. Threads
 * started later take the niceness of the thread that starts them.
 */
export function lowerOwnPriority(niceness: number): void {
  const threads = existsSync('/proc/self/task') ? readdirSync('/proc/self/task').map(Number) : [0];
  for (const thread of threads) {
    try {
      setPriority(thread, niceness);
    } catch {
      // A thread that ended meanwhile.
    }
  }
}
