export { gatewayCliPath, gatewayCommand } from './entry-points.js';
