import { processEnvironment } from '../config/environment';
import { SERVICE_VERSION } from '../config/service-version';
import { startTracing } from './start-tracing';

// main.ts's first import: tracing (when configured) starts before anything it instruments loads.
startTracing(processEnvironment(), process.cwd(), SERVICE_VERSION);
