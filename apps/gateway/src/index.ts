export { gatewayCliPath, gatewayCommand } from './entry-points.js';
export { internalProcessEnv, userProcessEnv } from './process-environment.js';
export { newSessionArguments, type SessionSize } from './gateway/session-size.js';
