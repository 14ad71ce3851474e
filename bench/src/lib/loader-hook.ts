/**
 * The node flags that pass this process's loader hook (`-r`, the "@chatbox/*" aliases) on to a
 * child process of the bench, and no other flag (a `--cpu-prof` of the driver is its own).
 */
export const loaderHookArgs: string[] = process.execArgv.filter((a, i, all) => a === '-r' || all[i - 1] === '-r');
