/**
 * Whether a process id belongs to a running process (ours counts as alive):
 * `kill(pid, 0)` succeeds, or fails only for lack of permission. Used to tell
 * leftovers of crashed writers from files another live process is writing.
 *
 * @param pid - the process id.
 * @returns `true` if the process exists.
 * @internal
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
