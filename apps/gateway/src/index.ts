export { gatewayCliPath, gatewayCommand } from './entry-points.js';
export { internalProcessEnv, userProcessEnv } from './process-environment.js';
