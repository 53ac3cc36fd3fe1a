/** Public entry of the health module: readiness and the operators' admin endpoints. */
export { HealthModule } from './health.module';
export { ReadinessService } from './readiness.service';
