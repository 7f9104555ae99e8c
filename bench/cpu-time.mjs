// Preloaded into a benchmarked child (`node --import ./cpu-time.mjs …`): prints the process's CPU
// time, user + system, on stderr as it exits, for bench/measure.ts's `runNode`.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`CPU_MS ${(user + system) / 1000}\n`);
});
