import type { TestProject } from 'vitest/node';
import { startCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One native PostgreSQL for the whole unit-test run; each test file makes its own database. */
export default function setup(project: TestProject) {
  const cluster = startCluster(55_400 + Math.floor(Math.random() * 500));
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
